"""Where a month's time goes: microseconds per agent-step in each phase of a month.

Wraps each phase that ``StartupEcosystem._month`` calls (the markets, the
activation of each kind of agent, entry, the reporters) in a wall-clock
timer and steps an economy of about ``--agents`` agents for ``--months``
months after three of warm-up. The phases do not overlap, so their sum is
the month less the bookkeeping between them. ``--against REVISION`` runs
the same on the ``sim`` package of another git revision (in this process,
instead of the installed one), for finding where two revisions differ.

    python benchmarks/phases.py --agents 100000 --months 4
    python benchmarks/phases.py --agents 100000 --months 4 --against 6a9353a
"""

from __future__ import annotations

import argparse
import gc
import importlib
import shutil
import time
from collections import defaultdict

from bench_model import AGENTS_PER_SCALE, export_revision, use_revision

MARKETS = {  # module: the phases of a month it owns (a revision may lack some)
    "sim.markets.subsidy": ("pay_monthly_subsidies",),
    "sim.markets.finance": ("mentoring", "angel_round", "crowd_and_banks", "competition"),
    "sim.markets.seats": ("allocate_seats",),
    "sim.markets.supply": ("open_spaces",),
    "sim.reporters": ("measure",),
}
MODEL_PHASES = (
    "refresh_spaces",
    "enter_founders",
    "draw_normals",
    "enter_angels",
    "close_episodes",
    "accumulate",
    "remember",
    "_set_clock",
    "_start_year",
)


def _timed(function, label: str, spent: defaultdict):
    def timed(*args, **kwargs):
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[label] += time.perf_counter() - start

    return timed


def phases(n_agents: int, months: int) -> tuple[dict[str, float], float, int]:
    """Microseconds per agent-step by phase, the month's total, and the agents."""
    from sim.model import StartupEcosystem

    model = StartupEcosystem(rng=1, scale=n_agents / AGENTS_PER_SCALE)
    for _ in range(3):
        model.step()
    spent: defaultdict[str, float] = defaultdict(float)
    for module_name, names in MARKETS.items():
        module = importlib.import_module(module_name)
        for name in names:
            if hasattr(module, name):
                setattr(module, name, _timed(getattr(module, name), name, spent))
    for name in MODEL_PHASES:
        if hasattr(model, name):
            setattr(model, name, _timed(getattr(model, name), name, spent))
    activate = model.activate

    def timed_activate(kind):
        _timed(activate, f"activate {kind.__name__}", spent)(kind)

    model.activate = timed_activate
    gc.collect()
    agent_steps = 0
    start = time.perf_counter()
    for _ in range(months):
        agent_steps += len(model.agents)
        model.step()
    total = time.perf_counter() - start
    per = {label: s / agent_steps * 1e6 for label, s in spent.items()}
    return per, total / agent_steps * 1e6, agent_steps // months


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=10_000)
    parser.add_argument("--months", type=int, default=6)
    parser.add_argument("--against", metavar="REVISION", help="measure this git revision's sim")
    args = parser.parse_args()
    folder = export_revision(args.against) if args.against else None
    try:
        if folder:
            use_revision(folder)
        per, total, agents = phases(args.agents, args.months)
    finally:
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
    which = args.against or "this working copy"
    print(f"{which}: {agents:,} agents, {total:.2f} us/agent-step over {args.months} months")
    for label, cost in sorted(per.items(), key=lambda item: -item[1]):
        print(f"  {label:<28} {cost:6.2f}")


if __name__ == "__main__":
    main()
