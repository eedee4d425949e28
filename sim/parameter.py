"""One named input of the model: what it means, its unit, default, range and source.

A :class:`Parameter` validates a value (or a schedule of values) and says in
one line what is allowed when it refuses one. The catalogue in
:mod:`sim.catalogue` is a list of them; :mod:`sim.levers` assembles it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from sim.schedule import Schedule


class ValueProblem(ValueError):
    """A value a parameter does not accept. ``str()`` is the whole sentence (for
    a model built from Python); ``problem`` and ``allowed`` are its two halves,
    so a scenario file's one-line error says each once."""

    def __init__(self, name: str, problem: str, allowed: str):
        super().__init__(f"{name}: {problem} ({allowed})")
        self.name, self.problem, self.allowed = name, problem, allowed

    def __reduce__(self):  # so a worker process can send it back whole
        return (type(self), (self.name, self.problem, self.allowed))


@dataclass(frozen=True)
class Parameter:
    """One named input of the model, with everything needed to validate it."""

    name: str
    kind: str  # "lever", "uncertainty", "constant" ("parameter": of another Mesa model)
    type: str  # "real", "integer", "boolean", "categorical", "fractions", "month", "text", "value"
    unit: str
    default: Any
    description: str
    source: str
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] | None = None
    schedulable: bool = True
    sweepable: bool = True
    tags: tuple[str, ...] = field(default_factory=tuple)
    group: str = ""  # where it sits among its kind: the docs and the dashboard group by it
    needs: tuple[str, ...] = ()  # other levers that must be set for this one to act

    def check(self, value: Any) -> Any:
        """Return ``value`` normalised, or raise ``ValueError`` saying what is allowed."""
        if isinstance(value, Schedule):
            return Schedule({m: self.check(v) for m, v in value.points.items()})
        if self.type == "value":  # another model's parameter with no simple type: as written
            return self._any_value(value)
        if isinstance(value, dict):
            if not self.schedulable:
                raise self._problem("takes one value, not a schedule")
            if any(isinstance(v, dict) for v in value.values()):
                raise ValueProblem(
                    self.name, "a schedule inside a schedule", "a schedule maps months to values"
                )
            checked = {m: self.check(v) for m, v in value.items()}
            try:
                return Schedule(checked)
            except ValueError as err:  # a month that is not YYYY-MM
                raise ValueProblem(
                    self.name, str(err), "a schedule maps months YYYY-MM to values"
                ) from None
        return self._check_scalar(value)

    def _any_value(self, value: Any) -> Any:
        """Any value, but a number must fit the results tables (64-bit, finite)."""
        if isinstance(value, int) and not isinstance(value, bool) and not -(2**63) <= value < 2**63:
            raise self._problem(f"{shown(value)} is too large for a 64-bit integer")
        if isinstance(value, float) and not math.isfinite(value):
            raise self._problem(f"expected a finite number, got {value!r}")
        return value

    def _problem(self, problem: str) -> ValueProblem:
        return ValueProblem(self.name, problem, self.allowed())

    def _check_scalar(self, value: Any) -> Any:
        kind = self.type
        if kind == "boolean":
            if isinstance(value, bool):
                return value
            raise self._problem(f"expected true or false, got {value!r}")
        if kind == "categorical":
            if value in self.choices:
                return value
            raise self._problem(f"{value!r} is not one of the choices")
        if kind == "month":
            from sim.calendar import format_month, parse_month

            try:
                return format_month(parse_month(value))
            except ValueError as err:
                raise self._problem(str(err)) from None
        if kind == "text":  # a parameter of another Mesa model whose default is text
            if isinstance(value, str):
                return value
            raise self._problem(f"expected text, got {value!r}")
        if kind == "fractions":
            if not isinstance(value, (list, tuple)) or not value:
                raise self._problem(f"expected a non-empty list, got {value!r}")
            return tuple(self._number(v, "real") for v in value)
        return self._number(value, kind)

    def _number(self, value: Any, kind: str) -> float | int:
        written = value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self._problem(f"expected a number, got {value!r}")
        if kind == "integer":
            if isinstance(value, float) and not value.is_integer():
                raise self._problem(f"expected a whole number, got {value!r}")
            value = int(value)
            if not -(2**63) <= value < 2**63:  # the results tables hold 64-bit integers
                raise self._problem(f"{shown(written)} is too large for a 64-bit integer")
        else:
            try:
                value = float(value)
            except OverflowError:
                raise self._problem(f"{shown(written)} is too large") from None
        if not math.isfinite(value):
            raise self._problem(f"expected a finite number, got {written!r}")
        if (self.min is not None and value < self.min) or (
            self.max is not None and value > self.max
        ):
            raise self._problem(f"{shown(written)} is out of range")
        return value

    def _range(self) -> str:
        if self.min is None and self.max is None:
            return ""
        return f" [{_fmt(self.min)}, {_fmt(self.max)}] {self.unit}".rstrip()

    def allowed(self) -> str:
        """Human text for what this parameter accepts."""
        if self.type == "categorical":
            return "one of " + ", ".join(self.choices)
        if self.type == "boolean":
            return "true or false"
        if self.type == "month":
            return "a month YYYY-MM"
        if self.type == "fractions":
            return "a list of fractions in [0, 1]"
        if self.type == "text":
            return "text"
        if self.type == "value":
            return "a value"
        number = "a whole number" if self.type == "integer" else "a number"
        return f"{number} in{self._range()}" if self._range() else number

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready description (used by ``sim levers --json`` and the docs)."""
        default = list(self.default) if isinstance(self.default, tuple) else self.default
        return {
            "name": self.name,
            "kind": self.kind,
            "type": self.type,
            "unit": self.unit,
            "default": default,
            "min": self.min,
            "max": self.max,
            "choices": list(self.choices) if self.choices else None,
            "schedulable": self.schedulable,
            "sweepable": self.sweepable,
            "group": self.group,
            "needs": list(self.needs),
            "description": self.description,
            "source": self.source,
        }


def shown(value: Any) -> str:
    """A value as an error message quotes it: a 400-digit number is cut short."""
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:20]}...({len(text)} characters)"


def _fmt(x: float | None) -> str:
    if x is None:
        return "-inf" if x is None else ""
    from sim.numbers import fmt  # one way to write a number everywhere

    return fmt(x)


def lever(name, type, unit, default, description, source, **kw) -> Parameter:
    """A policy lever: what a government controls (schedulable unless told)."""
    return Parameter(name, "lever", type, unit, default, description, source, **kw)


def uncertainty(
    name: str,
    unit: str,
    default: Any,
    low: float | None,
    high: float | None,
    description: str,
    source: str,
    *,
    type: str = "real",
    **kw: Any,
) -> Parameter:
    """What nobody controls: a behavioural parameter with its plausible range.

    Behavioural parameters hold for a whole run (not schedulable unless told),
    so the model reads them once."""
    kw.setdefault("schedulable", False)
    return Parameter(name, "uncertainty", type, unit, default, description, source,
                     min=low, max=high, **kw)  # fmt: skip


def constant(name, type, unit, default, description, source, **kw) -> Parameter:
    """The fixed set-up of a run: scale, calendar, definitions, mechanism switches."""
    kw.setdefault("schedulable", False)
    return Parameter(name, "constant", type, unit, default, description, source, **kw)
