"""What a scenario's ``analysis`` key asks ``sim run`` to compute when its runs are done.

``analysis: {sensitivity: [outcomes], discover: [{where: EXPR}], baseline: FILE}``:
the indices, the PRIM boxes and the effects against the baseline scenario
(run first, or resumed, into its own results folder beside this one) are
kept in ``DIR/analysis/`` and drawn into ``DIR/plots/``, and the report
that ``sim run`` writes next shows them.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from sim.analysis import store
from sim.analysis.data import open_folder
from sim.errors import UserError


def run_requested(out: Path, workers: int | None = None, quiet: bool = True) -> list[str]:
    """Compute what the folder's scenario asks for; return one line per thing written."""
    folder = open_folder(out)
    asked: dict[str, Any] = folder.scenario.get("analysis") or {}
    if not asked:
        return []
    from sim.analysis.cli import discovery_entries, sensitivity_entries
    from sim.plots.analysis import draw_discovery, draw_sensitivity

    said: list[str] = []
    plots = folder.path / "plots"

    def sensitivity_step() -> None:
        entries = sensitivity_entries(folder, list(asked["sensitivity"]))
        draw_sensitivity(entries, plots, folder.name)
        said.append(
            f"sensitivity indices of {len(entries)} outcome(s): {folder.path / store.FOLDER}/"
        )
        for e in entries:
            if e["warning"]:
                print(f"warning: {e['warning']}", file=sys.stderr)

    def discover_step() -> None:
        for i, condition in enumerate(asked["discover"]):
            try:
                entries = discovery_entries(folder, [condition])
            except UserError as err:
                print(f"error: analysis.discover[{i}]: {err}", file=sys.stderr)
                continue
            draw_discovery(entries, plots, folder.name)
            said.append(
                f"scenario discovery where {condition['where']}: {folder.path / store.FOLDER}/"
            )

    steps = {
        "sensitivity": sensitivity_step,
        "discover": discover_step,
        "baseline": lambda: said.extend(_baseline(folder, str(asked["baseline"]), workers, quiet)),
    }
    for key, step in steps.items():
        if not asked.get(key):
            continue
        try:  # one analysis that cannot be done must not cost the others or the report
            step()
        except UserError as err:
            print(f"error: analysis.{key}: {err}", file=sys.stderr)
    return said


def _baseline(folder: Any, file: str, workers: int | None, quiet: bool) -> list[str]:
    """Run (or resume) the baseline scenario beside this folder, then the effects."""
    from sim.analysis import effects
    from sim.experiments.loader import load_scenario
    from sim.experiments.runner import execute, plan

    name = load_scenario(file).scenario.name
    target = folder.path.parent / name
    p = plan(file, target)
    manifest = execute(p, workers, quiet=quiet)
    if manifest["runs_failed"]:
        print(
            f"warning: {manifest['runs_failed']} baseline runs failed (see {target}/runs.parquet)",
            file=sys.stderr,
        )
    base = open_folder(target)
    for line in effects.check_comparable([base, folder]):
        print(line, file=sys.stderr)
    from sim.plots.data import load

    shown = load(folder.path).default_metrics()  # what the report draws, then what it costs
    metrics = [
        m
        for m in dict.fromkeys([*shown, effects.COST, *effects.PER])
        if m in folder.outcomes and m in base.outcomes
    ]
    from sim.analysis.cli import effects_tables

    found, paths = effects_tables(base, [folder], metrics, None, folder.path / store.FOLDER)
    entry = {
        "baseline": base.name,
        "baseline_path": str(target),
        "rows": found.table.to_dict("records"),
        "cost": found.cost.to_dict("records"),
        "warnings": found.warnings,
    }
    store.save(folder.path, "effects", "baseline", [_clean(entry)], folder.manifest)
    from sim.plots import style
    from sim.plots.analysis import effects_figure

    (folder.path / "plots").mkdir(parents=True, exist_ok=True)
    style.save(
        effects_figure(found.table, metrics, base.name), folder.path / "plots" / "effects.png"
    )
    return [f"effects against {base.name} ({target}/): {paths[0]}"]


def _clean(v: Any) -> Any:
    import math

    if isinstance(v, dict):
        return {k: _clean(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_clean(x) for x in v]
    if hasattr(v, "item"):
        v = v.item()
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v
