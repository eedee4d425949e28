"""One run of another Mesa model (``model: module:Class``), as columns.

The model is built the way its class takes its inputs and stepped until the
horizon or until it stops itself (``running = False``), as ``batch_run``
does. After each step the kept model reporters are read from its
DataCollector; when the model did not collect during a step, the runner
collects, so every step has a row (as NetLogo's BehaviorSpace measures every
tick). A reporter the model does not define for a run's parameters (Mesa's
Wolf-Sheep counts grass only when grass grows) is recorded as missing (NaN).
"""

from __future__ import annotations

import decimal
import math
import numbers
from typing import Any

from sim.experiments.models import describe, plain
from sim.levers import shown


def simulate_columns(
    ref: str, values: dict[str, Any], seed: int, months: int, outputs: tuple[str, ...]
) -> dict[str, list]:
    """The ``outputs`` of the model ``ref`` names after each step, with ``month``
    (the step) and ``date`` (the step as a month from ``start``)."""
    from sim.calendar import add_months

    spec = describe(ref)
    params = dict(values)
    start = str(params.pop("start", "2014-01"))
    if spec.takes_scenario:
        model = spec.model_class(scenario=spec.scenario_class(rng=seed, **params))
    else:
        model = spec.model_class(**params, **{spec.seed_name: seed})
    collected = model.datacollector.model_vars
    columns: dict[str, list] = {"month": [], "date": [], **{n: [] for n in outputs}}
    for step in range(1, int(months) + 1):
        if not model.running:
            break
        before = _collections(collected)
        model.step()
        if _collections(collected) == before:
            model.datacollector.collect(model)
        columns["month"].append(step)
        columns["date"].append(add_months(start, step - 1))
        for name in outputs:
            series = collected.get(name)
            columns[name].append(_number(name, series[-1]) if series else math.nan)
    if not columns["month"]:
        raise RuntimeError(f"{ref} stopped before its first step (running is False after __init__)")
    return columns


def _collections(collected: dict[str, list]) -> int:
    """How many times the DataCollector has collected (its longest series)."""
    return max((len(v) for v in collected.values()), default=0)


def _number(name: str, value: Any) -> float:
    """A reporter's value as a float: numbers of any kind (NumPy's, Decimal,
    Fraction, bool) and None (missing); anything else fails the run by name."""
    if value is None:
        return math.nan
    value = plain(value)  # NumPy scalars, np.bool_ included
    if isinstance(value, numbers.Real | decimal.Decimal):
        try:
            return float(value)
        except (OverflowError, ValueError, TypeError):
            raise ValueError(
                f"model reporter '{name}' returned {shown(value)}, too large for a float"
            ) from None
    raise TypeError(
        f"model reporter '{name}' returned {shown(value)}, not a number "
        "(list the numeric reporters under 'outputs')"
    )
