"""Turning a ``sweep`` into design points.

Designs are named as in the EMA Workbench: ``grid`` (full factorial),
``list`` (given cases), ``lhs`` (Latin hypercube, ``scipy.stats.qmc``),
``sobol`` (Saltelli's scheme, ``SALib.sample.sobol``) and ``morris``
(elementary-effects trajectories, ``SALib.sample.morris``). No sampler is
written here: we only map unit samples onto each factor's range or choices.

For ``sobol`` and ``morris`` the points are in SALib's row order and the
SALib ``problem`` is kept, so ``SALib.analyze.sobol.analyze(problem, Y)``
works on the per-point means of ``runs.parquet`` sorted by ``point``.
Integer and categorical factors are sampled on ``[0, 1]`` in SALib and
mapped to a value by equal-width bins; their ``problem`` bounds say so.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import Any

from sim.experiments.scenario import Scenario, Sweep, to_plain

# spawn_key used for the design's own randomness: far from any (point, rep) key.
DESIGN_KEY = (2**32 - 1,)


@dataclass
class Design:
    """The design points of a scenario: ``points[i]`` maps factor name -> value."""

    factors: tuple[str, ...]
    points: list[dict[str, Any]]
    kind: str = "single"
    problem: dict[str, Any] | None = None
    info: dict[str, Any] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)  # factor -> catalogue type

    def __len__(self) -> int:
        return len(self.points)

    def column_types(self) -> dict[str, str]:
        """Arrow type of each factor column: the catalogue type, or JSON text for
        schedules and lists."""
        out = {}
        for name in self.factors:
            values = [p[name] for p in self.points if name in p]
            if any(isinstance(v, (dict, list)) for v in values):
                out[name] = "string"
            else:
                out[name] = {"real": "float64", "integer": "int64", "boolean": "bool"}.get(
                    self.types.get(name, ""), _inferred(values)
                )
        return out


def _inferred(values: list[Any]) -> str:
    """Column type of a factor whose type the catalogue does not say (another
    model's parameter with a default such as None): from the values it takes."""
    if values and all(isinstance(v, bool) for v in values):
        return "bool"
    if values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "int64"
    if values and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return "float64"
    return "string"


def count_points(sweep: Sweep | None) -> int:
    """Number of design points, without sampling (for ``sim validate``)."""
    if sweep is None:
        return 1
    d = len(sweep.factors)
    if sweep.design == "grid":
        return math.prod(len(v) for v in sweep.factors.values())
    if sweep.design == "list":
        return len(sweep.points) if sweep.points else len(next(iter(sweep.factors.values())))
    if sweep.design == "lhs":
        return sweep.samples
    if sweep.design == "sobol":
        return sweep.samples * (2 * d + 2 if sweep.second_order else d + 2)
    return sweep.samples * (d + 1)  # morris: trajectories x (factors + 1)


def expand(scenario: Scenario) -> Design:
    """All design points of ``scenario`` (one empty point when nothing is swept)."""
    params = scenario.spec.parameters
    design = _points(scenario, {n: p.type for n, p in params.items()})
    design.types = {n: params[n].type for n in design.factors}
    return design


def _points(scenario: Scenario, types: dict[str, str]) -> Design:
    sweep = scenario.sweep
    if sweep is None:
        return Design((), [{}])
    names = tuple(sweep.factors)
    if sweep.design == "grid":
        combos = itertools.product(*sweep.factors.values())
        return Design(names, [dict(zip(names, c, strict=True)) for c in combos], "grid")
    if sweep.design == "list":
        if sweep.points:
            # a point that does not name a factor runs with the scenario's value of it
            factors = tuple(dict.fromkeys(k for p in sweep.points for k in p))
            base, params = scenario.base_values(), scenario.spec.parameters
            fill = {n: base[n] if n in base else to_plain(params[n].default) for n in factors}
            return Design(factors, [fill | p for p in sweep.points], "list")
        rows = zip(*sweep.factors.values(), strict=True)
        return Design(names, [dict(zip(names, r, strict=True)) for r in rows], "list")
    return _sampled(scenario.seed, sweep, types)


def _design_seed(root: int) -> int:
    import numpy as np  # here, not at the top: a sweep's parent process stays small

    state = np.random.SeedSequence(root, spawn_key=DESIGN_KEY).generate_state(1, np.uint32)
    return int(state[0])


def _sampled(root: int, sweep: Sweep, types: dict[str, str]) -> Design:
    import numpy as np

    names = tuple(sweep.factors)
    specs = [sweep.factors[n] for n in names]
    seed = _design_seed(root)
    bounds = [_bounds(types[n], s) for n, s in zip(names, specs, strict=True)]
    problem = {"num_vars": len(names), "names": list(names), "bounds": bounds}
    if sweep.design == "lhs":
        from scipy.stats import qmc

        unit = qmc.LatinHypercube(d=len(names), rng=np.random.default_rng(seed)).random(
            sweep.samples
        )
        lo, hi = np.array(bounds).T
        matrix = qmc.scale(unit, lo, hi) if len(names) else unit
        info = {"samples": sweep.samples, "sampler": "scipy.stats.qmc.LatinHypercube"}
    elif sweep.design == "sobol":
        info = {
            "samples": sweep.samples,
            "second_order": sweep.second_order,
            "sampler": "SALib.sample.sobol.sample",
        }
    else:
        info = {
            "samples": sweep.samples,
            "levels": sweep.levels,
            "sampler": "SALib.sample.morris.sample",
        }
    info["design_seed"] = seed
    if sweep.design != "lhs":
        matrix = salib_matrix(sweep.design, problem, info)
    points = [
        {n: _value(types[n], s, float(x)) for n, s, x in zip(names, specs, row, strict=True)}
        for row in np.asarray(matrix)
    ]
    return Design(names, points, sweep.design, problem, info)


def salib_matrix(kind: str, problem: dict[str, Any], info: dict[str, Any]) -> Any:
    """SALib's sample for a ``sobol`` or ``morris`` design, from what the manifest
    keeps of it (``problem`` and ``info``), so an analysis can redo it exactly."""
    if kind == "sobol":
        from SALib.sample import sobol

        return sobol.sample(
            problem,
            info["samples"],
            calc_second_order=info["second_order"],
            seed=info["design_seed"],
        )
    from SALib.sample import morris

    return morris.sample(
        problem, info["samples"], num_levels=info["levels"], seed=info["design_seed"]
    )


def _bounds(kind: str, spec: dict[str, Any]) -> list[float]:
    """SALib bounds: the real range, or [0, 1] for values picked by bins."""
    if "choices" in spec or kind == "integer":
        return [0.0, 1.0]
    return [float(spec["min"]), float(spec["max"])]


def _value(kind: str, spec: dict[str, Any], x: float) -> Any:
    """Map one sampled coordinate to a value of the factor (of type ``kind``)."""
    if "choices" in spec:
        choices = spec["choices"]
        return choices[min(int(x * len(choices)), len(choices) - 1)]
    if kind == "integer":
        lo, hi = int(spec["min"]), int(spec["max"])
        return min(lo + int(x * (hi - lo + 1)), hi)
    return x
