"""The dashboard's controls, read off the lever catalogue.

Nothing here names a lever: every control comes from a :class:`~sim.levers.Parameter`
(its type, unit, range, choices, group and source), so a lever added to the
catalogue appears on the page and one removed from it disappears. This module
is plain Python (no Solara) so the mapping is tested without a browser.

How each type is shown:

- ``real`` / ``integer`` with a range: a slider over a list of stops. A range
  that spans three decades or more beyond its default (budgets, caps, targets)
  gets 1-2-5 stops, like a log axis, so the default is not squeezed into the
  first pixel; others get evenly spaced round stops. The default (and a
  scenario file's value) is always one of the stops.
- ``boolean``: a switch; ``categorical``: a select of the catalogue's choices.
- ``fractions`` (the subsidy taper), ``month`` and ``text``: a text field,
  checked by the catalogue on every edit (``1, 0.7, 0.3``).
- a value that is a schedule (from ``--scenario FILE``): shown read-only; the
  file is where a schedule is edited.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sim.levers import CATALOGUE, Parameter
from sim.plots.style import fmt_number
from sim.schedule import Schedule

KIND_ORDER = ("lever", "uncertainty", "constant")
MAX_STOPS = 201  # a slider with more stops than pixels cannot be aimed
WIDE_DECADES = 3  # ranges spanning this many decades above their floor get 1-2-5 stops


@dataclass(frozen=True)
class Control:
    """One input of the page: what widget, which value, what the tooltip says."""

    name: str
    widget: str  # "slider", "switch", "select", "text", "schedule"
    group: str
    label: str
    unit: str
    tooltip: str
    value: Any
    stops: tuple = ()  # slider values, or select choices
    range_text: str = ""
    live: bool = True  # can change a running model from the next month on (schedulable)


def label_of(name: str) -> str:
    """'registration_cost' -> 'Registration cost'."""
    text = name.replace("_", " ")
    return text[:1].upper() + text[1:]


def tooltip_of(p: Parameter) -> str:
    """The catalogue's own words: the lever's name, what it does, where it comes from."""
    needs = f" Acts only with: {', '.join(p.needs)}." if p.needs else ""
    return f"{p.name}: {p.description}{needs} Source: {p.source}"


def shown_value(p: Parameter, value: Any) -> str:
    """A value as the control's caption shows it, with its unit."""
    if isinstance(value, Schedule):
        return ", ".join(f"{m}: {shown_value(p, v)}" for m, v in value.points.items())
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, (list, tuple)):
        return ", ".join(f"{v:g}" for v in value)
    if isinstance(value, (int, float)):
        return number_with_unit(p, value)
    return str(value)


def number_with_unit(p: Parameter, x: float) -> str:
    """'5,000 yuan'; a share reads as per cent: '30 % of new spaces'."""
    if p.unit.startswith("share"):
        rest = p.unit.removeprefix("share").strip()
        return f"{fmt_number(100 * x)} % {rest}".rstrip()
    unit = "" if p.unit in ("-", "") else f" {p.unit}"
    return f"{fmt_number(x)}{unit}"


def as_text(value: Any) -> str:
    """A fractions list or month as the text field holds it: '1, 0.7, 0.3'."""
    if isinstance(value, (list, tuple)):
        return ", ".join(f"{v:g}" for v in value)
    return str(value)


def parse_text(p: Parameter, text: str) -> Any:
    """The value a text field means, checked by the catalogue (``ValueError`` if bad)."""
    if p.type == "fractions":
        parts = [s for s in text.replace(";", ",").split(",") if s.strip()]
        try:
            numbers = [float(s) for s in parts]
        except ValueError:
            raise ValueError(f"{p.name}: expected numbers separated by commas") from None
        return p.check(numbers)
    if p.type in ("real", "integer"):  # a number the catalogue gives no range for
        try:
            number = float(text)
        except ValueError:
            raise ValueError(f"{p.name}: expected a number, got {text.strip()!r}") from None
        return p.check(number)
    return p.check(text.strip())


def _nice(x: float) -> float:
    """The largest 1, 2 or 5 times a power of ten not above ``x``."""
    power = 10.0 ** math.floor(math.log10(x))
    for m in (5.0, 2.0, 1.0):
        if m * power <= x * (1 + 1e-9):
            return m * power
    return power


def _round(x: float) -> float:
    return float(f"{x:.12g}")  # 0.30000000000000004 -> 0.3


