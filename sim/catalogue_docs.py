"""``sim levers``: the catalogue as a terminal table, JSON, or the docs page.

``docs/levers.md`` is generated from here (``make docs``) and a test fails
when the committed page differs, so the documentation cannot drift from the
code.
"""

from __future__ import annotations

import json
import math
import textwrap
from typing import Any

from sim.levers import CATALOGUE, Parameter
from sim.numbers import fmt


def _value(v: Any) -> str:
    """A default or a range end, written as everywhere else (:func:`sim.numbers.fmt`)."""
    if isinstance(v, tuple):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    return fmt(v)


def _range(p: Parameter) -> str:
    if p.choices:
        return " / ".join(p.choices)
    if p.type == "boolean":
        return "true / false"
    if p.type == "month":
        return "YYYY-MM"
    if p.min is None and p.max is None:
        return "any " + p.type if p.kind == "parameter" else ""  # another model's: type only
    return f"{_value(p.min)} .. {_value(p.max)}"


def table(params: list[Parameter]) -> str:
    rows = [("name", "kind", "unit", "default", "range")]
    rows += [(p.name, p.kind, p.unit, _value(p.default), _range(p)) for p in params]
    widths = [min(40, max(len(r[i]) for r in rows)) for i in range(5)]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown() -> str:
    """The docs/levers.md page."""
    out = [
        "# Lever catalogue",
        "",
        "Generated from `sim/levers.py` by `make docs` (`sim levers --markdown`); do not edit by hand.",
        "A test fails when this page and the code disagree.",
        "",
        "*Levers* are what policy controls, *uncertainties* what nobody controls, *constants* the set-up.",
        'Levers and uncertainties marked schedulable accept a schedule `{"YYYY-MM": value, ...}`:',
        "each value holds from its month until the next.",
        "",
    ]
    for kind, title in (
        ("lever", "Levers"),
        ("uncertainty", "Uncertainties"),
        ("constant", "Constants"),
    ):
        out += [
            f"## {title}",
            "",
            "| name | unit | default | range | schedulable | description | source |",
        ]
        out += ["|---|---|---|---|---|---|---|"]
        for p in CATALOGUE:
            if p.kind != kind:
                continue
            cells = [
                f"`{p.name}`",
                p.unit,
                _value(p.default),
                _range(p),
                "yes" if p.schedulable else "no",
                p.description,
                p.source,
            ]
            out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        out.append("")
    return "\n".join(out)


def describe(p: Parameter) -> str:
    """One lever or parameter in full: what it is, its unit, range, source."""
    rows = [
        ("name", p.name),
        ("kind", p.kind + (f" ({p.group})" if p.group else "")),
        ("type", p.type),
        ("unit", p.unit),
        ("default", _value(p.default)),
        ("range", _range(p) or "any"),
        ("schedulable", "yes" if p.schedulable else "no"),
        ("sweepable", "yes" if p.sweepable else "no"),
    ]
    if p.needs:
        rows.append(("acts only with", ", ".join(p.needs)))
    rows += [("description", p.description), ("source", p.source)]
    width = max(len(k) for k, _ in rows)
    wrap = textwrap.TextWrapper(width=100, subsequent_indent=" " * (width + 2))
    return "\n".join(wrap.fill(f"{k.ljust(width)}  {v}") for k, v in rows)


def outcomes_table(outcomes: list[Any]) -> str:
    rows = [("name", "unit", "kind", "direction", "description")]
    rows += [
        (o.name, o.unit, "per month" if o.flow else "stock", o.direction, o.description)
        for o in outcomes
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = [
        "  ".join([*(c.ljust(w) for c, w in zip(r[:4], widths, strict=True)), r[4]]).rstrip()
        for r in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in [*widths, 11]))
    return "\n".join(lines)


def cmd_outcomes(args) -> int:
    """``sim outcomes``: what the model reports every month, with units."""
    from dataclasses import asdict

    from sim.outcomes import OUTCOMES

    if args.json:
        print(json.dumps([asdict(o) for o in OUTCOMES], indent=2))
    else:
        print(outcomes_table(list(OUTCOMES)))
        print(
            "\n(summaries for sim sensitivity/discover: mean_NAME, max_NAME, min_NAME, NAME@FROM..TO)"
        )
    return 0


def cmd_levers(args) -> int:
    if getattr(args, "model", None) is not None:
        return _other_model(args)
    name = getattr(args, "name", None)
    if name:
        from sim.errors import UserError
        from sim.levers import BY_NAME, closest

        if name not in BY_NAME:
            hint = closest(name)
            tip = f"did you mean '{hint}'?" if hint else "run 'sim levers --all' for the list"
            raise UserError(f"unknown lever or parameter '{name}' ({tip})")
        p = BY_NAME[name]
        print(json.dumps(p.as_dict(), indent=2) if args.json else describe(p))
        return 0
    params = [p for p in CATALOGUE if args.all or args.json or p.kind == "lever"]
    if args.json:
        print(json.dumps([p.as_dict() for p in params], indent=2))
    elif args.markdown:
        print(markdown(), end="")
    else:
        print(table(params))
        if not args.all:
            print("\n(uncertainties and constants: sim levers --all; one in full: sim levers NAME)")
    return 0


def _other_model(args) -> int:
    """The parameters and outcomes of another Mesa model (``sim levers --model REF``)."""
    from sim.errors import UserError
    from sim.experiments.models import ModelProblem, describe

    try:
        spec = describe(args.model)
    except ModelProblem as err:
        raise UserError(f"--model: {err.problem} ({err.allowed})") from None
    params = list(spec.parameters.values())
    if args.json:
        out = {"model": spec.ref, "parameters": [p.as_dict() for p in params]}
        data = _finite({**out, "outcomes": list(spec.outcomes)})
        print(json.dumps(data, indent=2, default=str, allow_nan=False))
    else:
        print(table(params) if params else f"{spec.ref} takes no parameters")
        print(f"\noutcomes (its DataCollector's model reporters): {', '.join(spec.outcomes)}")
    return 0


def _finite(value):
    """JSON has no NaN or infinity: such defaults are written as text."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value
