"""The oversupply view: are makerspaces built faster than founders fill them?

The encyclopedia article describes local targets and capacity-based subsidies
building spaces ahead of demand, then a closure wave when subsidies taper.
Four panels show the pieces of that story side by side, on one time axis:
seats against the founders who use them; occupancy by operator type;
makerspaces opened and closed each month; and the money: subsidy spending and
operators' own revenue against their running cost.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from sim.plots import style
from sim.plots.curves import draw_series
from sim.plots.data import ResultsLike, bands, load

OPERATORS = ("private", "university", "corporate", "government")
COLUMNS = (
    "seats",
    "founders_in_makerspaces",
    "seats_occupied",
    "makerspaces_opened",
    "makerspaces_closed",
    "subsidies_paid",
    "operator_revenue",
    "operator_subsidy",
    "operator_cost",
    *(f"occupancy_rate_{o}" for o in OPERATORS),
)
# Fixed colours per series, so the four panels and every report agree.
C_SEATS, C_FOUNDERS, C_OCCUPIED = style.PALETTE[0], style.PALETTE[1], style.PALETTE[2]
C_OPEN, C_CLOSE = style.PALETTE[0], style.PALETTE[3]
C_SUBSIDY, C_REVENUE, C_COST = style.PALETTE[1], style.PALETTE[0], style.PALETTE[6]
C_OPERATOR = dict(
    zip(
        OPERATORS,
        (style.PALETTE[0], style.PALETTE[2], style.PALETTE[4], style.PALETTE[3]),
        strict=True,
    )
)


def _stats(frame: pd.DataFrame, metric: str) -> pd.DataFrame:
    return bands(frame.assign(_all=0), metric, "_all")


def _line(
    ax: Axes, frame: pd.DataFrame, metric: str, color: str, label: str, band: bool = True
) -> None:
    if metric in frame:
        draw_series(ax, _stats(frame, metric), color, label, band=band, median=False)


PANELS = ("seats", "occupancy", "flows", "money")
NEEDS = {
    "seats": ("seats", "seats_occupied", "founders_in_makerspaces"),
    "occupancy": tuple(f"occupancy_rate_{o}" for o in OPERATORS),
    "flows": ("makerspaces_opened", "makerspaces_closed"),
    "money": ("operator_cost", "operator_revenue", "subsidies_paid", "operator_subsidy"),
}
MAX_FACETS = 12  # design points drawn side by side in one figure; more are pooled, and said so


def _panels(frame: pd.DataFrame) -> list[str]:
    """The panels whose series the results hold: none is drawn empty."""
    return [p for p in PANELS if any(c in frame for c in NEEDS[p])]


@style.styled
def oversupply_figure(
    results: ResultsLike, point: Any | None = None, title: str | None = None
) -> Figure:
    """Up to four panels of one design point (``point``), or of all runs pooled when ``None``."""
    results = load(results)
    frame = results.tidy
    if point is not None:
        frame = frame[frame["point"] == point]
    missing = [c for c in COLUMNS if c not in frame]
    panels = _panels(frame)
    ncols = 2 if len(panels) > 1 else 1
    nrows = (len(panels) + 1) // 2
    size = (11.0, 3.4 * nrows + 0.8) if ncols == 2 else (8.0, 4.6)
    fig, axes = style.new_figure(size, nrows=nrows, ncols=ncols, sharex=True, squeeze=False)
    dates = style.to_dates(sorted(frame["date"].unique()))
    for ax, panel in zip(axes.flat, panels, strict=False):
        DRAW[panel](ax, frame, dates)
    for ax in list(axes.flat)[len(panels) :]:
        ax.set_visible(False)
    runs = frame["run_id"].nunique()
    head = title or f"Makerspace oversupply — {results.name}"
    fig.suptitle(head, x=0.01, ha="left", fontweight="bold", fontsize=13)
    note = f"mean of {runs} runs; 5–95 % band shaded"
    if point is not None and len(results.points) > 1:
        note = f"{results.group_labels().get(point, point)}: {note}"
    elif len(results.points) > 1:
        note = (
            f"all {len(results.points)} design points pooled ({note}): too many to draw one "
            "each; the sweep views show the final values point by point"
        )
    if missing:
        note += f"; not in these results (panels skipped or partial): {', '.join(missing)}"
    fig.supxlabel(note, x=0.01, ha="left", fontsize=9, color="#555555")
    return fig


def _seats(a: Axes, frame: pd.DataFrame, dates: pd.DatetimeIndex) -> None:
    _line(a, frame, "seats", C_SEATS, "seats in open makerspaces")
    _line(a, frame, "seats_occupied", C_OCCUPIED, "seats occupied")
    _line(a, frame, "founders_in_makerspaces", C_FOUNDERS, "ventures housed")
    _panel(a, "Seats against founders in makerspaces", "seats", "seats / startups", dates)


def _occupancy(b: Axes, frame: pd.DataFrame, dates: pd.DatetimeIndex) -> None:
    for op in OPERATORS:
        col, label = f"occupancy_rate_{op}", op.replace("government", "government-led")
        if col not in frame:
            continue
        if not frame[col].fillna(0).any():
            # a type with no open spaces reports 0 (or nothing): say so rather than draw 0 %
            b.plot([], [], color=C_OPERATOR[op], lw=2, alpha=0.35, label=f"{label} (none open)")
            continue
        _line(b, frame, col, C_OPERATOR[op], label, band=False)
    _panel(b, "Occupancy by operator type", "share", "share of seats occupied", dates)
    b.set_ylim(0, 1.02)


def _flows(c: Axes, frame: pd.DataFrame, dates: pd.DatetimeIndex) -> None:
    _open_close(c, frame, dates)
    _panel(
        c,
        "Makerspaces opened and closed per month",
        "makerspaces",
        "makerspaces per month",
        dates,
        zero=False,
    )


def _money(d: Axes, frame: pd.DataFrame, dates: pd.DatetimeIndex) -> None:
    _line(d, frame, "operator_cost", C_COST, "operators' running cost")
    _line(d, frame, "operator_revenue", C_REVENUE, "operators' rent and service revenue")
    _line(d, frame, "subsidies_paid", C_SUBSIDY, "subsidies and budget support paid")
    if "operator_revenue" in frame and "operator_subsidy" in frame:
        both = frame.assign(_with=frame["operator_revenue"] + frame["operator_subsidy"])
        draw_series(
            d,
            _stats(both, "_with"),
            C_REVENUE,
            "revenue + subsidy received",
            band=False,
            median=False,
            lw=1.4,
        )
        d.lines[-1].set_linestyle((0, (1, 1.5)))
    _panel(
        d, "Subsidy spending and operators' revenue against cost", "yuan", "yuan per month", dates
    )


DRAW = {"seats": _seats, "occupancy": _occupancy, "flows": _flows, "money": _money}


@style.styled
def oversupply_points_figure(results: ResultsLike) -> Figure:
    """Seats against the ventures housed, one small panel per design point: the core
    of the oversupply story for a sweep, never averaged over its points."""
    results = load(results)
    frame = results.tidy
    pts = results.points
    labels = {
        row["point"]: ", ".join(style.lever_value(k, row[k]) for k in results.swept)
        for row in pts.to_dict("records")
    }
    points = list(pts["point"])
    ncols = 4 if len(points) > 6 else 3
    nrows = -(-len(points) // ncols)
    fig, axes = style.new_figure(
        (11.0, 2.6 * nrows + 1.2), nrows=nrows, ncols=ncols, sharex=True, sharey=True, squeeze=False
    )
    dates = style.to_dates(sorted(frame["date"].unique()))
    for ax, p in zip(axes.flat, points, strict=False):
        sub = frame[frame["point"] == p]
        _line(ax, sub, "seats", C_SEATS, "seats in open makerspaces")
        _line(ax, sub, "founders_in_makerspaces", C_FOUNDERS, "ventures housed")
        title = textwrap.fill(labels.get(p, str(p)), 38)
        ax.set_title(title, fontsize=8.5, loc="left", fontweight="normal")
        style.format_value_axis(ax, "seats")
        style.format_date_axis(ax, dates)
        ax.xaxis.set_major_locator(mdates.YearLocator())
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        ax.set_ylim(bottom=0)
    for ax in list(axes.flat)[len(points) :]:
        ax.set_visible(False)
    fig.suptitle(
        f"Seats against ventures housed, by design point — {results.name}",
        x=0.01,
        ha="left",
        fontweight="bold",
        fontsize=13,
    )
    handles, names = axes.flat[0].get_legend_handles_labels()
    runs = int(frame.groupby("point")["run_id"].nunique().min())
    fig.legend(
        handles,
        names,
        loc="outside lower center",
        ncol=2,
        title=(
            f"each panel one design point ({', '.join(k.replace('_', ' ') for k in results.swept)}); "
            f"mean of {runs} runs, 5–95 % band shaded"
        ),
        title_fontsize=9,
    )
    return fig


def _open_close(ax: Axes, frame: pd.DataFrame, dates: pd.DatetimeIndex) -> None:
    """Opened as bars up, closed as bars down, with the net change as a line."""
    width = 24 if len(dates) > 36 else 20
    net = None
    for metric, color, sign, label in (
        ("makerspaces_opened", C_OPEN, 1, "opened"),
        ("makerspaces_closed", C_CLOSE, -1, "closed"),
    ):
        if metric not in frame:
            continue
        s = _stats(frame, metric)
        x = style.to_dates(s["date"])
        ax.bar(x, sign * s["mean"], width=width, color=color, label=label, lw=0)
        net = s["mean"].to_numpy() * sign if net is None else net + sign * s["mean"].to_numpy()
    if net is not None and "makerspaces_opened" in frame and "makerspaces_closed" in frame:
        ax.plot(
            x,
            pd.Series(net).rolling(3, min_periods=1).mean(),
            color="#000000",
            lw=1.2,
            label="net change (3-month mean)",
        )
    ax.axhline(0, color="#444444", lw=0.8)
    ax.yaxis.set_major_formatter(style.FuncFormatter(lambda v, _p: style._tick(abs(v))))


def _panel(
    ax: Axes, title: str, unit: str, ylabel: str, dates: pd.DatetimeIndex, zero: bool = True
) -> None:
    ax.set_title(title, fontsize=11)
    if unit != "makerspaces":
        style.format_value_axis(ax, unit)
    ax.set_ylabel(ylabel)
    style.format_date_axis(ax, dates)
    if zero and ax.get_ylim()[0] >= 0:
        ax.set_ylim(bottom=0)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="best", fontsize=8)


def plot_oversupply(
    results: ResultsLike, out_dir: Path, fmt: str = "png", max_points: int = 4
) -> list[Path]:
    """One oversupply view per design point (up to ``max_points``); for more points,
    seats against ventures per point side by side (up to ``MAX_FACETS``) beside the
    pooled view, which then says it is pooled."""
    results = load(results)
    if not any(c in results.timeseries.columns for c in COLUMNS):
        return []  # the scenario's ``outputs`` kept none of the makerspace columns
    out_dir.mkdir(parents=True, exist_ok=True)
    points = list(results.points["point"])
    if len(points) <= 1 or len(points) > max_points:
        path = out_dir / f"oversupply.{fmt}"
        style.save(oversupply_figure(results), path)
        paths = [path]
        have = {"seats", "founders_in_makerspaces"} & set(results.timeseries.columns)
        if 1 < len(points) <= MAX_FACETS and have:
            path = out_dir / f"oversupply_points.{fmt}"
            style.save(oversupply_points_figure(results), path)
            paths.append(path)
        return paths
    paths = []
    for p in points:
        path = out_dir / f"oversupply_point{int(p)}.{fmt}"
        style.save(oversupply_figure(results, point=p), path)
        paths.append(path)
    return paths
