"""Tiny Mesa models with known sensitivity indices, run by the real runner.

They go through the same path as any scenario (``model: module:Class``, the
design, the pool, the results folder), so the tests of :mod:`sim.analysis`
check the whole chain against analytic answers.
"""

from __future__ import annotations

import math

import mesa


class Ishigami(mesa.Model):
    """y = sin x1 + 7 sin^2 x2 + 0.1 x3^4 sin x1, with x in [-pi, pi] (Ishigami and
    Homma 1990): S1 = 0.314, 0.442, 0; ST = 0.558, 0.442, 0.244."""

    def __init__(self, x1: float = 0.0, x2: float = 0.0, x3: float = 0.0, rng=None):
        super().__init__(rng=rng)
        self.y = math.sin(x1) + 7 * math.sin(x2) ** 2 + 0.1 * x3**4 * math.sin(x1)
        self.datacollector = mesa.DataCollector(model_reporters={"y": "y"})

    def step(self) -> None:
        self.datacollector.collect(self)


class Ranked(mesa.Model):
    """y = 10 a + 4 b^2 + c + noise: elementary effects rank a > b > c > d (d unused)."""

    def __init__(self, a: float = 0.0, b: float = 0.0, c: float = 0.0, d: float = 0.0, rng=None):
        super().__init__(rng=rng)
        self.y = 10 * a + 4 * b**2 + c + 0.01 * self.random.random()
        self.datacollector = mesa.DataCollector(model_reporters={"y": "y"})

    def step(self) -> None:
        self.datacollector.collect(self)
