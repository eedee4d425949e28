"""Text that fits: every title, note, label and legend inside the figure.

A figure is pasted into a memo as it is, so no word may be cut at its edge.
After a figure is built (:func:`sim.plots.style.styled`), its layout is run
and each text that reaches outside the figure is wrapped to the width it has;
a legend that is too wide gets its labels wrapped or one column fewer. The
test suite checks every figure with :func:`out_of_figure`.
"""

from __future__ import annotations

import textwrap
from typing import Any

from matplotlib.figure import Figure
from matplotlib.text import Text

FIT_PAD = 3.0  # pixels kept free at the figure's edges


def out_of_figure(fig: Figure, pad: float = 0.5, renderer: Any = None) -> list[Text]:
    """Visible texts whose box reaches outside the figure: cut off when saved."""
    renderer = renderer or _renderer(fig)
    box = fig.bbox
    out = []
    for t in fig.findobj(Text):
        if not t.get_visible() or not t.get_text().strip() or not _shown(t):
            continue
        e = t.get_window_extent(renderer)
        if e.x0 < box.x0 - pad or e.x1 > box.x1 + pad or e.y0 < box.y0 - pad or e.y1 > box.y1 + pad:
            out.append(t)
    if out:  # a tick label outside the view limits is never drawn: not cut off
        ticks, drawn = _tick_labels(fig)
        out = [t for t in out if t not in ticks or t in drawn]
    return out


def _tick_labels(fig: Figure) -> tuple[set[Text], set[Text]]:
    """Every tick label, and those matplotlib draws (ticks inside the view limits)."""
    every, drawn = set(), set()
    for ax in fig.axes:
        for axis in ax._axis_map.values():
            for tick in [*axis.get_major_ticks(), *axis.get_minor_ticks()]:
                every |= {tick.label1, tick.label2}
            if ax.get_visible():  # a hidden axes draws nothing
                for tick in axis._update_ticks():  # what Axis.draw draws
                    drawn |= {tick.label1, tick.label2}
    return every, drawn


def _shown(t: Text) -> bool:
    """False for texts that are never drawn (those of a hidden axes)."""
    parent = t.axes
    if parent is not None and not parent.get_visible():
        return False
    return t.get_figure(root=True) is not None


def _renderer(fig: Figure) -> Any:
    if fig.canvas is None or not hasattr(fig.canvas, "get_renderer"):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        FigureCanvasAgg(fig)
    fig.draw_without_rendering()  # runs the layout engine
    return fig.canvas.get_renderer()


def fit_text(fig: Figure, rounds: int = 5) -> None:
    """Wrap titles, notes and legend labels, and give legends fewer columns, until
    every text lies inside the figure: a figure is never saved with words cut off."""
    for _ in range(rounds):
        renderer = _renderer(fig)  # one layout per round
        bad = out_of_figure(fig, pad=0.5, renderer=renderer)
        if not bad:
            return
        changed = False
        legends = {_legend_of(t) for t in bad} - {None}
        for legend in legends:
            changed |= _narrow(fig, legend, renderer)
        for t in bad:
            if _legend_of(t) in legends and changed:
                continue
            changed |= _wrap(fig, t, renderer)
        if not changed:
            return


def _legend_of(t: Text) -> Any:
    fig = t.get_figure(root=True)
    for legend in [*fig.legends, *(ax.get_legend() for ax in fig.axes)]:
        if legend is not None and (t in legend.texts or t is legend.get_title()):
            return legend
    return None


def _narrow(fig: Figure, legend: Any, renderer: Any) -> bool:
    """Make a legend that is too wide fit: wrap its labels while they keep a useful
    width, else one column fewer (Legend lays out its columns when it is made,
    hence the rebuild)."""
    e = legend.get_window_extent(renderer)
    room = fig.bbox.width - 2 * FIT_PAD
    if e.width <= room:
        return False
    texts = list(legend.texts)
    longest = max((len(line) for t in texts for line in t.get_text().splitlines()), default=0)
    width = int(longest * room / e.width * 0.95)
    ncols = getattr(legend, "_ncols", 1)
    if width >= 24 or ncols <= 1:
        width = max(width, 8)
        changed = False
        for t in texts:
            text = t.get_text()
            if any(len(line) > width for line in text.splitlines()):
                t.set_text(_fill(text, width))
                changed = True
        return changed
    legend.set_ncols(ncols - 1)
    labels = [t.get_text() for t in texts]
    try:
        legend._init_legend_box(
            legend.legend_handles, labels, getattr(legend, "_markerfirst", True)
        )
    except Exception:  # noqa: BLE001 - a private API; the next round wraps instead
        legend.set_ncols(1)
        return False
    return True


def _fill(text: str, width: int) -> str:
    return "\n".join(
        textwrap.fill(line, width, break_long_words=False) for line in text.splitlines()
    )


def _wrap(fig: Figure, t: Text, renderer: Any) -> bool:
    """Re-wrap ``t`` to the width the figure leaves it; False when it cannot shrink."""
    if t.get_rotation() not in (0.0, 360.0):
        return False
    e, box = t.get_window_extent(renderer), fig.bbox
    ha = t.get_horizontalalignment()
    if ha == "left":
        room = box.x1 - max(e.x0, box.x0) - FIT_PAD
    elif ha == "right":
        room = min(e.x1, box.x1) - box.x0 - FIT_PAD
    else:
        mid = (e.x0 + e.x1) / 2
        room = 2 * min(mid - box.x0, box.x1 - mid) - FIT_PAD
    text = t.get_text()
    longest = max(len(line) for line in text.splitlines())
    if e.width <= 0 or longest < 8 or room <= 0:
        return False
    width = max(8, int(longest * room / e.width) - 1)
    if width >= longest:
        return False
    t.set_text(_fill(text, width))
    return True
