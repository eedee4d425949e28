"""Lever values that change over calendar time.

A policy is rarely a constant: the 2015 Guideline switches on in a given
month, subsidies taper, accreditation tightens. A :class:`Schedule` is a step
function over calendar months written as ``{"2014-01": 0, "2015-06": 1}``: each
value holds from its month until the next one. Before the first listed month
the first value applies, so a schedule never leaves a lever undefined.
"""

from __future__ import annotations

import bisect
from typing import Any

from sim.calendar import format_month, parse_month


class Schedule:
    """A step function from calendar months to lever values."""

    __slots__ = ("points", "_months", "_values")

    def __init__(self, points: dict[str, Any]):
        if not points:
            raise ValueError("a schedule needs at least one 'YYYY-MM: value' entry")
        parsed = sorted((parse_month(str(m)), v) for m, v in points.items())
        self._months = [m for m, _ in parsed]
        self._values = [v for _, v in parsed]
        self.points = {format_month(m): v for m, v in parsed}

    def at(self, absolute_month: int) -> Any:
        """Value in force in the given absolute month."""
        i = bisect.bisect_right(self._months, absolute_month) - 1
        return self._values[max(i, 0)]

    def first_month(self) -> int:
        return self._months[0]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Schedule) and self.points == other.points

    def __hash__(self) -> int:
        return hash(tuple(self.points.items()))

    def __repr__(self) -> str:
        return f"Schedule({self.points!r})"


def value_at(value: Any, absolute_month: int) -> Any:
    """A lever's value in a month, whether it is a constant or a schedule."""
    return value.at(absolute_month) if isinstance(value, Schedule) else value
