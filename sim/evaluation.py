"""The model as a plain function from parameters to outcomes.

``simulate`` is the seam the batch runner uses; ``evaluate`` is the shape the
EMA Workbench expects (``ema_workbench.Model(name, function=sim.evaluate)``):
keyword parameters in, a flat dict of final outcomes out.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from sim.outcomes import NAMES


def simulate_columns(params: dict[str, Any], seed: int, months: int = 120) -> dict[str, list]:
    """Run one model; return the columns of :func:`simulate` as plain lists.

    The same values as ``simulate(...)`` without building a DataFrame, and
    without Mesa's DataCollector: each month's ``model.outcomes`` (a fresh
    dict) is kept as it is and turned into columns once at the end.
    """
    from sim.model import EcosystemScenario, StartupEcosystem

    scenario = EcosystemScenario(rng=int(seed), **params)  # as Mesa's own examples take theirs
    model = StartupEcosystem(scenario=scenario, collect=False)
    month, date, rows = [], [], []
    for _ in range(int(months)):
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
