"""Model functions for the runner tests, with ``sim.evaluation.simulate``'s signature.

They run the real model except at one chosen lever value, where they raise
or kill their own worker process. The runner is pointed at them with
``run_experiment(simulate=...)`` or the ``SIM_SIMULATE`` environment
variable; the model itself is never altered.
"""

from __future__ import annotations

import os

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
