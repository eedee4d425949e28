"""Outcome curves over calendar months with bands over replications.

A single run of a stochastic model proves little; the curve a reader should
trust is the mean over replications with the spread around it. Each figure
shows, per design point (or per value of one lever), the mean as a solid
line, the median dashed and the 5-95 % band shaded, against calendar dates.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from sim.plots import style
from sim.plots.data import Results, ResultsLike, bands, load, sort_key

MAX_BANDED = 8  # more groups than this: thin grey mean lines and one pooled band


def pretty_name(metric: str) -> str:
    """'spending_per_surviving_startup' -> 'Spending per surviving startup'."""
    return metric.replace("_", " ").capitalize()


def draw_series(
    ax: Axes,
    stats: pd.DataFrame,
    color: str,
    label: str | None,
    band: bool = True,
    median: bool = True,
    lw: float = 2.0,
    calendar: bool = True,
) -> None:
    """Mean (solid), median (dashed) and 5-95 % band of one group's statistics."""
    x = time_axis(stats, calendar)
    if band:
        ax.fill_between(x, stats["p5"], stats["p95"], color=color, alpha=style.BAND_ALPHA, lw=0)
    ax.plot(x, stats["mean"], color=color, lw=lw, label=label)
    if median:
        ax.plot(x, stats["median"], color=color, lw=1.0, ls=(0, (4, 2)), alpha=0.9)


def key_handles(color: str = "#444444") -> list[Any]:
    """Legend entries explaining the line styles (shared by every curve figure)."""
    return [
        Line2D([], [], color=color, lw=2.0, label="mean"),
        Line2D([], [], color=color, lw=1.0, ls=(0, (4, 2)), label="median"),
        Patch(facecolor=color, alpha=style.BAND_ALPHA + 0.1, label="5–95 % of runs"),
    ]


def subtitle(ax: Axes, text: str) -> None:
    """A grey line under the title saying what the statistics are."""
    note = ax.text(0, 1.02, text, transform=ax.transAxes, fontsize=9, color="#555555", va="bottom")
    note.set_in_layout(False)  # the title's pad leaves room; a long line must not squeeze the plot


def time_axis(stats: pd.DataFrame, calendar: bool = True) -> Any:
    """x values: calendar months, or the step number of another Mesa model."""
    return style.to_dates(stats["date"]) if calendar else stats["month"].to_numpy()


def schedule_changes(scenarios: Sequence[dict[str, Any]]) -> dict[str, list[str]]:
    """Month -> the levers and parameters whose schedule changes in that month (the
    first month of a schedule holds from the start, so it is no change)."""
    out: dict[str, list[str]] = {}
    for sc in scenarios:
        start = str(sc.get("start") or "")
        for key in ("levers", "parameters"):
            values = sc.get(key) if isinstance(sc.get(key), dict) else {}
            for name, value in values.items():
                if not isinstance(value, dict) or len(value) < 2:
                    continue
                months = sorted(str(m) for m in value)
                steps = list(zip(months, months[1:], strict=False))
                for before, month in steps:
                    if month > start and value[month] != value[before]:
                        out.setdefault(month, [])
                        if name not in out[month]:
                            out[month].append(name)
    return dict(sorted(out.items()))


def mark_schedule_changes(ax: Axes, scenarios: Sequence[dict[str, Any]]) -> None:
    """A dotted line, labelled, at each month a lever's schedule changes (for
    example the 2015-03 switch-on of the Guideline), inside the plotted range."""
    changes = schedule_changes(scenarios)
    lo, hi = ax.get_xlim()
    for month, names in changes.items():
        x = style.to_dates([month])[0]
        xn = mdates.date2num(x)
        if not lo < xn < hi:
            continue
        ax.axvline(x, color="#777777", lw=0.8, ls=(0, (1, 2)), zorder=0.5)
        what = names[0].replace("_", " ") if len(names) == 1 else f"{len(names)} levers"
        label = ax.text(
            x,
            0.98,
            f"{month} {what}",
            transform=ax.get_xaxis_transform(),
            rotation=90,
            ha="right",
            va="top",
            fontsize=6.5,
            color="#666666",
            clip_on=True,
        )
        label.set_in_layout(False)


def finish_axes(
    ax: Axes, metric: str, dates: Sequence[pd.Timestamp], calendar: bool = True
) -> None:
    """Units on the value axis, calendar dates (or steps) on the time axis."""
    unit = style.unit_of(metric)
    style.format_value_axis(ax, unit)
    ax.set_ylabel(style.axis_label(metric))
    if calendar:
        style.format_date_axis(ax, dates)
    else:
        ax.set_xlabel("step")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if ax.dataLim.y0 >= 0:  # nothing drawn below zero: start the axis at zero
        ax.set_ylim(bottom=0)


