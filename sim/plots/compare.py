"""Scenario beside scenario: the same outcomes from several results folders.

A what-if is only read against its counterfactual. Each folder becomes one
colour, labelled with its scenario name; all its runs are pooled (a folder
that sweeps is summarised over its whole design). The final-value table
gives the numbers behind the curves, printed and saved as CSV.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from sim.errors import UserError
from sim.plots import style
from sim.plots.curves import draw_series, finish_axes, key_handles, pretty_name, subtitle
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


@style.styled
def compare_figure(
    results: list[ResultsLike], metric: str, labels: list[str] | None = None
) -> Figure:
    """One outcome, one colour per scenario (mean, median, 5-95 % band over its runs)."""
    results = [load(r) for r in results]
    labels = labels or scenario_labels(results)
    fig, ax = style.new_figure()
    full = f"{pretty_name(metric)}: {' vs '.join(labels)}"
    ax.set_title(
        full if len(full) <= 70 else pretty_name(metric), pad=22
    )  # else the legend names them
    dates: set[str] = set()
    reps = []
    calendar = all(r.calendar for r in results)
    for i, (r, label) in enumerate(zip(results, labels, strict=True)):
        stats = bands(r.tidy.assign(_all=0), metric, "_all")
        draw_series(ax, stats, style.colour(i), label, calendar=calendar)
        dates |= set(stats["date"])
        reps.append(int(stats["n"].max()))
    runs = f"{min(reps)} runs per scenario" if min(reps) == max(reps) else "runs per scenario vary"
    subtitle(ax, f"{style.title_of(metric)}; {runs}")
    handles = ax.get_legend_handles_labels()[0]
    fig.legend(
        handles=handles + key_handles(),
        loc="outside lower center",
        ncol=len(handles) + 3 if len(handles) <= 3 else 3,
    )
    finish_axes(ax, metric, style.to_dates(sorted(dates)), calendar)
    return fig


def final_values(
    results: list[ResultsLike], metrics: list[str], labels: list[str] | None = None
) -> pd.DataFrame:
    """Long table: scenario, metric, unit, last month, mean, median, p5, p95, runs."""
    results = [load(r) for r in results]
    labels = labels or scenario_labels(results)
    rows = []
    for r, label in zip(results, labels, strict=True):
        fin = r.final
        last = str(fin["date"].max()) if "date" in fin else ""
        for m in metrics:
            rows.append(
                {
                    "scenario": label,
                    "metric": m,
                    "unit": style.unit_of(m),
                    "month": last,
                    **band_stats(fin[m]),
                }
            )
    return pd.DataFrame(rows)


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
    wide.index.name = "final value: mean [5 %, 95 %]"
    return wide.to_string()


def compare(
    dirs: list[str | Path],
    metrics: list[str] | None = None,
    out_dir: str | Path = "results/compare",
    fmt: str = "png",
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
    for m in chosen:
        path = out / f"compare_{style.file_stem(m)}.{fmt}"
        style.save(compare_figure(results, m, labels), path)
        paths.append(path)
    table = final_values(results, chosen, labels)
    csv = out / "final_values.csv"
    table.to_csv(csv, index=False)
    return paths, table, csv
