"""Model functions for the runner tests, with ``sim.evaluation.simulate``'s signature.

They run the real model except at one chosen lever value, where they raise
or kill their own worker process. The runner is pointed at them with
``run_experiment(simulate=...)`` or the ``SIM_SIMULATE`` environment
variable; the model itself is never altered. ``KeywordModel`` is a small
Mesa model of the older keyword style, for ``model:`` in a scenario file.
"""

from __future__ import annotations

import os

import mesa
import numpy as np

from sim.evaluation import simulate

BAD_MENTORSHIP = 0.3


def failing_simulate(params, seed, months):
    if params["mentorship"] == BAD_MENTORSHIP:
        raise RuntimeError(f"injected failure at mentorship={BAD_MENTORSHIP}")
    return simulate(params, seed, months)


def dying_simulate(params, seed, months):
    if params["mentorship"] == BAD_MENTORSHIP:
        os._exit(3)  # like a segfault or the OOM killer: no exception, no result
    return simulate(params, seed, months)


class KeywordModel(mesa.Model):
    """A Mesa model in the style ``batch_run`` expects: keyword parameters and
    ``rng``. Each step every agent draws a number; the model collects only
    every other step, and stops itself after ``stop_after`` steps."""

    def __init__(self, n: int = 5, rate: float = 0.5, stop_after: int = 1000, rng=None):
        super().__init__(rng=rng)
        self.n, self.rate, self.stop_after = n, rate, stop_after
        self.total = 0.0
        self.datacollector = mesa.DataCollector(
            model_reporters={"total": "total", "draws": lambda m: m.steps * m.n}
        )
        self.datacollector.collect(self)

    def step(self) -> None:
        self.total += sum(self.random.random() < self.rate for _ in range(self.n))
        if self.steps % 2 == 0:
            self.datacollector.collect(self)
        if self.steps >= self.stop_after:
            self.running = False


class ClashingModel(KeywordModel):
    """A model whose reporter is called like a column of the results tables."""

    def __init__(self, n: int = 5, rng=None):
        super().__init__(n=n, rng=rng)
        self.datacollector = mesa.DataCollector(model_reporters={"month": "steps"})


SIZE, SHARE = np.int64(7), np.float64(0.25)  # defaults as NumPy scalars


class Awkward(mesa.Model):
    """Defaults and reporters that a real model may well have: NumPy scalars, a
    default of None, a reporter that exists only for some parameter values, and
    one that reports text when ``word`` is set."""

    def __init__(
        self,
        size=SIZE,
        share=SHARE,
        cap=None,
        extra=True,
        word=False,
        stop_at_once=False,
        rng=None,
    ):
        super().__init__(rng=rng)
        self.size, self.share, self.cap, self.word = int(size), float(share), cap, word
        reporters = {"level": lambda m: m.steps * m.share + (m.cap or 0), "label": "label"}
        if extra:
            reporters["bonus"] = lambda m: m.size
        self.datacollector = mesa.DataCollector(model_reporters=reporters)
        self.running = not stop_at_once

    @property
    def label(self):
        return "high" if self.word else 1.0

    def step(self) -> None:
        self.datacollector.collect(self)


class Unseedable(mesa.Model):
    """A keyword model that cannot be given a seed."""

    def __init__(self, n: int = 3):
        super().__init__()
        self.datacollector = mesa.DataCollector(model_reporters={"n": "n"})


class NumberedReporter(KeywordModel):
    def __init__(self, rng=None):
        super().__init__(rng=rng)
        self.datacollector = mesa.DataCollector(model_reporters={1: "total"})


class Namesake(mesa.Model):
    """Parameters and reporters named like this package's outcomes (jobs, seats)
    and like the statistics of its figures (mean); a default of None."""

    def __init__(self, mean=1.0, seats=2, cap=None, rng=None):
        super().__init__(rng=rng)
        self.mean, self.seats, self.cap = mean, seats, cap
        reporters = {"jobs": lambda m: m.steps * m.seats, "alpha": lambda m: m.mean + (m.cap or 0)}
        self.datacollector = mesa.DataCollector(model_reporters=reporters)
