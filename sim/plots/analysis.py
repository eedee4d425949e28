"""Figures of the analyses (:mod:`sim.analysis`): sensitivity indices, PRIM boxes,
policy effects.

Each takes the plain form an analysis is stored in (``DIR/analysis/*.json``,
or the tables :mod:`sim.analysis.effects` returns), so the report can redraw
them without computing anything again.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim.plots import style
from sim.plots.curves import pretty_name


def _factor_label(name: str) -> str:
    return textwrap.fill(name.replace("_", " "), 26)


@style.styled
def sensitivity_figure(entry: dict[str, Any], scenario: str = "") -> Figure:
    """Bars of each factor's indices with their intervals, most influential on top."""
    rows = pd.DataFrame(entry["rows"])
    sobol = entry["method"] == "sobol"
    key = "ST" if sobol else "mu_star"
    rows = rows.sort_values(key, ascending=True, na_position="first")
    n = len(rows)
    fig, ax = style.new_figure((8.0, max(2.6, 0.55 * n + 1.6)))
    y = np.arange(n)
    level = f"{entry.get('conf_level', 0.95) * 100:.0f} %"
    if sobol:
        h = 0.38
        ax.barh(
            y + h / 2,
            rows["ST"],
            h,
            xerr=rows["ST_conf"],
            color=style.colour(0),
            label="total (ST)",
            capsize=3,
        )
        ax.barh(
            y - h / 2,
            rows["S1"],
            h,
            xerr=rows["S1_conf"],
            color=style.colour(1),
            label="first order (S1)",
            capsize=3,
        )
        ax.axvline(0, color="#444444", lw=0.8)
        ax.set_xlabel(
            f"Sobol index (share of the outcome's variance); bars: {level} bootstrap interval"
        )
    else:
        ax.barh(
            y,
            rows["mu_star"],
            0.6,
            xerr=rows["mu_star_conf"],
            color=style.colour(0),
            label="mu* (mean |elementary effect|)",
            capsize=3,
        )
        ax.plot(
            rows["sigma"],
            y,
            "D",
            color=style.colour(3),
            ms=5,
            label="sigma (spread: interactions, non-linearity)",
        )
        ax.set_xlabel(
            f"elementary effect over the factor's range; bars: {level} bootstrap interval"
        )
        style.format_value_axis(ax, "", axis="x")
    ax.set_yticks(y, [_factor_label(f) for f in rows["factor"]])
    ax.grid(axis="y", visible=False)
    what = "Sobol indices" if sobol else "Morris screening"
    ax.set_title(f"{what} of {entry['label']}" + (f" — {scenario}" if scenario else ""), loc="left")
    runs = f"{entry['points']:,} design points x {entry['replications']} replication(s) (averaged)"
    note = f"{entry['samples']:,} {'samples' if sobol else 'trajectories'}, {runs}"
    if entry.get("recommended_samples"):
        note += (
            f"; some intervals are wider than their index: about "
            f"{entry['recommended_samples']:,} {'samples' if sobol else 'trajectories'} would make them fit"
        )
    fig.supxlabel(note, x=0.01, ha="left", fontsize=8.5, color="#555555")
    ax.legend(loc="lower right", fontsize=8)
    return fig


@style.styled
def discovery_figure(entry: dict[str, Any], scenario: str = "") -> Figure:
    """PRIM's peeling trajectory (coverage against density) and the chosen box's limits."""
    traj = pd.DataFrame(entry["trajectory"])
    chosen = int(entry["chosen"])
    limits = pd.DataFrame(entry["limits"][chosen])
    fig, (a, b) = style.new_figure(
        (11.0, max(4.2, 0.5 * len(limits) + 2.4)), ncols=2, width_ratios=(1, 1.25)
    )
    art = a.scatter(
        traj["coverage"],
        traj["density"],
        c=traj["res_dim"],
        cmap=style.SEQUENTIAL_CMAP,
        s=22,
        zorder=3,
    )
    pick = traj[traj["box"] == chosen].iloc[0]
    a.scatter(
        [pick["coverage"]],
        [pick["density"]],
        s=140,
        facecolors="none",
        edgecolors=style.colour(3),
        lw=2,
        zorder=4,
        label=f"box {chosen} (chosen)",
    )
    a.set_xlabel("coverage (share of runs of interest inside the box)")
    a.set_ylabel("density (share of the box that is of interest)")
    a.set_xlim(0, 1.02)
    a.set_ylim(0, 1.02)
    style.format_value_axis(a, "share")
    style.format_value_axis(a, "share", axis="x")
    a.set_title("Peeling trajectory", loc="left", fontsize=11)
    cbar = fig.colorbar(art, ax=a, shrink=0.85)
    cbar.set_label("restricted dimensions")
    a.legend(loc="lower left")
    _limits_panel(b, limits, entry.get("ranges") or {})
    b.set_title(f"Box {chosen}: limits within each range", loc="left", fontsize=11)
    head = f"Where {entry['where']}" + (f" — {scenario}" if scenario else "")
    fig.suptitle(head, x=0.01, ha="left", fontweight="bold", fontsize=12)
    share = entry["of_interest"] / entry["cases"] if entry["cases"] else float("nan")
    note = (
        f"{entry['of_interest']:,} of {entry['cases']:,} runs ({share:.0%}) meet the condition; "
        f"box {chosen}: coverage {pick['coverage']:.0%}, density {pick['density']:.0%}, "
        f"mass {pick['mass']:.0%}"
    ).replace("%", " %")
    if entry.get("notes"):
        note += "; " + "; ".join(entry["notes"])
    fig.supxlabel(note, x=0.01, ha="left", fontsize=8.5, color="#555555")
    return fig


