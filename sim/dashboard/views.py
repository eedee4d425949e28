"""What the page draws: the live curves and the map of regions and their makerspaces.

The curves are Mesa's own plot components (``make_plot_component``) over the
model's DataCollector; which outcomes they show is written here by name, and
a name the model no longer reports is left out (a panel left empty is
dropped, and the page lists what it could not find), so the page survives
the catalogue and the outcomes changing under it. Occupancy by operator type
takes every ``occupancy_rate_*`` outcome there is.

The region view draws each open makerspace as a marker in its region's panel
(area by seats, colour by occupancy, shape by operator type), portrayed with
Mesa's ``AgentPortrayalStyle`` and gathered by Mesa's ``collect_agent_data``
as Mesa's space drawers do; our economy has no grid, so positions are a
packing in order of opening, not geography.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import matplotlib
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from sim.outcomes import BY_NAME, OUTCOMES
from sim.plots.style import PALETTE, RC, SEQUENTIAL_CMAP, axis_label, fmt_number, format_value_axis

FIGURE_SIZE = (6.4, 3.6)  # a cell of Mesa's two-column grid
MARKERS = ("o", "s", "^", "D", "v", "P", "X")  # one per operator type, in their order
REGION_GRID = {"left": 0.02, "right": 0.88, "bottom": 0.24, "top": 0.8, "wspace": 0.12}


@dataclass(frozen=True)
class Curve:
    """One panel of curves: a title and the outcomes drawn on it."""

    title: str
    outcomes: tuple[str, ...]


def curves() -> tuple[Curve, ...]:
    """The panels the issue asks for, in reading order."""
    occupancy = tuple(o.name for o in OUTCOMES if o.name.startswith("occupancy_rate"))
    return (
        Curve("Startups alive and founded", ("startups_alive", "cumulative_founded")),
        Curve("Jobs", ("jobs",)),
        Curve("Makerspaces open", ("makerspaces_open",)),
        Curve("Seats against ventures housed", ("seats", "founders_in_makerspaces")),
        Curve("Occupancy by operator type", occupancy),
        Curve("Public spending per surviving startup", ("spending_per_surviving_startup",)),
    )


def available(panels: tuple[Curve, ...], reported: set[str]) -> tuple[list[Curve], list[str]]:
    """The panels cut to what the model reports, and the outcome names it lacks."""
    kept, missing = [], []
    for panel in panels:
        names = tuple(n for n in panel.outcomes if n in reported)
        missing += [n for n in panel.outcomes if n not in reported]
        if names:
            kept.append(Curve(panel.title, names))
    return kept, missing


def legend_label(name: str) -> str:
    """'occupancy_rate_private' -> 'private', else the outcome's description."""
    if name.startswith("occupancy_rate_"):
        return name.removeprefix("occupancy_rate_")
    if name == "occupancy_rate":
        return "all spaces"
    o = BY_NAME.get(name)
    return o.description if o else name.replace("_", " ")


def colours(panel: Curve) -> dict[str, str]:
    """Mesa's dict form of a measure: outcome -> colour (Okabe-Ito, in order)."""
    return {n: PALETTE[i % len(PALETTE)] for i, n in enumerate(panel.outcomes)}


def styler(panel: Curve) -> Callable[[Any], None]:
    """A ``post_process`` for Mesa's plot component: title, units, readable ticks."""
    unit = BY_NAME[panel.outcomes[0]].unit if panel.outcomes[0] in BY_NAME else ""

    def post_process(ax) -> None:
        ax.figure.set_size_inches(*FIGURE_SIZE)
        ax.set_title(panel.title, loc="left", fontsize=11, fontweight="bold")
        ax.set_ylabel(axis_label(panel.outcomes[0]))
        format_value_axis(ax, unit)
        ax.grid(True, color="#dddddd", linewidth=0.6)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        lines = ax.get_lines()
        steps = max((len(line.get_xdata()) for line in lines), default=1)
        ax.set_xlim(0, max(steps - 1, 12))  # a year's room before the curves fill it
        if len(lines) > 1:
            for line in lines:
                line.set_label(legend_label(line.get_label()))
            ax.legend(loc="best", fontsize=8, frameon=False)
        elif ax.get_legend() is not None:
            ax.get_legend().remove()

    return post_process


# --- the region view -------------------------------------------------------------


def regions_of(model) -> list[tuple[str, list]]:
    """(region name, open makerspaces) for each region of the model."""
    from sim.regions import REGIONS

    groups = getattr(model, "spaces_by_region", None)
    if groups is None:  # group the agents that have seats by their region
        n = len(REGIONS)
        groups = [[] for _ in range(n)]
        for agent in model.agents:
            if hasattr(agent, "seats") and hasattr(agent, "region"):
                groups[agent.region].append(agent)
    names = [getattr(r, "name", f"region {i}") for i, r in enumerate(REGIONS)]
    names += [f"region {i}" for i in range(len(names), len(groups))]
    return [
        (names[i], [s for s in spaces if getattr(s, "is_open", True)])
        for i, spaces in enumerate(groups)
    ]


def occupancy(space) -> float:
    return space.used / space.seats if space.seats else 0.0


def operator_names() -> tuple[str, ...]:
    from sim.regions import OPERATOR_TYPES

    return tuple(OPERATOR_TYPES)


