"""``sim sensitivity``, ``sim discover`` and ``sim compare``: compute, print, draw, report.

The analyses (:mod:`sim.analysis`) return tables; this module prints them,
keeps them in ``DIR/analysis/``, draws their figures into ``DIR/plots/``
(:mod:`sim.plots.analysis`) and rewrites the folder's report so the new
section is in it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from sim.analysis import discovery, effects, sensitivity, store
from sim.analysis.data import Folder, open_folder
from sim.analysis.report_text import discovery_table, sensitivity_table


def _warn(line: str) -> None:
    print(line if line.startswith("warning: ") else f"warning: {line}", file=sys.stderr)


def sensitivity_entries(folder: Folder, outcomes: list[str] | None) -> list[dict[str, Any]]:
    """Compute and keep the indices; write ``analysis/sensitivity.csv``; return the entries."""
    found = sensitivity.analyse(folder, outcomes)
    entries = [i.to_dict() for i in found]
    store.save(folder.path, "sensitivity", "outcome", entries, folder.manifest)
    kept = store.load(folder.path, "sensitivity", folder.manifest)
    rows = [{"outcome": e["outcome"], "method": e["method"], **r} for e in kept for r in e["rows"]]
    from sim.numbers import rounded_frame

    csv = folder.path / store.FOLDER / "sensitivity.csv"
    rounded_frame(pd.DataFrame(rows)).to_csv(csv, index=False)
    return entries


def discovery_entries(folder: Folder, conditions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    entries = []
    for c in conditions:
        found = discovery.discover(
            folder, c["where"], density=c.get("density", discovery.DENSITY), box=c.get("box")
        )
        entries.append(found.to_dict())
    store.save(folder.path, "discovery", "where", entries, folder.manifest)
    return entries


def refresh_report(folder: Path) -> Path:
    from sim.plots.api import write_report_only

    return write_report_only(folder)


def cmd_sensitivity(args: argparse.Namespace) -> int:
    folder = open_folder(args.dir)
    entries = sensitivity_entries(folder, args.outcome)
    if args.json:
        print(json.dumps(entries, indent=1))
    else:
        print("\n\n".join(sensitivity_table(e) for e in entries))
    for e in entries:
        if e["warning"]:
            _warn(e["warning"])
    from sim.plots.analysis import draw_sensitivity

    paths = draw_sensitivity(entries, folder.path / "plots", folder.name)
    report = refresh_report(folder.path)
    if not args.json:
        print()
        for p in [*paths, folder.path / store.FOLDER / "sensitivity.csv", report]:
            print(p)
    return 0


def cmd_discover(args: argparse.Namespace) -> int:
    folder = open_folder(args.dir)
    entries = discovery_entries(
        folder, [{"where": args.where, "density": args.density, "box": args.box}]
    )
    if args.json:
        print(json.dumps(entries[0], indent=1))
    else:
        print(discovery_table(entries[0]))
    from sim.plots.analysis import draw_discovery

    paths = draw_discovery(entries, folder.path / "plots", folder.name)
    report = refresh_report(folder.path)
    if not args.json:
        print()
        for p in [*paths, report]:
            print(p)
    return 0


def effects_tables(
    baseline: Folder, others: list[Folder], metrics: list[str], point: int | None, out: Path
) -> tuple[effects.Effects, list[Path]]:
    """Compute the effects; write ``effects.csv`` and ``cost_effectiveness.csv`` into ``out``."""
    from sim.numbers import rounded_frame

    found = effects.effects(
        baseline, others, metrics, point=point, seed=int(baseline.manifest.get("seed_root") or 0)
    )
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "effects.csv"]
    rounded_frame(found.table).to_csv(paths[0], index=False)
    if not found.cost.empty:
        paths.append(out / "cost_effectiveness.csv")
        rounded_frame(found.cost).to_csv(paths[1], index=False)
    return found, paths


def effects_text(found: effects.Effects, baseline: str) -> str:
    from sim.plots import style

    lines = [
        f"effects against {baseline} (difference of means [90 % bootstrap interval], ratio, Mann-Whitney p):"
    ]
    for label, sub in found.table.groupby("label", sort=False):
        lines.append(f"{label}:")
        for r in sub.to_dict("records"):
            unit = style.unit_of(r["metric"])
            diff = (
                f"{_signed(r['difference'], unit)} [{_signed(r['difference_low'], unit)}, "
                f"{_signed(r['difference_high'], unit)}]"
            )
            ratio = f"x{r['ratio']:.3g}" if r["ratio"] == r["ratio"] else "x–"
            lines.append(
                f"  {r['metric']}: {style.fmt_value(r['baseline_mean'], unit)} -> "
                f"{style.fmt_value(r['mean'], unit)}, {diff}, {ratio}, p = {r['p_value']:.2g} "
                f"({r['runs']} vs {r['baseline_runs']} runs)"
            )
    if not found.cost.empty:
        lines.append(
            "cost-effectiveness (extra public spending per extra outcome [90 % interval]):"
        )
        for r in found.cost.to_dict("records"):
            where = r.get("label") or r["scenario"]
            value = style.fmt_number(r["cost_per_extra"])
            band = (
                f" [{style.fmt_number(r['cost_low'])}, {style.fmt_number(r['cost_high'])}]"
                if r["cost_low"] == r["cost_low"]
                else ""
            )
            note = f" ({r['note']})" if r["note"] else ""
            lines.append(f"  {where}: {value} yuan per {r['per']}{band}{note}")
    return "\n".join(lines)


def _signed(v: float, unit: str) -> str:
    from sim.plots import style

    if v != v:
        return "–"
    text = style.fmt_value(abs(v), unit)
    return f"-{text}" if v < 0 else f"+{text}"


def cmd_compare(args: argparse.Namespace) -> int:
    """Overlay several folders and print the final-value table; with ``--baseline``,
    the effects against it with intervals and cost-effectiveness."""
    from sim.plots.compare import compare, format_table

    out = Path(args.out) if args.out else Path("results") / "compare"
    dirs = list(args.dirs)
    if args.baseline:
        dirs = [args.baseline, *[d for d in dirs if Path(d) != Path(args.baseline)]]
        base = open_folder(args.baseline)
        others = [open_folder(d) for d in dirs[1:]]
        if not others:
            from sim.errors import UserError

            raise UserError("--baseline: name at least one other results folder to compare")
        for line in effects.check_comparable([base, *others]):
            _warn(line)
    paths, table, csv = compare(dirs, args.metric, out, args.format, args.point)
    print(format_table(table))
    written = [*paths, csv]
    if args.baseline:
        metrics = list(dict.fromkeys(table["metric"]))
        extra = [m for m in (effects.COST, *effects.PER) if m in base.outcomes and m not in metrics]
        found, csvs = effects_tables(base, others, metrics + extra, args.point, out)
        print()
        print(effects_text(found, base.name))
        from sim.plots import style
        from sim.plots.analysis import effects_figure

        fig_path = out / f"effects.{args.format}"
        style.save(effects_figure(found.table, metrics, base.name), fig_path)
        written += [fig_path, *csvs]
    print()
    for p in written:
        print(p)
    return 0
