"""What the page runs: the model built from the controls, and how a control
reaches a running model.

Mesa's page controller (``ModelController``) rebuilds a model on Reset as
``type(model)(scenario=ScenarioClass(**params))`` when the class takes its
inputs as a Mesa ``Scenario``, the seed included, as Mesa's own examples do.
:class:`DashboardScenario` is that Scenario class, its fields generated from
the catalogue; :class:`DashboardEcosystem` is ``StartupEcosystem`` taking
only that scenario (``StartupEcosystem`` also takes ``rng=`` as a keyword,
which Mesa's controller would pass beside the scenario, and Mesa's ``Model``
refuses a seed given twice).

A control moved while the model runs acts from the next month: the lever
becomes a schedule (its old value until this month, the new one after) and
the run is replayed to the month it had reached with the same seed, so its
past stays as it was and only its future changes, as in NetLogo where a
slider acts on the next tick. Levers the catalogue marks as not schedulable
(and the seed) can only act from the start: they wait for Reset.
This module is plain Python (no Solara), so all of it is tested directly.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from typing import Any

from mesa.experimental.scenarios import Scenario

from sim.calendar import add_months, parse_month
from sim.errors import UserError
from sim.levers import BY_NAME, CATALOGUE, Parameter
from sim.model import EcosystemScenario, StartupEcosystem
from sim.schedule import Schedule, value_at

SCENARIO_ENV = "SIM_DASHBOARD_SCENARIO"  # how `sim dashboard --scenario` reaches `solara run`
SEED_KEY = "rng"  # the name Mesa's controller and Scenario give the seed


def _scenario_class() -> type[EcosystemScenario]:
    """An EcosystemScenario whose fields are the catalogue's entries with their
    defaults (Mesa's controller routes a parameter to the scenario by these)."""
    clash = [p.name for p in CATALOGUE if hasattr(Scenario, p.name) or p.name == SEED_KEY]
    if clash:  # a lever called like a Scenario attribute would shadow it
        raise RuntimeError(f"catalogue names clash with mesa's Scenario: {clash}")
    defaults = {p.name: p.default for p in CATALOGUE}
    namespace = {
        "__module__": __name__,
        "__doc__": "EcosystemScenario with a field per catalogue entry (generated).",
        "__annotations__": dict.fromkeys(defaults, Any),
        **defaults,
    }
    return type("DashboardScenario", (EcosystemScenario,), namespace)


DashboardScenario = _scenario_class()


class DashboardEcosystem(StartupEcosystem):
    """The economy as the page runs it: every input, the seed included, in one scenario."""

    def __init__(self, scenario: EcosystemScenario | None = None):
        super().__init__(scenario=scenario if scenario is not None else DashboardScenario())


def build(values: dict[str, Any], seed: int) -> DashboardEcosystem:
    """A fresh model at month 0 from control values and a seed."""
    return DashboardEcosystem(scenario=DashboardScenario(rng=int(seed), **values))


def inputs(model: StartupEcosystem) -> tuple[dict[str, Any], Any]:
    """The values and seed a model was built from (its Mesa scenario)."""
    values = {k: v for k, v in model.scenario if k != SEED_KEY}
    return values, model.scenario.rng


@dataclass
class Start:
    """Where the page starts: every catalogue entry's value, and the seed."""

    values: dict[str, Any]
    seed: int = 0
    source: str = "the catalogue's defaults"
    notes: list[str] = field(default_factory=list)


def start_values(path: str | os.PathLike | None = None) -> Start:
    """Defaults, overlaid with a scenario file's levers and parameters when given.

    The file is read and validated by the batch runner's loader, so a mistake
    is the same one-line ``FILE:LINE: field: problem`` error ``sim validate``
    prints. A sweep has no single value to show: the page starts from the
    values its runs share, and says so.
    """
    values = {p.name: p.default for p in CATALOGUE}
    if path is None:
        return Start(values)
    from sim.experiments.loader import load_scenario

    loaded = load_scenario(path)
    scenario = loaded.scenario
    if scenario.model is not None:
        raise UserError(
            f"{path}: model: the dashboard shows this package's economy, not {scenario.model}"
        )
    notes = []
    for name, value in scenario.base_values().items():
        if name in BY_NAME:
            values[name] = BY_NAME[name].check(value)
    if scenario.sweep is not None:
        swept = ", ".join(scenario.sweep.factors)
        notes.append(f"the sweep ({swept}) is not shown: each control starts at its shared value")
    return Start(values, scenario.seed, str(path), notes)


def start_from_environment() -> Start:
    """The start the server was told about (``sim dashboard --scenario FILE``)."""
    return start_values(os.environ.get(SCENARIO_ENV) or None)


def next_month(model: StartupEcosystem) -> str:
    """The month the next step simulates."""
    return add_months(model.date, 1)


def from_month(current: Any, value: Any, month: str) -> Schedule:
    """``current`` (a value or a schedule) until ``month``, then ``value``."""
    until = add_months(month, -1)
    points = {}
    if isinstance(current, Schedule):
        points = {m: v for m, v in current.points.items() if parse_month(m) < parse_month(month)}
    points[until] = value_at(current, parse_month(until))
    points[month] = value
    return Schedule(points)


def acts_live(name: str) -> bool:
    """Whether a control can act on a running model (from its next month)."""
    p: Parameter | None = BY_NAME.get(name)
    return p is not None and p.schedulable


@dataclass
class Change:
    """A running model with one control applied from its next month."""

    model: DashboardEcosystem
    month: str  # the first month the new value holds
    faithful: bool  # the replayed months equal the run's (False: the model reads ahead)


def apply_from_next_month(model: StartupEcosystem, name: str, value: Any) -> Change:
    """Replay ``model`` with ``name`` set to ``value`` from its next month on."""
    values, seed = inputs(model)
    month = next_month(model)
    values[name] = from_month(values[name], BY_NAME[name].check(value), month)
    replayed = DashboardEcosystem(scenario=DashboardScenario(rng=seed, **values))
    for _ in range(model.steps):
        replayed.step()
    return Change(replayed, month, same_history(model, replayed))


def same_history(a: StartupEcosystem, b: StartupEcosystem) -> bool:
    """Whether two models' DataCollector rows so far are equal (NaN equal to NaN)."""
    va, vb = a.datacollector.model_vars, b.datacollector.model_vars
    if va.keys() != vb.keys():
        return False
    return all(
        len(va[k]) == len(vb[k]) and all(_same(x, y) for x, y in zip(va[k], vb[k], strict=True))
        for k in va
    )


def _same(x: Any, y: Any) -> bool:
    if isinstance(x, float) and isinstance(y, float) and math.isnan(x) and math.isnan(y):
        return True
    return x == y


def pending(model: StartupEcosystem, controls: dict[str, Any]) -> list[str]:
    """The controls whose value the running model does not use from its next month
    (the seed and levers that cannot be scheduled wait for Reset)."""
    values, seed = inputs(model)
    month = parse_month(next_month(model))
    out = []
    for name, shown in controls.items():
        used = seed if name == SEED_KEY else values.get(name)
        if not isinstance(shown, Schedule):
            used = value_at(used, month)
        if not _same_value(used, shown):
            out.append(name)
    return out


def _same_value(a: Any, b: Any) -> bool:
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return tuple(a) == tuple(b)
    return _same(a, b)