def _limits_panel(ax: Any, limits: pd.DataFrame, ranges: dict[str, Any]) -> None:
    """Each restricted factor's range as a grey bar, the box's part of it in colour."""
    if limits.empty:
        ax.text(
            0.5,
            0.5,
            "the box restricts no factor",
            ha="center",
            va="center",
            transform=ax.transAxes,
        )
        ax.set_axis_off()
        return
    n = len(limits)
    for i, row in enumerate(limits.to_dict("records")):
        y = n - 1 - i
        full = ranges.get(row["factor"])
        ax.barh(y, 1.0, 0.5, color="#dddddd", lw=0)
        if (
            row["kind"] == "range"
            and isinstance(full, list)
            and len(full) == 2
            and full[1] > full[0]
        ):
            lo, hi = full
            a, b = (row["min"] - lo) / (hi - lo), (row["max"] - lo) / (hi - lo)
            ax.barh(y, b - a, 0.5, left=a, color=style.colour(0), lw=0)
            text = f"{style.lever_value(row['factor'], row['min'])} to {style.lever_value(row['factor'], row['max'])}"
        else:
            kept = row.get("choices") or []
            allv = full if isinstance(full, list) else kept
            width = len(kept) / max(len(allv), 1)
            ax.barh(y, width, 0.5, color=style.colour(1), lw=0)
            text = "only " + ", ".join(str(k) for k in kept)
        ax.text(
            0.01, y + 0.32, textwrap.shorten(text, 60), fontsize=8, va="bottom", color="#222222"
        )
    ax.set_yticks(range(n), [_factor_label(f) for f in limits["factor"]][::-1])
    ax.set_xlim(0, 1)
    ax.set_ylim(-0.6, n - 0.1)
    ax.set_xticks([0, 1], ["range's low end", "high end"])
    ax.grid(False)


@style.styled
def effects_figure(table: pd.DataFrame, metrics: list[str], baseline: str) -> Figure:
    """Each scenario's (and design point's) difference from the baseline with its
    90 % bootstrap interval, one panel per outcome."""
    chosen = [m for m in metrics if m in set(table["metric"])][:8]
    groups = list(dict.fromkeys(_row_label(r) for r in table.to_dict("records")))
    ncols = 2 if len(chosen) > 1 else 1
    nrows = -(-len(chosen) // ncols)
    height = max(2.2, 0.36 * len(groups) + 1.2)
    fig, axes = style.new_figure(
        (5.2 * ncols + 1.5, height * nrows + 1.0),
        nrows=nrows,
        ncols=ncols,
        squeeze=False,
        sharey=True,
    )
    y = np.arange(len(groups))[::-1]
    for ax, metric in zip(axes.flat, chosen, strict=False):
        sub = table[table["metric"] == metric]
        by = {_row_label(r): r for r in sub.to_dict("records")}
        for i, (g, yy) in enumerate(zip(groups, y, strict=True)):
            r = by.get(g)
            if r is None:
                continue
            ax.plot(
                [r["difference_low"], r["difference_high"]],
                [yy, yy],
                color=style.colour(i),
                lw=3,
                alpha=0.45,
            )
            ax.plot(r["difference"], yy, "o", color=style.colour(i), ms=6)
        ax.axvline(0, color="#444444", lw=0.9)
        ax.set_yticks(y, [textwrap.fill(g, 34) for g in groups])
        ax.set_title(pretty_name(metric), fontsize=10, loc="left")
        unit = style.unit_of(metric)
        style.format_value_axis(ax, unit, axis="x")
        ax.set_xlabel(f"difference from {baseline} ({style.axis_label(metric)})", fontsize=8)
    for ax in list(axes.flat)[len(chosen) :]:
        ax.set_visible(False)
    fig.suptitle(f"Effects against {baseline}", x=0.01, ha="left", fontweight="bold", fontsize=12)
    fig.supxlabel(
        "dot: difference of mean final values; bar: 90 % bootstrap interval",
        x=0.01,
        ha="left",
        fontsize=9,
        color="#555555",
    )
    return fig


def _row_label(r: dict[str, Any]) -> str:
    return str(r.get("label") or r["scenario"])


def sensitivity_stem(entry: dict[str, Any]) -> str:
    """File name (no suffix) of an outcome's sensitivity figure."""
    return f"sensitivity_{style.file_stem(entry['outcome'])}"


def discovery_stem(entry: dict[str, Any]) -> str:
    """File name (no suffix) of a condition's PRIM figure."""
    import re

    slug = re.sub(r"[^A-Za-z0-9]+", "_", entry["where"]).strip("_")[:60] or "condition"
    return f"discovery_{style.file_stem(slug)}"


def _draw(
    entries: list[dict[str, Any]], out_dir: Path, stem: Any, figure: Any, scenario: str, fmt: str
) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for e in entries:
        path = out_dir / f"{stem(e)}.{fmt}"
        style.save(figure(e, scenario), path)
        paths.append(path)
    return paths


def draw_sensitivity(
    entries: list[dict[str, Any]], out_dir: Path, scenario: str = "", fmt: str = "png"
) -> list[Path]:
    return _draw(entries, out_dir, sensitivity_stem, sensitivity_figure, scenario, fmt)


def draw_discovery(
    entries: list[dict[str, Any]], out_dir: Path, scenario: str = "", fmt: str = "png"
) -> list[Path]:
    return _draw(entries, out_dir, discovery_stem, discovery_figure, scenario, fmt)
