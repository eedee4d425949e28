"""Shuffles the model makes every month, faster and draw for draw the same.

``random.Random.shuffle`` spends about 40 % of its time calling
``_randbelow`` once per element. The loop below is the same Fisher-Yates
walk with that call inlined: the same ``getrandbits`` calls in the same
order, so a run is identical to one shuffled by the standard library
(``tests/test_draws.py`` checks it against ``random.shuffle``). The model
shuffles every agent once a month, and the angels and desk seekers again.

Angels draw the deals they see with ``random.choices`` on cumulative
weights; :func:`choices_at` makes the same draws and returns positions, so
what angels read of a seeker can be kept by position for the month.
:func:`chooser` does the same for NumPy's ``Generator.choice(n, p=...)``,
which would-be operators call to learn who they are.
"""

from __future__ import annotations

import math
import random
from bisect import bisect_right
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np


def shuffle(rnd: random.Random, x: list[Any]) -> None:
    """Shuffle ``x`` in place exactly as ``rnd.shuffle(x)`` would (CPython 3.12+)."""
    getrandbits = rnd.getrandbits
    for i in range(len(x) - 1, 0, -1):
        n = i + 1
        k = n.bit_length()
        j = getrandbits(k)
        while j >= n:  # rejection, as _randbelow_with_getrandbits does
            j = getrandbits(k)
        x[i], x[j] = x[j], x[i]


def choices_at(rnd: random.Random, cum_weights: list[float], k: int) -> list[int]:
    """The positions ``rnd.choices(population, cum_weights=cum_weights, k=k)`` would
    pick, with the same draws (CPython 3.12+): positions, so that what angels
    read of the seeker at a position can be kept for the month."""
    total = cum_weights[-1] + 0.0
    if not total > 0.0 or not math.isfinite(total):
        raise ValueError(f"cumulative weights must end positive and finite, not {total}")
    random_ = rnd.random
    hi = len(cum_weights) - 1
    return [bisect_right(cum_weights, random_() * total, 0, hi) for _ in range(k)]


def sample(rnd: random.Random, population: list[Any], k: int) -> list[Any]:
    """``rnd.sample(population, k)``, with the same draws (CPython 3.12+), without
    its checks and its call per draw: desk seekers sample spaces a few thousand
    times a month."""
    n = len(population)
    if not 0 <= k <= n:
        raise ValueError(f"cannot sample {k} of {n}")
    getrandbits = rnd.getrandbits
    result = [None] * k
    setsize = 21  # the standard library's choice between a pool and a set
    if k > 5:
        setsize += 4 ** math.ceil(math.log(k * 3, 4))
    if n <= setsize:
        pool = list(population)
        for i in range(k):
            m = n - i
            bits = m.bit_length()
            j = getrandbits(bits)
            while j >= m:
                j = getrandbits(bits)
            result[i] = pool[j]
            pool[j] = pool[m - 1]
    else:
        bits = n.bit_length()
        selected: set[int] = set()
        for i in range(k):
            j = getrandbits(bits)
            while j >= n or j in selected:
                j = getrandbits(bits)
            selected.add(j)
            result[i] = population[j]
    return result


def chooser(p: Sequence[float]) -> Callable[[np.random.Generator], int]:
    """A function of a generator that returns ``int(rng.choice(len(p), p=p))``, with
    the same draw: the cumulative shares NumPy computes, searched for one uniform,
    without NumPy's checks of ``p`` on every call (a twelfth of the time). ``p`` is
    not checked here either: it is meant for the model's constant mixes."""
    cdf = np.asarray(p, dtype=float).cumsum()
    cdf /= cdf[-1]
    edges = cdf.tolist()

    def choose(rng: np.random.Generator) -> int:
        return bisect_right(edges, rng.random())

    return choose