@style.styled
def curve_figure(
    results: ResultsLike,
    metric: str,
    by: str | None = None,
    colours: dict[Any, str] | None = None,
) -> Figure:
    """One outcome over time, one colour per design point or per value of ``by``."""
    results = load(results)
    frame, key, labels = grouping(results, by)
    stats = bands(frame, metric, key)
    groups = [g for g in labels if g in set(stats[key])]
    fig, ax = style.new_figure()
    title = pretty_name(metric) + (f" — {results.name}" if len(groups) <= 1 else "")
    ax.set_title(title, pad=22)
    reps = int(stats["n"].max()) if len(stats) else 0
    desc = style.title_of(metric)
    if len(groups) <= MAX_BANDED:
        for i, g in enumerate(groups):
            color = (colours or {}).get(g, style.colour(i))
            label = labels[g] if len(groups) > 1 else None
            draw_series(ax, stats[stats[key] == g], color, label, calendar=results.calendar)
        low = int(stats["n"].min()) if len(stats) else 0
        runs = f"{reps} runs per line" if low == reps else f"{low}–{reps} runs per line"
        subtitle(ax, f"{desc}; {runs}")
        handles = key_handles() if len(groups) == 1 else ax.get_legend_handles_labels()[0]
        if len(groups) == 1:
            ax.legend(handles=handles, loc="best")
        else:
            _outside_legend(fig, ax, handles + key_handles())
    else:
        _many_groups(fig, ax, results, metric, stats, key, groups)
        subtitle(ax, f"{desc}; {len(groups)} design points, pooled band over all runs")
    dates = style.to_dates(sorted(stats["date"].unique()))
    finish_axes(ax, metric, dates, results.calendar)
    if results.calendar:
        mark_schedule_changes(ax, [results.scenario])
    return fig


STATISTICS = ("mean", "median", "n", "p5", "p95")  # columns of ``bands``, beside the group's


def grouping(results: Results, by: str | None) -> tuple[pd.DataFrame, str, dict[Any, str]]:
    """The frame, the column to group on and the legend labels for ``by``.

    A lever sampled at many values (Latin hypercube, Sobol) is cut into four
    quartile bins, so each line is a band over comparable runs rather than
    one run per value.
    """
    if by is None:
        return results.tidy, "point", results.group_labels()
    values = results.tidy[by]
    numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
    if values.isna().any():  # runs that left the parameter at its default of None
        filled = values.astype(object).where(values.notna(), "None")
        groups = sorted(filled.unique(), key=sort_key)
        return results.tidy.assign(_by=filled), "_by", {v: style.lever_label(by, v) for v in groups}
    if not numeric or values.nunique() <= MAX_BANDED:
        if by in STATISTICS:  # e.g. Mesa's Boltzmann model calls its agent count `n`
            return results.tidy.assign(_by=values), "_by", results.group_labels(by)
        return results.tidy, by, results.group_labels(by)
    bins = pd.qcut(values, 4, duplicates="drop")
    unit = style.lever_unit(by) if not style.lever_is_share(by) else ""
    name = by.replace("_", " ")
    codes = bins.cat.codes
    ranges = values.groupby(codes).agg(["min", "max"])  # the values really in each bin
    labels = {
        int(
            i
        ): f"{name} {style.lever_value(by, r['min'])} to {style.lever_value(by, r['max'])} {unit}".rstrip()
        for i, r in ranges.iterrows()
    }
    return results.tidy.assign(_bin=codes.astype(int)), "_bin", labels


def _outside_legend(fig: Figure, ax: Axes, handles: list[Any]) -> None:
    ncol = 2 if max(len(h.get_label()) for h in handles) > 30 else 3
    fig.legend(handles=handles, loc="outside lower center", ncol=ncol)


def _many_groups(
    fig: Figure,
    ax: Axes,
    results: Results,
    metric: str,
    stats: pd.DataFrame,
    key: str,
    groups: list[Any],
) -> None:
    """Too many points for a band each: thin grey means plus the band pooled over all runs."""
    thin = "#8a8a8a"
    for g in groups:
        sub = stats[stats[key] == g]
        x = time_axis(sub, results.calendar)
        ax.plot(x, sub["mean"], color=thin, lw=0.6, alpha=0.5)
    pooled = bands(results.tidy.assign(_all=0), metric, "_all")
    draw_series(ax, pooled, style.colour(0), "all runs", lw=2.2, calendar=results.calendar)
    handles = [Line2D([], [], color=thin, lw=0.6, label="mean of one design point")]
    ax.legend(handles=handles + key_handles(style.colour(0)), loc="best")


def plot_curves(
    results: ResultsLike,
    metrics: list[str],
    out_dir: Path,
    by: str | None = None,
    fmt: str = "png",
) -> list[Path]:
    """Write one curve figure per metric to ``out_dir``; return their paths."""
    results = load(results)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for metric in metrics:
        fig = curve_figure(results, metric, by)
        suffix = f"_by_{style.file_stem(by)}" if by else ""
        path = out_dir / f"{style.file_stem(metric)}{suffix}.{fmt}"
        style.save(fig, path)
        paths.append(path)
    return paths
