"""The ``plots`` key of a scenario: which outcome curves to draw, and split by what.

An item is an outcome name, or a map ``{metric: NAME}`` / ``{metrics: [NAME,
...]}`` with an optional ``by: NAME``. A ``by`` must name a lever or
parameter of the model; one the sweep does not vary draws a single group, so
that a scenario which ``extends`` another and drops its sweep still runs.
"""

from __future__ import annotations

from typing import Any

from sim.experiments.problems import did_you_mean, fail

KEYS = ("metric", "metrics", "outcomes", "by")
ITEM_HELP = "an outcome name, or {metric: NAME, by: FACTOR}"


def check_plots(
    plots: list[Any], outcomes: tuple[str, ...], factors: list[str], where: str, listed: str
) -> list[Any]:
    """``plots`` as written, once every name in it is known; ``where`` says where
    the outcomes are listed, ``listed`` where the levers and parameters are. An
    outcome that ``outputs`` drops is skipped when drawing, so a scenario may
    narrow the outputs of one it ``extends`` without repeating its plots."""
    for i, item in enumerate(plots):
        sub = (str(i),)
        if isinstance(item, str):
            names: Any = item
        elif isinstance(item, dict):
            unknown = [str(k) for k in item if k not in KEYS]
            if unknown:
                raise fail(
                    sub,
                    f"unknown key '{unknown[0]}'",
                    did_you_mean(unknown[0], KEYS, "keys " + ", ".join(KEYS)),
                )
            names = item.get("metric", item.get("metrics", item.get("outcomes")))
            if not names:
                raise fail(sub, "names no outcome", ITEM_HELP)
            _check_by(item.get("by"), factors, sub, listed)
        else:
            raise fail(sub, f"expected an outcome name or a map, got {item!r}", ITEM_HELP)
        named = [names] if isinstance(names, str) else names
        if not isinstance(named, list) or not all(isinstance(n, str) for n in named):
            raise fail(sub, f"expected outcome names, got {names!r}", ITEM_HELP)
        for name in named:
            if name not in outcomes:
                raise fail(
                    sub, f"unknown outcome '{name}'", did_you_mean(str(name), outcomes, where)
                )
    return plots


def _check_by(by: Any, factors: list[str], sub: tuple[str, ...], listed: str) -> None:
    if by is None or by in factors:
        return
    hint = did_you_mean(str(by), factors, listed)
    raise fail(sub, f"by: '{by}' is not a lever or parameter that can vary", hint)
