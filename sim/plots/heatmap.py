"""Heat maps of a two-lever grid: the mean final value in each cell, and which
cells the runs cannot tell apart from the best one.

A heat map's colour scale stretches to its range, so noise between cells
looks like an effect. Each cell is labelled with its mean; the best cell
(highest, or lowest for an outcome to minimise) gets a thick outline and the
cells whose 90 % interval of the mean overlaps its interval a dashed one;
columns and rows follow the order the scenario file lists the values.
"""

from __future__ import annotations

import textwrap
from typing import Any

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from sim.plots import style
from sim.plots.curves import pretty_name
from sim.plots.data import ResultsLike, load
from sim.plots.sweep import MAX_DISCRETE, _py, _summary, _tick_label


@style.styled
def heatmap_figure(results: ResultsLike, metric: str, x: str, y: str) -> Figure:
    """Mean final value of ``metric`` over the grid of two levers, each cell labelled."""
    results = load(results)
    final = results.final
    unit = style.unit_of(metric)
    cmap = matplotlib.colormaps[style.SEQUENTIAL_CMAP]
    fig, ax = style.new_figure((7.5, 5.2))
    when = f"{'in' if results.calendar else 'after'} {results.when(final)}"
    ax.set_title(
        f"{pretty_name(metric)} {when} by {x.replace('_', ' ')} and {y.replace('_', ' ')}",
        loc="left",
        fontsize=11,
    )
    note = textwrap.fill(f"{results.name}: {_noise_note(final, [x, y], metric)}", 110)
    fig.supxlabel(note, x=0.01, ha="left", fontsize=9, color="#555555")
    ax.grid(False)
    discrete = final[x].nunique() <= MAX_DISCRETE and final[y].nunique() <= MAX_DISCRETE
    if not discrete:  # a sample: each design point a dot coloured by its mean
        s = _summary(final, [x, y], metric)
        art = ax.scatter(s[x], s[y], c=s["mean_"], cmap=cmap, s=40)
        ax.set_xlabel(style.lever_axis_label(x))
        ax.set_ylabel(style.lever_axis_label(y))
    else:
        cols = results.in_file_order(x, final[x].unique())
        rows = results.in_file_order(y, final[y].unique())[::-1]  # the first at the bottom
        grid = final.groupby([y, x])[metric].mean().unstack(x).reindex(index=rows, columns=cols)
        art = ax.imshow(grid.to_numpy(dtype=float), cmap=cmap, aspect="auto")
        ax.set_xticks(range(grid.shape[1]), [_tick_label(x, v) for v in grid.columns])
        ax.set_yticks(range(grid.shape[0]), [_tick_label(y, v) for v in grid.index])
        ax.set_xlabel(style.lever_axis_label(x))
        ax.set_ylabel(style.lever_axis_label(y))
        _annotate(ax, grid, unit, art)
        marked = _mark_best(ax, final, x, y, metric, grid)
        if marked:
            note = textwrap.fill(f"{note}; {marked}", 110)
            fig.supxlabel(note, x=0.01, ha="left", fontsize=9, color="#555555")
    cbar = fig.colorbar(art, ax=ax, shrink=0.9)
    cbar.set_label(style.axis_label(metric))
    style.format_value_axis(cbar.ax, unit)
    return fig


CELL_CONF = 0.90  # the interval of a cell's mean that the marks compare


def cell_intervals(final: pd.DataFrame, keys: list[str], metric: str) -> pd.DataFrame:
    """Per cell: mean and the 90 % interval of the mean (Student t over its runs)."""
    from scipy.special import stdtrit  # Student t quantiles, without importing scipy.stats

    g = final.groupby(keys, sort=False)[metric]
    out = g.agg(["mean", "std", "count"]).reset_index()
    t = stdtrit(np.maximum(out["count"] - 1, 1), (1 + CELL_CONF) / 2)
    half = t * out["std"] / np.sqrt(out["count"])
    out["low"], out["high"] = out["mean"] - half, out["mean"] + half
    return out


def _mark_best(
    ax: Axes, final: pd.DataFrame, x: str, y: str, metric: str, grid: pd.DataFrame
) -> str:
    """Outline the best cell (thick) and the cells whose 90 % interval of the mean
    overlaps its interval (dashed): those the runs cannot tell apart from it."""
    from matplotlib.patches import Rectangle

    cells = cell_intervals(final, [y, x], metric).dropna(subset=["mean"])
    if cells.empty or int(cells["count"].min()) < 2:
        return "one run per cell: no interval, no cell marked" if not cells.empty else ""
    direction = style.direction_of(metric)
    best = cells.loc[cells["mean"].idxmin() if direction == "minimize" else cells["mean"].idxmax()]
    word = {"maximize": "best (highest)", "minimize": "best (lowest)"}.get(direction, "highest")
    rows, cols = list(grid.index), list(grid.columns)
    same = 0
    for c in cells.to_dict("records"):
        i = next(k for k, v in enumerate(rows) if _eq(v, c[y]))
        j = next(k for k, v in enumerate(cols) if _eq(v, c[x]))
        is_best = _eq(c[x], best[x]) and _eq(c[y], best[y])
        overlaps = c["low"] <= best["high"] and c["high"] >= best["low"]
        if is_best or overlaps:
            same += not is_best
            ax.add_patch(
                Rectangle(
                    (j - 0.5, i - 0.5),
                    1,
                    1,
                    fill=False,
                    lw=3.0 if is_best else 1.6,
                    ls="-" if is_best else (0, (4, 2)),
                    ec="#D55E00",
                    clip_on=True,
                )
            )
    return (
        f"thick outline: the {word} cell; dashed: {same} cell(s) whose "
        f"{CELL_CONF * 100:.0f} % interval of the mean overlaps it (not told apart by these runs)"
    )


def _eq(a: Any, b: Any) -> bool:
    a, b = _py(a), _py(b)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return float(a) == float(b)
    return a == b


def _noise_note(final: pd.DataFrame, keys: list[str], metric: str) -> str:
    """Say how many runs each cell averages, and whether cells differ by more than runs do.

    A heat map's colour scale stretches to its range, so noise between cells
    looks like an effect; this line keeps the reader honest.
    """
    s = _summary(final, keys, metric)
    runs = int(s["count_"].min())
    scale = float(s["mean_"].abs().mean()) or 1.0
    between = float(s["mean_"].max() - s["mean_"].min()) / scale
    within = float((s["p95_"] - s["p5_"]).median()) / scale
    note = f"mean of {runs} runs per cell" if runs == s["count_"].max() else "mean over runs"
    if runs > 1 and within > 0 and between < within:
        note += (
            f"; cells differ by {100 * between:.0f} %, less than runs within a cell "
            f"({100 * within:.0f} %): read the colours with care"
        )
    return note


def _annotate(ax: Axes, grid: pd.DataFrame, unit: str, art: Any) -> None:
    """Write each cell's mean in it, dark on light cells and light on dark ones."""
    if grid.size > 100:
        return
    values = grid.to_numpy(dtype=float)
    for (i, j), v in np.ndenumerate(values):
        if np.isnan(v):
            continue
        r, g, b, _ = art.cmap(art.norm(v))
        light = 0.299 * r + 0.587 * g + 0.114 * b > 0.55
        ax.text(
            j,
            i,
            style.fmt_value(v, unit),
            ha="center",
            va="center",
            fontsize=9,
            color="#111111" if light else "white",
        )
