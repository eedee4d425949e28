"""One look for every figure: palette, number formats, axis labels, dates.

Figures are read in policy briefs and in a browser at 100 % zoom, so every
figure shares one colour-blind-safe palette (Okabe and Ito, 2008), readable
numbers (thousands separators, "m" for millions, "bn" for billions, shares as
per cent) and calendar dates on the time axis. Keeping these rules here means
a report's figures agree with each other without any figure knowing about
the others.

Figures are built with :class:`matplotlib.figure.Figure` directly (the
object-oriented API), which renders with Agg when saved and never touches
pyplot's global state: saving uses the Agg renderer whatever backend is
active, so no display is needed, and a notebook keeps its inline backend.
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import matplotlib
import matplotlib.dates as mdates
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from sim.outcomes import BY_NAME

# Okabe-Ito, ordered so the first colours are the most distinct on white;
# yellow (#F0E442) is left out because it vanishes on a white background.
PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#000000",  # black
    "#999999",  # grey
)
SEQUENTIAL_CMAP = "cividis"  # perceptually uniform and colour-blind safe
BAND_ALPHA = 0.18
DPI = 110  # 8 x 4.5 in -> 880 x 495 px: fits a browser column at 100 % zoom
CURVE_SIZE = (8.0, 4.5)

RC: dict[str, Any] = {
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
    "legend.fontsize": 9,
    "legend.frameon": False,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
}


def styled[**P, R](func: Callable[P, R]) -> Callable[P, R]:
    """Build a figure under the house rcParams (titles, grid, fonts, palette).

    Titles and legends read rcParams when they are made, not when the figure
    is created, so the whole drawing function runs inside the context.
    """

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with matplotlib.rc_context(RC):
            fig = func(*args, **kwargs)
            if isinstance(fig, Figure):
                from sim.plots.fit import fit_text

                fit_text(fig)
            return fig

    return wrapper


def colour(i: int) -> str:
    """Colour of the i-th series; the same index gives the same colour in every figure."""
    return PALETTE[i % len(PALETTE)]


def new_figure(size: tuple[float, float] = CURVE_SIZE, **subplots: Any) -> tuple[Figure, Any]:
    """A pyplot-free figure with the house style applied to its axes."""
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=size, dpi=DPI, layout="constrained")
        axes = fig.subplots(**subplots) if subplots else fig.subplots()
    return fig, axes


# --- numbers -----------------------------------------------------------------


def fmt_number(x: float, digits: int = 3) -> str:
    """A number a reader takes in at a glance: 1,234 / 12.3m / 4.5bn / 0.25."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    ax = abs(x)
    if ax >= 1e9:
        return _trim(x / 1e9, digits) + "bn"
    if ax >= 1e6:
        return _trim(x / 1e6, digits) + "m"
    if ax >= 1000 or float(x).is_integer():
        return f"{x:,.0f}"
    if ax >= 1:
        return _trim(x, digits)
    if ax == 0:
        return "0"
    return f"{x:.{digits}g}"


def _trim(x: float, digits: int) -> str:
    """``digits`` significant figures without trailing zeros: 2.0 -> '2', 12.34 -> '12.3'."""
    ax = abs(x)
    whole = 1 if ax < 1 else int(math.log10(ax)) + 1
    decimals = max(0, min(2, digits - whole))
    text = f"{x:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def file_stem(name: str) -> str:
    """A name as part of a file name: another Mesa model's reporters may be called
    'Trade Volume' or 'a/b', and a figure must stay inside the plots folder. A
    name that had to change gets a short hash of itself, so two never share a file."""
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("._") or "outcome"
    if safe == name:
        return safe
    return f"{safe}-{hashlib.sha1(name.encode()).hexdigest()[:6]}"


def fmt_value(x: float, unit: str) -> str:
    """Format a value in its unit's convention (shares as per cent)."""
    if is_share(unit):
        return "–" if x is None or x != x else f"{100 * x:.1f} %"
    return fmt_number(x)


def is_share(unit: str) -> bool:
    return unit.strip() == "share"


def _tick(x: float, _pos: Any = None) -> str:
    if x == 0:
        return "0"
    ax = abs(x)
    if ax >= 1e9:
        return f"{x / 1e9:g}bn"
    if ax >= 1e6:
        return f"{x / 1e6:g}m"
    if ax >= 1000:
        return f"{x:,.0f}"
    return f"{x:g}"


