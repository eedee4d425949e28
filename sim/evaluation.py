"""The model as a plain function from parameters to outcomes.

``simulate`` is the seam the batch runner uses; ``evaluate`` is the shape the
EMA Workbench expects (``ema_workbench.Model(name, function=sim.evaluate)``):
keyword parameters in, a flat dict of final outcomes out.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from sim.errors import UserError
from sim.outcomes import NAMES

MAX_MONTHS = 1200  # as a scenario file allows


def _whole(name: str, value: Any, low: int, high: int) -> int:
    """A seed or a horizon as an int: NumPy integers and whole floats are taken,
    fractions, text and values out of range are a one-line :class:`UserError`
    (never truncated: ``months=2.7`` is not two months)."""
    if isinstance(value, bool):
        raise UserError(f"{name}: expected a whole number, got {value!r}")
    if hasattr(value, "__index__"):
        number = int(value.__index__())
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif hasattr(value, "is_integer") and callable(value.is_integer) and value.is_integer():
        number = int(value)  # a NumPy float holding a whole number
    else:
        raise UserError(f"{name}: expected a whole number, got {value!r}")
    if not low <= number <= high:
        raise UserError(f"{name}: {number} is out of range (a whole number from {low} to {high})")
    return number


def simulate_columns(params: dict[str, Any], seed: int, months: int = 120) -> dict[str, list]:
    """Run one model; return the columns of :func:`simulate` as plain lists.

    The same values as ``simulate(...)`` without building a DataFrame, and
    without Mesa's DataCollector: each month's ``model.outcomes`` (a fresh
    dict) is kept as it is and turned into columns once at the end.
    """
    from sim.model import EcosystemScenario, StartupEcosystem

    seed = _whole("seed", seed, 0, 2**63 - 1)
    months = _whole("months", months, 1, MAX_MONTHS)
    scenario = EcosystemScenario(rng=seed, **params)  # as Mesa's own examples take theirs
    model = StartupEcosystem(scenario=scenario, collect=False)
    month, date, rows = [], [], []
    for _ in range(months):
        model.step()
        month.append(model.month)
        date.append(model.date)
        rows.append(model.outcomes)
    columns: dict[str, list] = {"month": month, "date": date}
    columns.update({name: [row[name] for row in rows] for name in NAMES})
    return columns


def simulate(params: dict[str, Any], seed: int, months: int = 120) -> pd.DataFrame:
    """Run one model for ``months`` steps; return its monthly outcomes.

    Columns: ``month`` (1..months), ``date`` (YYYY-MM), then every outcome in
    :data:`sim.outcomes.NAMES`. Month 0 (the initial state) is not included.
    """
    return pd.DataFrame(simulate_columns(params, seed, months))


def final_outcomes(frame: pd.DataFrame) -> dict[str, float]:
    """Value of each outcome in the last month (use the ``cumulative_*`` columns for totals)."""
    last = frame.iloc[-1]
    return {name: float(last[name]) for name in NAMES}


def evaluate(
    levers: dict[str, Any] | None = None, seed: int = 0, months: int = 120, **kw: Any
) -> dict[str, float]:
    """Run one model and return its final outcomes.

    Levers may come as a dict or as keyword arguments (the EMA Workbench calls
    the function with keywords). Flow outcomes are the last month's flow.
    """
    params = dict(levers or {}) | kw
    return final_outcomes(simulate(params, seed=seed, months=months))
