"""Shuffles the model makes every month, faster and draw for draw the same.

``random.Random.shuffle`` spends about 40 % of its time calling
``_randbelow`` once per element. The loop below is the same Fisher-Yates
walk with that call inlined: the same ``getrandbits`` calls in the same
order, so a run is identical to one shuffled by the standard library
(``tests/test_draws.py`` checks it against ``random.shuffle``). The model
shuffles every agent once a month, and the angels and desk seekers again.
"""

from __future__ import annotations

import random
from typing import Any


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