def format_value_axis(ax: Axes, unit: str, axis: str = "y") -> None:
    """Readable tick labels for a value axis: separators, millions, per cent."""
    target = ax.yaxis if axis == "y" else ax.xaxis
    if is_share(unit):
        target.set_major_formatter(FuncFormatter(lambda v, _p: f"{100 * v:.0f} %"))
    else:
        target.set_major_formatter(FuncFormatter(_tick))
    target.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]))


# --- labels ------------------------------------------------------------------


def unit_of(metric: str) -> str:
    """The outcome's unit; unknown columns are shown without one."""
    o = BY_NAME.get(metric)
    return o.unit if o else ""


def direction_of(metric: str) -> str:
    """'maximize', 'minimize' or 'info', from the outcome contract."""
    o = BY_NAME.get(metric)
    return o.direction if o else "info"


def axis_label(metric: str) -> str:
    """Y-axis label from the outcome contract: 'yuan per month', 'seats', 'share of seats'."""
    o = BY_NAME.get(metric)
    if o is None:
        return metric
    if is_share(o.unit):
        return "per cent"
    return f"{o.unit} per month" if o.flow else o.unit


def title_of(metric: str) -> str:
    """What is shown, in words: the outcome's description from the contract."""
    o = BY_NAME.get(metric)
    return o.description if o else metric.replace("_", " ")


def lever_unit(name: str) -> str:
    """A lever's unit from the catalogue ('' when it has none)."""
    from sim.levers import BY_NAME as LEVERS

    p = LEVERS.get(name)
    return p.unit if p and p.unit not in ("-", "") else ""


def lever_is_share(name: str) -> bool:
    """Levers measured as a share of something read best as per cent."""
    return lever_unit(name).startswith("share")


def lever_value(name: str, value: Any) -> str:
    """A lever's value alone: '5,000', '2m', '5 %', 'on', 'per_seat'."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, (int, float)):
        if lever_is_share(name):
            return f"{fmt_number(100 * value)} %"
        return fmt_number(float(value))
    return str(value)


def lever_label(name: str, value: Any) -> str:
    """'registration cost = 5,000 yuan' for legends, titles and tables."""
    text = name.replace("_", " ")
    if value is None:
        return text
    unit = lever_unit(name)
    numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
    if not numeric or lever_is_share(name) or unit.startswith(("0 to 1", "0 (")):
        unit = ""
    return f"{text} = {lever_value(name, value)} {unit}".rstrip()


def point_label(values: dict[str, Any]) -> str:
    """Legend label of a design point from its swept lever values."""
    if not values:
        return "all runs"
    return ", ".join(lever_label(k, v) for k, v in values.items())


def lever_axis_label(name: str) -> str:
    unit = lever_unit(name)
    if lever_is_share(name):
        unit = unit.replace("share", "per cent", 1)
    return f"{name.replace('_', ' ')} ({unit})" if unit else name.replace("_", " ")


# --- dates -------------------------------------------------------------------


def to_dates(values: Iterable[str]) -> pd.DatetimeIndex:
    """'YYYY-MM' strings to the first day of each month."""
    return pd.to_datetime(pd.Index(list(values)).astype(str), format="%Y-%m")


def format_date_axis(ax: Axes, dates: Sequence[pd.Timestamp]) -> None:
    """Years on long horizons, months on short ones; never overlapping labels."""
    if len(dates) == 0:
        return
    span_months = (dates[-1].year - dates[0].year) * 12 + dates[-1].month - dates[0].month
    if span_months > 36:
        ax.xaxis.set_major_locator(mdates.YearLocator())
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        ax.xaxis.set_minor_locator(mdates.MonthLocator(bymonth=(1, 4, 7, 10)))
    else:
        months = tuple(range(1, 13)) if span_months <= 12 else (1, 4, 7, 10)
        ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=months))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%b\n%Y"))
    ax.set_xlim(dates[0], dates[-1])
    ax.set_xlabel("")


def out_of_figure(fig: Figure, pad: float = 0.5) -> list[Any]:
    """Texts cut off at the figure's edge (see :mod:`sim.plots.fit`)."""
    from sim.plots.fit import out_of_figure as out

    return out(fig, pad)


def save(fig: Figure, path: Any) -> None:
    """Write a figure; a white background keeps PNGs readable in dark-mode viewers."""
    fig.savefig(path, facecolor="white")
