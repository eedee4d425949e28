"""``sim levers``: the catalogue as a terminal table, JSON, or the docs page.

``docs/levers.md`` is generated from here (``make docs``) and a test fails
when the committed page differs, so the documentation cannot drift from the
code.
"""

from __future__ import annotations

import json
import math
from typing import Any

from sim.levers import CATALOGUE, Parameter


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, tuple):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    if isinstance(v, float):
        return f"{v:,.6g}" if abs(v) < 1e6 else f"{v:,.0f}"
    return str(v)


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


def cmd_levers(args) -> int:
    if getattr(args, "model", None) is not None:
        return _other_model(args)
    params = [p for p in CATALOGUE if args.all or args.json or p.kind == "lever"]
    if args.json:
        print(json.dumps([p.as_dict() for p in params], indent=2))
    elif args.markdown:
        print(markdown(), end="")
    else:
        print(table(params))
        if not args.all:
            print("\n(uncertainties and constants: sim levers --all)")
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
