"""The catalogue of policy levers, uncertainties and constants.

Every number an analyst may set lives here, once, with its unit, default,
valid range and the sentence of the seed documents that justifies it. The
model, the scenario validator, ``sim levers`` and ``docs/levers.md`` all read
this one table, so they cannot drift apart.

Vocabulary follows the EMA Workbench: *levers* are what policy controls,
*uncertainties* what nobody controls, *constants* the fixed set-up. A lever or
uncertainty may be a constant or a schedule over calendar months (see
:mod:`sim.schedule`).
"""

from __future__ import annotations

import difflib
from typing import Any

from sim.catalogue import finance, founders, policy, setup, spaces, ventures
from sim.catalogue.policy import SUBSIDY_MODES
from sim.parameter import Parameter, ValueProblem, shown

__all__ = [
    "BY_NAME",
    "CATALOGUE",
    "LEVERS",
    "SUBSIDY_MODES",
    "Parameter",
    "UnknownParameterError",
    "ValueProblem",
    "closest",
    "resolve",
    "shown",
    "unknown_message",
]


CATALOGUE: tuple[Parameter, ...] = (
    *policy.LEVERS,
    *founders.BEHAVIOUR,
    *ventures.BEHAVIOUR,
    *spaces.BEHAVIOUR,
    *finance.BEHAVIOUR,
    *setup.SETUP,
)

BY_NAME: dict[str, Parameter] = {p.name: p for p in CATALOGUE}
LEVERS = tuple(p for p in CATALOGUE if p.kind == "lever")


def closest(name: str, names=None) -> str | None:
    """The valid name closest to a misspelt one, if any is close."""
    pool = list(names if names is not None else BY_NAME)
    match = difflib.get_close_matches(name, pool, n=1, cutoff=0.5)
    return match[0] if match else None


class UnknownParameterError(KeyError, ValueError):
    """A name that is not in the catalogue."""

    def __str__(self) -> str:  # KeyError would quote the message
        return self.args[0]


def unknown_message(name: str) -> str:
    """One line naming the unknown parameter and the nearest valid one."""
    hint = closest(name)
    tail = f"; did you mean '{hint}'?" if hint else "; run 'sim levers' for the list"
    return f"unknown parameter '{name}'{tail}"


def resolve(values: dict[str, Any]) -> dict[str, Any]:
    """Defaults overlaid with ``values``, each checked against the catalogue."""
    out = {p.name: p.default for p in CATALOGUE}
    for name, value in values.items():
        if name not in BY_NAME:
            raise UnknownParameterError(unknown_message(name))
        out[name] = BY_NAME[name].check(value)
    return out
