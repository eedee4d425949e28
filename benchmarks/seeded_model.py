"""The model seeded as our runner seeds a run, for ``mesa.batch_run`` in bench_sweep.

``batch_run`` crosses every parameter value with every ``rng`` value, so it
cannot give each design point its own seeds; our runner seeds run (point,
replication) with ``run_seed(root, point, replication)``. This subclass takes
``replication`` as a parameter and seeds itself the same way, so both runners
execute the very same 200 runs. It adds one seed computation per run
(microseconds) and nothing else.
"""

from __future__ import annotations

from typing import Any

from sim.experiments.seeds import run_seed
from sim.model import StartupEcosystem

SEED = 1  # the scenario's root seed
MENTORSHIP = [0.1, 0.3, 0.5, 0.7]  # the design points, in order


class SeededEcosystem(StartupEcosystem):
    def __init__(self, mentorship: float, replication: int, rng: Any = None, **kw: Any):
        seed = run_seed(SEED, MENTORSHIP.index(mentorship), replication)
        super().__init__(rng=seed, mentorship=mentorship, **kw)
