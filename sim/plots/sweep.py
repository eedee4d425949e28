"""Sweep views: what the final outcomes do as a lever moves.

A sweep asks "how far does this lever move that outcome?". With one swept
lever the answer is a line of the final value against the lever, with its
5-95 % band over replications; with two, a line per value of the second
lever and a heat map of the mean over the grid (:mod:`sim.plots.heatmap`). With more levers each view
is the lever's marginal effect, pooled over the others (said in the
subtitle). Samples with many distinct values (Latin hypercube, Sobol) are
shown as points rather than a line.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from sim.plots import style
from sim.plots.curves import pretty_name
from sim.plots.data import BAND, SWEEP_METRICS, Results, ResultsLike, load

MAX_DISCRETE = 15  # more distinct values than this: a sample, drawn as points
HEAT_METRICS = ("startups_alive", "jobs", "occupancy_rate", "spending_per_surviving_startup")


def sweep_metrics(results: Results, metrics: list[str] | None = None) -> list[str]:
    """Metrics for sweep views: those asked for, else stocks and totals present."""
    if metrics:
        return [m for m in metrics if m in results.final.columns]
    return results.present(SWEEP_METRICS)


def _is_numeric(s: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)


def _summary(final: pd.DataFrame, keys: list[str], metric: str) -> pd.DataFrame:
    """Per group: mean_, count_, p5_ and p95_ beside the keys (the trailing _ keeps
    them apart from a lever called mean or count)."""
    g = final.groupby(keys, sort=True)[metric]
    out = g.agg(["mean", "count"]).rename(columns={"mean": "mean_", "count": "count_"})
    q = g.quantile(list(BAND)).unstack()
    out["p5_"], out["p95_"] = q[BAND[0]], q[BAND[1]]
    return out.reset_index()


def _draw_lever_line(
    ax: Axes,
    final: pd.DataFrame,
    lever: str,
    metric: str,
    color: str,
    label: str | None,
    categories: list[Any] | None = None,
) -> None:
    """Final value against one lever: mean line with band, or points for a sample.

    ``categories`` fixes the positions of a categorical lever so that every
    line of a panel puts the same category at the same place.
    """
    values = final[lever]
    if _is_numeric(values) and values.nunique() > MAX_DISCRETE:
        ax.scatter(values, final[metric], s=9, color=color, alpha=0.55, label=label, lw=0)
        bins = pd.qcut(values, 6, duplicates="drop")  # the trend: mean of each sixth of the range
        trend = final.groupby(bins, observed=True).agg(x_=(lever, "mean"), y_=(metric, "mean"))
        ax.plot(trend["x_"], trend["y_"], color=color, lw=1.8)
        return
    s = _summary(final, [lever], metric)
    if _is_numeric(values):
        x: Any = s[lever].astype(float)
    else:  # categories and booleans at integer positions, labelled
        cats = categories if categories is not None else list(s[lever])
        x = np.array([cats.index(v) for v in s[lever]])
        ax.set_xticks(range(len(cats)), [_tick_label(lever, v) for v in cats])
    ax.fill_between(x, s["p5_"], s["p95_"], color=color, alpha=style.BAND_ALPHA, lw=0)
    ax.plot(x, s["mean_"], color=color, lw=2, marker="o", ms=4, label=label)


def is_grid(results: Results) -> bool:
    """True when the design points are every combination of the swept values (a grid)."""
    pts = results.points
    if not results.swept or any(pts[s].nunique() > MAX_DISCRETE for s in results.swept):
        return False
    return len(pts) == math.prod(pts[s].nunique() for s in results.swept)


def _grid(n: int) -> tuple[int, int]:
    ncols = 2 if n in (2, 4) else min(3, n)
    return ncols, math.ceil(n / ncols)


def _legend_cols(labels: list[str]) -> int:
    longest = max((len(lab) for lab in labels), default=0)
    return 1 if longest > 60 else 2 if longest > 35 else 3


@style.styled
def sweep_figure(results: ResultsLike, lever: str, metrics: list[str] | None = None) -> Figure:
    """Small multiples: each metric's final value against ``lever``.

    With exactly two swept levers, one line per value of the other lever
    (when it has few values); otherwise the other levers are pooled.
    """
    results = load(results)
    chosen = sweep_metrics(results, metrics)
    final = results.final
    others = [s for s in results.swept if s != lever]
    split = others[0] if len(others) == 1 and final[others[0]].nunique() <= 6 else None
    ncols, nrows = _grid(len(chosen))
    fig, axes = style.new_figure(
        (max(3.4 * ncols, 9.0), 2.8 * nrows + 0.9), nrows=nrows, ncols=ncols, squeeze=False
    )
    last = results.when(final)
    cats = (
        None if _is_numeric(final[lever]) else results.in_file_order(lever, final[lever].unique())
    )
    for ax, metric in zip(axes.flat, chosen, strict=False):
        if split:
            for i, v in enumerate(results.in_file_order(split, final[split].unique())):
                sub = final[final[split] == v]
                label = style.lever_label(split, _py(v))
                _draw_lever_line(ax, sub, lever, metric, style.colour(i), label, cats)
        else:
            _draw_lever_line(ax, final, lever, metric, style.colour(0), None, cats)
        ax.set_title(pretty_name(metric), fontsize=10, loc="left")
        unit = style.unit_of(metric)
        style.format_value_axis(ax, unit)
        ax.set_ylabel(style.axis_label(metric), fontsize=8)
        if _is_numeric(final[lever]):
            style.format_value_axis(ax, "share" if style.lever_is_share(lever) else "", axis="x")
        ax.set_xlabel(style.lever_axis_label(lever), fontsize=8)
        if ax.get_ylim()[0] >= 0:
            ax.set_ylim(bottom=0)
    for ax in list(axes.flat)[len(chosen) :]:
        ax.set_visible(False)
    pooled = f"; pooled over {', '.join(others)}" if others and not split else ""
    sampled = _is_numeric(final[lever]) and final[lever].nunique() > MAX_DISCRETE
    fig.suptitle(
        f"Final outcomes ({last}) against {lever.replace('_', ' ')} — {results.name}",
        x=0.01,
        ha="left",
        fontweight="bold",
        fontsize=12,
    )
    handles, labels = axes.flat[0].get_legend_handles_labels()
    note = f"mean over runs, 5–95 % band shaded{pooled}"
    if sampled:
        note = f"each dot one run, line the mean of each sixth of the range{pooled.replace('pooled over', 'varying with them:')}"
    if handles:
        fig.legend(
            handles,
            labels,
            loc="outside lower center",
            ncol=min(_legend_cols(labels), len(handles)),
            title=note,
            title_fontsize=9,
        )
    else:
        fig.supxlabel(note, x=0.01, ha="left", fontsize=9, color="#555555")
    return fig


def _py(v: Any) -> Any:
    return v.item() if hasattr(v, "item") else v


@style.styled
def points_figure(results: ResultsLike, metrics: list[str] | None = None) -> Figure:
    """Final values per design point as dots with their band, for named cases (a list design).

    When levers move together (a list of cases, not a grid) a line against one
    lever would mislead; each case gets its own row and its colour in the curves.
    """
    results = load(results)
    chosen = sweep_metrics(results, metrics)
    final, pts = results.final, results.points
    short = {
        row["point"]: ", ".join(_tick_label(k, row[k]) for k in results.swept)
        for row in pts.to_dict("records")
    }
    order = list(pts["point"])
    ncols, nrows = _grid(len(chosen))
    height = max(2.2, 0.32 * len(order) + 1.0)
    fig, axes = style.new_figure(
        (3.6 * ncols + 1.0, height * nrows + 0.8),
        nrows=nrows,
        ncols=ncols,
        squeeze=False,
        sharey=True,
    )
    for ax, metric in zip(axes.flat, chosen, strict=False):
        s = _summary(final, ["point"], metric).set_index("point").reindex(order)
        y = np.arange(len(order))[::-1]
        for i, (yy, row) in enumerate(zip(y, s.itertuples(), strict=True)):
            ax.plot([row.p5_, row.p95_], [yy, yy], color=style.colour(i), lw=3, alpha=0.35)
            ax.plot(row.mean_, yy, "o", color=style.colour(i), ms=6)
        ax.set_yticks(y, [short[p] for p in order])
        ax.set_title(pretty_name(metric), fontsize=10, loc="left")
        style.format_value_axis(ax, style.unit_of(metric), axis="x")
        ax.set_xlabel(style.axis_label(metric), fontsize=8)
        ax.set_ylim(-0.6, len(order) - 0.4)
    for ax in list(axes.flat)[len(chosen) :]:
        ax.set_visible(False)
    last = results.when(final)
    fig.suptitle(
        f"Final outcomes ({last}) by case — {results.name}",
        x=0.01,
        ha="left",
        fontweight="bold",
        fontsize=12,
    )
    cases = ", ".join(k.replace("_", " ") for k in results.swept)
    fig.supxlabel(
        f"each row: {cases}; dot = mean over runs, bar = 5–95 % of runs",
        x=0.01,
        ha="left",
        fontsize=9,
        color="#555555",
    )
    return fig


def _tick_label(lever: str, v: Any) -> str:
    return style.lever_value(lever, v)


def plot_sweep(
    results: ResultsLike, out_dir: Path, metrics: list[str] | None = None, fmt: str = "png"
) -> list[Path]:
    """Write the sweep views of a results folder (nothing when it sweeps nothing)."""
    results = load(results)
    swept = results.swept
    if not swept:
        return []
    out_dir.mkdir(parents=True, exist_ok=True)
    sampled = any(results.points[s].nunique() > MAX_DISCRETE for s in swept)
    if len(swept) > 1 and not sampled and not is_grid(results):
        path = out_dir / f"sweep_cases.{fmt}"
        style.save(points_figure(results, metrics), path)
        return [path]
    paths = []
    for lever in swept:
        path = out_dir / f"sweep_{style.file_stem(lever)}.{fmt}"
        style.save(sweep_figure(results, lever, metrics), path)
        paths.append(path)
    if len(swept) == 2:
        x, y = swept
        named = [m for m, _ in results.plot_specs()]  # the scenario's own, then the standard
        chosen = sweep_metrics(
            results, metrics or list(dict.fromkeys([*named, *results.present(HEAT_METRICS)]))
        )
        from sim.plots.heatmap import heatmap_figure

        for metric in chosen:
            path = out_dir / f"heatmap_{style.file_stem(metric)}.{fmt}"
            style.save(heatmap_figure(results, metric, x, y), path)
            paths.append(path)
    return paths
