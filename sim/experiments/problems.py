"""How a scenario's validators report a problem: the key, what is wrong, what is allowed.

The loader (:mod:`sim.experiments.loader`) turns these into the one-line
``FILE:LINE: field: problem (allowed)`` message.
"""

from __future__ import annotations

from typing import Any

from pydantic_core import PydanticCustomError

from sim.levers import closest


def fail(sub: tuple[str, ...], problem: str, allowed: str = "") -> PydanticCustomError:
    """A validation error for the key at ``sub`` below the field being validated."""
    return PydanticCustomError(
        "scenario", "{problem}", {"problem": problem, "allowed": allowed, "sub": sub}
    )


def did_you_mean(name: str, pool: Any, what: str) -> str:
    """The closest valid name, or where to look them up."""
    hint = closest(name, list(pool))
    return f"did you mean '{hint}'?" if hint else f"see {what}"
