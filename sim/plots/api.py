"""The plotting entry points the runner, the command line and notebooks call.

``render_all`` is what ``sim run`` calls when a batch finishes: it draws the
outcome curves the scenario names (or the standard set), the sweep views
when the scenario sweeps, the oversupply view, the final-value table, and the
HTML report that embeds them all. It returns the report's path so the caller
can print it last.
"""

from __future__ import annotations

from pathlib import Path

from sim.plots.curves import plot_curves
from sim.plots.data import SWEEP_METRICS, Results, final_table, load
from sim.plots.oversupply import plot_oversupply
from sim.plots.report import write_report
from sim.plots.sweep import plot_sweep

PLOTS = "plots"


def table_metrics(res: Results) -> list[str]:
    """Outcomes of the final-value table: the plotted ones, then stocks and totals."""
    pool = [*res.default_metrics(), *res.present(SWEEP_METRICS)]
    return [m for m in dict.fromkeys(pool) if m in res.timeseries.columns]


def draw_defaults(res: Results, fmt: str = "png") -> list[Path]:
    """Curves, sweep views and the oversupply view of a folder; return the files written."""
    out = res.path / PLOTS
    specs = res.plot_specs() or [(m, None) for m in res.default_metrics()]
    paths: list[Path] = []
    for metric, by in specs:
        paths += plot_curves(res, [metric], out, by=by, fmt=fmt)
    paths += plot_sweep(res, out, fmt=fmt)
    paths += plot_oversupply(res, out, fmt=fmt)
    return paths


def write_report_only(results_dir: str | Path) -> Path:
    """Rewrite ``report.html`` with the figures already in ``DIR/plots/`` (after an
    analysis added its own), without drawing the others again."""
    res = load(results_dir)
    figures = sorted((res.path / PLOTS).glob("*.png"))
    return write_report(res, figures, table_metrics(res))


def render_all(results_dir: str | Path) -> Path:
    """Draw every default figure and write ``report.html``; return the report's path."""
    res = load(results_dir)
    figures = draw_defaults(res, "png")
    drawn = set(figures)
    # figures drawn earlier by 'sim plot' (other metrics, --by) belong in the report too
    figures += [p for p in sorted((res.path / PLOTS).glob("*.png")) if p not in drawn]
    metrics = table_metrics(res)
    final_table(res, metrics).to_csv(res.path / "final_values.csv", index=False)
    return write_report(res, figures, metrics)