def _linear_stops(lo: float, hi: float, anchors: list[float], integer: bool) -> list[float]:
    """Evenly spaced round stops from lo to hi, on a grid through every anchor when
    one of at most MAX_STOPS stops exists (else the anchors are added between)."""
    coarsest = _nice((hi - lo) / 50)
    if integer:
        coarsest = max(1.0, round(coarsest))
    step = candidate = coarsest
    while (hi - lo) / candidate + 1 <= MAX_STOPS:
        if all(abs((a - lo) / candidate - round((a - lo) / candidate)) < 1e-6 for a in anchors):
            step = candidate
            break
        if integer and candidate == 1.0:
            break
        candidate = _nice(candidate * 0.99)
        if integer:
            candidate = max(1.0, round(candidate))
    n = math.floor((hi - lo) / step + 1e-9) + 1
    stops = [_round(lo + i * step) for i in range(n)]
    return sorted(set(stops) | {hi} | set(anchors))


def _ladder(lo: float, hi: float, anchors: list[float], integer: bool) -> list[float]:
    """1-2-5 stops from lo (or a low round number when lo is 0) up to hi."""
    floor = lo if lo > 0 else max(_nice(hi * 1e-5), 1.0 if integer else 0.0)
    stops = {lo, hi}
    k = math.floor(math.log10(floor))
    while 10.0**k <= hi:
        for m in (1, 2, 5):
            v = _round(m * 10.0**k)
            if floor <= v <= hi:
                stops.add(v)
        k += 1
    return sorted(stops | set(anchors))


def is_wide(p: Parameter) -> bool:
    """True when a linear slider would crush the typical values into its first pixel."""
    if p.min is None or p.max is None or p.min < 0 or p.max <= 0:
        return False
    floor = p.min if p.min > 0 else p.default if isinstance(p.default, (int, float)) else 0
    if floor and floor > 0:
        return p.max / floor >= 10**WIDE_DECADES
    return p.max >= 10 ** (WIDE_DECADES + 2)  # from zero: e.g. yuan budgets, counts of spaces


def slider_stops(p: Parameter, value: Any = None) -> tuple:
    """The values a lever's slider can take; its default and ``value`` among them."""
    integer = p.type == "integer"
    anchors = [float(p.default)]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        anchors.append(float(value))
    anchors = [a for a in anchors if p.min <= a <= p.max]
    make = _ladder if is_wide(p) else _linear_stops
    stops = make(float(p.min), float(p.max), anchors, integer)
    return tuple(int(round(s)) if integer else float(s) for s in stops)


def _bare(p: Parameter, x: float) -> str:
    return f"{fmt_number(100 * x)} %" if p.unit.startswith("share") else fmt_number(x)


def control_for(p: Parameter, value: Any) -> Control:
    """The control that shows ``value`` of parameter ``p``."""
    common = {
        "name": p.name,
        "group": p.group or p.kind,
        "label": label_of(p.name),
        "unit": "" if p.unit in ("-", "") else p.unit,
        "tooltip": tooltip_of(p),
        "value": value,
        "live": p.schedulable,
    }
    if isinstance(value, Schedule):
        return Control(widget="schedule", **common)
    if p.type == "boolean":
        return Control(widget="switch", **common)
    if p.type == "categorical" and p.choices:
        return Control(widget="select", stops=tuple(p.choices), **common)
    if p.type in ("real", "integer") and p.min is not None and p.max is not None:
        span = f"{_bare(p, p.min)} to {_bare(p, p.max)}"
        return Control(widget="slider", stops=slider_stops(p, value), range_text=span, **common)
    # fractions, months, text, and numbers without a range: typed, checked on edit
    return Control(widget="text", **common)


def controls(values: dict[str, Any], catalogue: tuple[Parameter, ...] = CATALOGUE) -> list[Control]:
    """One control per catalogue entry named in ``values``, in catalogue order."""
    return [control_for(p, values[p.name]) for p in catalogue if p.name in values]


def grouped(items: list[Control], catalogue: tuple[Parameter, ...] = CATALOGUE) -> dict:
    """Controls by group, groups in the order the catalogue first uses them
    (levers' groups, then uncertainties', then constants')."""
    kind = {p.name: p.kind for p in catalogue}
    rank = {k: i for i, k in enumerate(KIND_ORDER)}
    order: dict[str, tuple[int, int]] = {}
    for i, c in enumerate(items):
        order.setdefault(c.group, (rank.get(kind.get(c.name, ""), len(rank)), i))
    out: dict[str, list[Control]] = {}
    for group in sorted(order, key=order.get):
        out[group] = [c for c in items if c.group == group]
    return out
