"""Replicated paired runs for the mechanism and lever benchmarks.

Each side of a comparison runs the same seeds (common random numbers) in a
pool of worker processes; a summary function turns each run's monthly frame
into the numbers compared; ``compare`` gives both sides' means and a
two-sided Mann-Whitney p-value.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from statistics import mean
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import mannwhitneyu

from sim.evaluation import simulate


@dataclass(frozen=True)
class Side:
    levers: dict[str, Any]
    months: int
    seeds: tuple[int, ...]
    scale: float = 0.5


def _one(args) -> pd.DataFrame:
    levers, months, seed, scale = args
    return simulate({"scale": scale, **levers}, seed=seed, months=months)


def run_sides(sides: list[Side], workers: int = 2) -> list[list[pd.DataFrame]]:
    """Every run of every side, in order, computed in parallel."""
    jobs = [(s.levers, s.months, seed, s.scale) for s in sides for seed in s.seeds]
    with ProcessPoolExecutor(workers) as pool:
        frames = list(pool.map(_one, jobs, chunksize=1))
    out, i = [], 0
    for s in sides:
        out.append(frames[i : i + len(s.seeds)])
        i += len(s.seeds)
    return out


def compare(a: list[float], b: list[float]) -> tuple[float, float, float]:
    """Means of both sides and the two-sided Mann-Whitney p-value (1 when identical)."""
    if np.allclose(a, b, equal_nan=True) or (np.std(a) == 0 and np.std(b) == 0 and a[0] == b[0]):
        return mean(a), mean(b), 1.0
    return mean(a), mean(b), float(mannwhitneyu(a, b, alternative="two-sided").pvalue)


def total(column: str, start: int = 0) -> Callable[[pd.DataFrame], float]:
    return lambda f: float(f[column].iloc[start:].sum())


def average(column: str, start: int = 0) -> Callable[[pd.DataFrame], float]:
    return lambda f: float(f[column].iloc[start:].mean())


def final(column: str) -> Callable[[pd.DataFrame], float]:
    return lambda f: float(f[column].iloc[-1])


def peak(column: str, start: int = 0) -> Callable[[pd.DataFrame], float]:
    return lambda f: float(f[column].iloc[start:].max())
