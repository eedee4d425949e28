"""Scenario beside scenario: the same outcomes from several results folders.

A what-if is only read against its counterfactual. Each folder becomes one
colour, labelled with its scenario name; a folder that sweeps gives one
colour per design point (or only the point chosen with ``--point``), never
its points pooled. The final-value table gives the numbers behind the
curves, one row per design point with one column per swept lever, printed
and saved as CSV.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from sim.errors import UserError
from sim.numbers import rounded_frame
from sim.plots import style
from sim.plots.curves import (
    draw_series,
    finish_axes,
    key_handles,
    mark_schedule_changes,
    pretty_name,
    subtitle,
)
from sim.plots.data import Results, ResultsLike, band_stats, bands, load


def scenario_labels(results: list[Results]) -> list[str]:
    """Scenario names; a name used twice gets its folder added so legends stay unambiguous."""
    names = [r.name for r in results]
    return [
        f"{n} ({r.path.name})" if names.count(n) > 1 else n
        for n, r in zip(names, results, strict=True)
    ]


def check_common(results: list[Results], metrics: list[str] | None) -> list[str]:
    """Metrics asked for (or the first folder's defaults) that every folder holds;
    folders of different models are not compared (a shared name is a coincidence)."""
    made_by = {str(r.manifest.get("model") or "sim.model:StartupEcosystem") for r in results}
    if len(made_by) > 1:
        raise UserError(
            f"the folders hold runs of different models ({', '.join(sorted(made_by))}); "
            "compare folders of one model"
        )
    chosen = results[0].check_metrics(metrics)
    for r in results[1:]:
        if metrics:
            r.check_metrics(metrics)
    return [m for m in chosen if all(m in r.timeseries.columns for r in results)]


MAX_SERIES = 8  # lines one comparison can tell apart; more need --point


def series(
    results: list[Results], labels: list[str], point: int | None = None, limit: bool = True
) -> list[tuple[Results, Any, str]]:
    """(folder, design point, label) of each line: a folder that sweeps gives one line
    per design point (or only ``point``), never its points pooled."""
    out = []
    for r, label in zip(results, labels, strict=True):
        points = list(r.points["point"])
        if point is not None and len(points) > 1:  # a folder of one point gives that one
            if point not in points:
                raise UserError(
                    f"--point: {r.path} has no finished design point {point} "
                    f"(points 0 to {max(points)})"
                )
            points = [point]
        names = r.group_labels()
        for p in points:
            text = label if len(r.points) == 1 else f"{label}: {names.get(p, p)}"
            out.append((r, p, text))
    if limit and len(out) > MAX_SERIES:
        raise UserError(
            f"the folders hold {len(out)} design points in all, too many lines for one figure "
            f"(at most {MAX_SERIES}); choose one point of each sweep with --point N"
        )
    return out


@style.styled
def compare_figure(
    results: list[ResultsLike],
    metric: str,
    labels: list[str] | None = None,
    point: int | None = None,
) -> Figure:
    """One outcome, one colour per scenario and design point (mean, median, 5-95 % band)."""
    results = [load(r) for r in results]
    labels = labels or scenario_labels(results)
    lines = series(results, labels, point)
    fig, ax = style.new_figure()
    full = f"{pretty_name(metric)}: {' vs '.join(labels)}"
    ax.set_title(
        full if len(full) <= 70 else pretty_name(metric), pad=22
    )  # else the legend names them
    dates: set[str] = set()
    reps = []
    calendar = all(r.calendar for r in results)
    for i, (r, p, label) in enumerate(lines):
        frame = r.tidy[r.tidy["point"] == p]
        stats = bands(frame.assign(_all=0), metric, "_all")
        draw_series(ax, stats, style.colour(i), label, calendar=calendar)
        dates |= set(stats["date"])
        reps.append(int(stats["n"].max()))
    runs = f"{min(reps)} runs per line" if min(reps) == max(reps) else "runs per line vary"
    subtitle(ax, f"{style.title_of(metric)}; {runs}")
    handles = ax.get_legend_handles_labels()[0]
    fig.legend(
        handles=handles + key_handles(),
        loc="outside lower center",
        ncol=len(handles) + 3 if len(handles) <= 3 else 3,
    )
    finish_axes(ax, metric, style.to_dates(sorted(dates)), calendar)
    if calendar:
        mark_schedule_changes(ax, [r.scenario for r in results])
    return fig


def lever_columns(results: list[Results]) -> list[str]:
    """Every factor any folder sweeps, in the order the folders name them."""
    return list(dict.fromkeys(n for r in results for n in r.swept))


def final_values(
    results: list[ResultsLike],
    metrics: list[str],
    labels: list[str] | None = None,
    point: int | None = None,
) -> pd.DataFrame:
    """Long table: scenario, point, one column per swept lever, metric, unit, last
    month, mean, median, p5, p95, runs: one row per design point, never pooled."""
    results = [load(r) for r in results]
    labels = labels or scenario_labels(results)
    levers = lever_columns(results)
    rows = []
    for r, p, label in series(results, labels, point, limit=False) if len(results) else []:
        fin = r.final[r.final["point"] == p]
        last = str(fin["date"].max()) if "date" in fin else ""
        values = r.points.set_index("point").loc[p].to_dict() if r.swept else {}
        cells = {n: _cell(values.get(n, _base(r, n))) for n in levers}
        for m in metrics:
            rows.append(
                {
                    "scenario": label,
                    "point": int(p),
                    **cells,
                    "metric": m,
                    "unit": style.unit_of(m),
                    "month": last,
                    **band_stats(fin[m]),
                }
            )
    return pd.DataFrame(rows)


def _base(r: Results, name: str) -> Any:
    """The value a folder that does not sweep ``name`` runs with (its file's, else the default)."""
    sc = r.scenario
    for key in ("parameters", "levers"):
        if isinstance(sc.get(key), dict) and name in sc[key]:
            return sc[key][name]
    from sim.levers import BY_NAME

    p = BY_NAME.get(name)
    return p.default if p is not None and r.calendar else None


def _cell(v: Any) -> Any:
    import json

    v = v.item() if hasattr(v, "item") else v
    if isinstance(v, (dict, list, tuple)):
        return json.dumps(v if not isinstance(v, tuple) else list(v), sort_keys=True)
    return v


def format_table(table: pd.DataFrame, key: str = "scenario") -> str:
    """The final-value table as aligned text: mean [5 %, 95 %] in each cell."""
    cells = {}
    for row in table.to_dict("records"):
        unit = row["unit"]
        text = (
            f"{style.fmt_value(row['mean'], unit)} "
            f"[{style.fmt_value(row['p5'], unit)}, {style.fmt_value(row['p95'], unit)}]"
        )
        cells.setdefault(row["metric"], {})[row[key]] = text
    wide = pd.DataFrame(cells).T
    if wide.shape[1] > 3:  # many scenarios or points: one row each reads better
        wide = wide.T
    wide.index.name = "final value: mean [5 %, 95 %]"
    return wide.to_string()


def compare(
    dirs: list[str | Path],
    metrics: list[str] | None = None,
    out_dir: str | Path = "results/compare",
    fmt: str = "png",
    point: int | None = None,
) -> tuple[list[Path], pd.DataFrame, Path]:
    """Draw the overlays and write ``final_values.csv``; return figure paths, table and CSV path."""
    if len(dirs) < 1:
        raise UserError("compare needs at least one results folder")
    results = [load(d) for d in dirs]
    chosen = check_common(results, metrics)
    if not chosen:
        raise UserError("the folders share none of the metrics asked for")
    labels = scenario_labels(results)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    many = len(series(results, labels, point, limit=False)) > MAX_SERIES
    if many:  # the table still holds every point
        print(
            f"note: more than {MAX_SERIES} design points in all: no overlaid curves "
            "(choose one point of each sweep with --point N); the tables hold every point",
            file=sys.stderr,
        )
    for m in [] if many else chosen:
        path = out / f"compare_{style.file_stem(m)}.{fmt}"
        style.save(compare_figure(results, m, labels, point), path)
        paths.append(path)
    table = final_values(results, chosen, labels, point)
    csv = out / "final_values.csv"
    rounded_frame(table).to_csv(csv, index=False)
    return paths, table, csv