def _operator_index(space) -> int:
    op = getattr(space, "operator", 0)
    return op if isinstance(op, int) else operator_names().index(op)


def packing(n: int, aspect: float = 1.0) -> tuple[list[tuple[float, float]], float]:
    """Centres of n square cells filling an aspect x 1 box row by row, and the cell's side."""
    if n == 0:
        return [], 1.0
    cols = max(1, math.ceil(math.sqrt(n * aspect)))
    rows = math.ceil(n / cols)
    cell = min(aspect / cols, 1.0 / rows)
    return [((i % cols + 0.5) * cell, 1.0 - (i // cols + 0.5) * cell) for i in range(n)], cell


def region_figure(model) -> Figure:
    """One panel per region of its open makerspaces."""
    from mesa.visualization.components import AgentPortrayalStyle
    from mesa.visualization.mpl_space_drawing import collect_agent_data

    regions = regions_of(model)
    biggest = max((s.seats for _, spaces in regions for s in spaces), default=1) or 1
    cmap = matplotlib.colormaps[SEQUENTIAL_CMAP]
    n = len(regions)
    with matplotlib.rc_context(RC):
        # a fixed layout (no constrained layout pass): drawing it twice cost a second a frame
        fig = Figure(figsize=FIGURE_SIZE)
        axes = fig.subplots(1, n, squeeze=False, gridspec_kw=REGION_GRID)[0]
    for ax, (name, spaces) in zip(axes, regions, strict=True):
        _frame(ax, name, spaces)
    norm = matplotlib.colors.Normalize(0, 1)
    bar = fig.colorbar(
        matplotlib.cm.ScalarMappable(norm=norm, cmap=cmap),
        cax=fig.add_axes(
            (REGION_GRID["right"] + 0.02, REGION_GRID["bottom"], 0.015, 0.55), label="<colorbar>"
        ),
    )
    bar.ax.set_title("occupancy", fontsize=7, loc="left")
    bar.ax.tick_params(labelsize=7)
    bar.formatter = matplotlib.ticker.FuncFormatter(lambda v, _p: f"{100 * v:.0f} %")
    handles = [
        Line2D([], [], marker=MARKERS[i % len(MARKERS)], linestyle="", color="#777777", label=op)
        for i, op in enumerate(operator_names())
    ]
    fig.legend(
        handles=handles,
        loc="lower center",
        ncols=len(handles),
        frameon=False,
        fontsize=8,
        handletextpad=0.2,
        columnspacing=1.0,
    )
    fig.suptitle(
        f"Makerspaces by region, {getattr(model, 'date', '')}\n"
        "area: seats; colour: occupancy; shape: operator",
        x=0.01,
        y=0.99,
        ha="left",
        va="top",
        fontsize=9,
    )
    # each panel is square (equal aspect) in its grid cell: its side in points
    g, (width, height) = REGION_GRID, FIGURE_SIZE
    cell_w = width * (g["right"] - g["left"]) / (n + (n - 1) * g["wspace"])
    panel_pt = min(cell_w, height * (g["top"] - g["bottom"])) * 72
    # every panel uses the densest region's cell, so a seat has one area everywhere
    _, cell = packing(max((len(spaces) for _, spaces in regions), default=0))
    for ax, (_name, spaces) in zip(axes, regions, strict=True):
        order = sorted(spaces, key=lambda s: (getattr(s, "opened", 0), s.unique_id))
        centres, _ = packing(len(order))
        where = dict(zip((s.unique_id for s in order), centres, strict=True))

        def portray(space, where=where) -> AgentPortrayalStyle:
            x, y = where[space.unique_id]
            return AgentPortrayalStyle(
                x=x,
                y=y,
                size=(0.8 * cell * panel_pt) ** 2 * space.seats / biggest,
                color=cmap(occupancy(space)),
                marker=MARKERS[_operator_index(space) % len(MARKERS)],
                edgecolors="#333333",
                linewidths=0.6,
                alpha=1.0,
            )

        _draw(ax, collect_agent_data(_Spaces(order), portray))
    return fig


def _frame(ax, name: str, spaces: list) -> None:
    """A region's panel: its name, its totals, an empty square to draw into."""
    seats = sum(s.seats for s in spaces)
    used = sum(s.used for s in spaces)
    share = f"{100 * used / seats:.0f} %" if seats else "–"
    ax.set_title(name, loc="left", fontsize=10, fontweight="bold")
    ax.set_xlabel(
        f"{len(spaces)} spaces, {fmt_number(seats)} seats\n{share} occupied",
        fontsize=8,
        loc="left",
    )
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_color("#bbbbbb")


class _Spaces:
    """What Mesa's ``collect_agent_data`` reads of a space: its agents."""

    def __init__(self, agents: list):
        self.agents = agents


def _draw(ax, data: dict) -> None:
    """Scatter Mesa's collected portrayal arrays, one call per marker shape."""
    if len(data["loc"]) == 0:
        ax.text(0.5, 0.5, "no makerspace open", ha="center", va="center", color="#777777")
        return
    for mark in dict.fromkeys(data["marker"]):
        keep = data["marker"] == mark
        ax.scatter(
            data["loc"][keep, 0],
            data["loc"][keep, 1],
            s=data["s"][keep],
            c=data["c"][keep],
            marker=mark,
            edgecolors=data["edgecolors"][keep],
            linewidths=data["linewidths"][keep],
            zorder=2,
        )
