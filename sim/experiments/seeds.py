"""Seeds of runs, spawned from the scenario's root seed.

A run's seed depends only on the root seed, its design point and its
replication (``SeedSequence(root, spawn_key=(point, replication))``, the
same stream ``SeedSequence(root).spawn`` would hand out), never on the order
runs are scheduled or how many workers share them. So any single run can be
reproduced from ``runs.parquet`` alone, and a sweep gives the same numbers
on one core or many.
"""

from __future__ import annotations


def run_seed(root: int, point: int, replication: int) -> int:
    """The model seed (a non-negative 63-bit integer) of one run."""
    import numpy as np  # here: the parent of a pool never needs NumPy

    seq = np.random.SeedSequence(root, spawn_key=(point, replication))
    return int(seq.generate_state(1, np.uint64)[0] >> np.uint64(1))


def run_id(point: int, replication: int) -> str:
    """Stable, sortable name of a run (file name and ``run_id`` column)."""
    return f"p{point:06d}-r{replication:04d}"
