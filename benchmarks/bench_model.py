"""Speed of the full model against Mesa's own BoltzmannWealth example.

Prints, for about 1k, 10k and 100k agents, microseconds per agent-step of
our model (every agent of every kind counts, summed over the months run) and
of BoltzmannWealth at the same number of agents, and their ratio. The two
are measured in turn, repeat by repeat, so that the best of each comes from
the same stretch of a shared machine's time (on this project's 2-core
machine the same command varies by up to a third from minute to minute).
Then the growth of our per-agent cost from 1k to 100k agents, and the wall
time of the baseline economy over 120 months.

Then what the growth is made of. First the work per agent-step, as Python
function calls counted by cProfile over two more months at each size: a
quadratic loop would show as calls per agent growing with the economy.
Then the memory hierarchy, which slows every call alike once an economy no
longer fits in the caches and leaves the count flat: BoltzmannWealth's own
growth, and that of a loop that does the same small fixed work on each of
``n`` slotted objects in random order, the least any Python model pays for
touching its agents. A model that does more work per agent in the caches
grows less: the growth of time per agent is not a measure of an
algorithm's scaling, the growth of calls per agent is.

Targets (issue 9): ratio <= 1.5 at every size; per-agent cost grows < 1.5x
from 1k to 100k; baseline 120 months < 10 s on one core.

    python benchmarks/bench_model.py            # full
    python benchmarks/bench_model.py --quick    # 1k and 10k only
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import math
import pstats
import random
import time

from mesa.examples.basic.boltzmann_wealth_model.model import BoltzmannScenario, BoltzmannWealth

from sim.model import StartupEcosystem

AGENTS_PER_SCALE = 2_000  # agents of the default economy after its spin-up, at scale 1


def ours(n_agents: int, months: int, warmup: int = 3) -> tuple[float, int, float]:
    """Microseconds per agent-step after a short warm-up, the mean agent count,
    and the Python calls per agent-step over two months after that."""
    model = StartupEcosystem(rng=1, scale=n_agents / AGENTS_PER_SCALE)
    for _ in range(warmup):
        model.step()
    gc.collect()
    agent_steps = 0
    start = time.perf_counter()
    for _ in range(months):
        agent_steps += len(model.agents)
        model.step()
    elapsed = time.perf_counter() - start
    return elapsed / agent_steps * 1e6, agent_steps // months, calls_per_agent_step(model)


def calls_per_agent_step(model: StartupEcosystem, months: int = 2) -> float:
    """Python function calls per agent-step over ``months`` more months."""
    agent_steps = 0
    profile = cProfile.Profile()
    for _ in range(months):
        agent_steps += len(model.agents)
        profile.enable()
        model.step()
        profile.disable()
    return pstats.Stats(profile).total_calls / agent_steps


def boltzmann(n_agents: int, steps: int) -> float:
    side = max(10, int(math.sqrt(n_agents)))
    model = BoltzmannWealth(BoltzmannScenario(n=n_agents, width=side, height=side, rng=1))
    gc.collect()
    start = time.perf_counter()
    for _ in range(steps):
        model.step()
    return (time.perf_counter() - start) / (steps * n_agents) * 1e6


def baseline_seconds() -> float:
    start = time.perf_counter()
    model = StartupEcosystem(rng=1)
    for _ in range(120):
        model.step()
    return time.perf_counter() - start


class _Touched:
    """An agent reduced to its memory: a few float fields and a model reference."""

    __slots__ = ("model", "a", "b", "c", "d", "e")

    def __init__(self, rnd: random.Random) -> None:
        self.model = None
        self.a, self.b, self.c, self.d, self.e = (rnd.random() for _ in range(5))

    def step(self) -> None:
        self.a = self.a + 0.01 * (1.0 - self.a)
        self.b *= 1.0 + 0.001 * (self.c - 0.5)
        self.d = self.b * (1.0 + self.a) + self.e


def fixed_work(n: int, steps: int) -> float:
    """Microseconds per object-step of the same small work on ``n`` objects, each
    step in a fresh random order (as Mesa's ``shuffle_do``, the shuffle untimed).
    Other allocations are interleaved, as in a model, so objects are not packed."""
    rnd = random.Random(1)
    objects, ballast = [], []
    for _ in range(n):
        objects.append(_Touched(rnd))
        ballast.append([rnd.random() for _ in range(6)])
    order = list(range(n))
    elapsed = 0.0
    for _ in range(steps):
        rnd.shuffle(order)
        start = time.perf_counter()
        for i in order:
            objects[i].step()
        elapsed += time.perf_counter() - start
    return elapsed / (steps * n) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the 100k size")
    args = parser.parse_args()
    sizes = [(1_000, 24, 7), (10_000, 12, 3), (100_000, 6, 2)]  # agents, months, repeats
    if args.quick:
        sizes = sizes[:2]
    print("best of repeated measurements at each size (timeit's convention: the minimum")
    print("is the cost with the least interference from the rest of the machine), ours and")
    print("BoltzmannWealth measured in turn")
    print(f"{'agents':>8} {'ours us/agent-step':>19} {'boltzmann':>10} {'ratio':>6}  target <= 1.5")
    per_agent, reference, calls, touched = {}, {}, {}, {}
    for n, months, repeats in sizes:
        mine, theirs = [], []
        for _ in range(repeats):
            cost, agents, calls[n] = ours(n, months)
            mine.append(cost)
            theirs.append(boltzmann(agents, max(3, months // 2)))
        cost, ref = min(mine), min(theirs)
        per_agent[n], reference[n] = cost, ref
        touched[n] = min(fixed_work(agents, max(3, 60_000 // agents)) for _ in range(repeats))
        print(f"{agents:>8,} {cost:>19.2f} {ref:>10.2f} {cost / ref:>6.2f}")
    first, last = sizes[0][0], sizes[-1][0]
    growth = per_agent[last] / per_agent[first]
    print(f"per-agent cost growth {first:,} -> {last:,} agents: {growth:.2f}x  (target < 1.5x)")
    print("what the growth is made of:")
    print(
        "  work: Python calls per agent-step (cProfile, two more months): "
        + ", ".join(f"{calls[n]:.1f} at {n:,}" for n, _, _ in sizes)
        + f"  ({calls[last] / calls[first]:.2f}x from {first:,} to {last:,})"
    )
    print(
        f"  memory: BoltzmannWealth's own growth over the same sizes "
        f"{reference[last] / reference[first]:.2f}x; fixed work on slotted objects in random "
        f"order {touched[last] / touched[first]:.2f}x ("
        + ", ".join(f"{touched[n]:.2f} us" for n, _, _ in sizes)
        + ")"
    )
    seconds = baseline_seconds()
    print(f"baseline economy, spin-up and 120 months, one core: {seconds:.2f} s  (target < 10 s)")


if __name__ == "__main__":
    main()
