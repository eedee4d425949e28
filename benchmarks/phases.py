"""Where a month's time goes: microseconds per agent-step in each phase of a month.

Wraps each phase that ``StartupEcosystem._month`` calls (the markets, the
activation of each kind of agent, entry, the reporters) in a wall-clock
timer. The phases do not overlap, so their sum is the month less the
bookkeeping between them. An economy of about ``--agents`` agents is built
in a process of its own and, after three months of warm-up, stepped one
month at a time in ``--rounds`` rounds; each phase's figure is its best
month. ``--against REVISION`` builds the same economy from the ``sim``
package of another git revision in a second process, and the two take
their months in turn, so both columns come from the same stretch of time
(on a busy machine the same sequential figure moves by a third from one
minute to the next). Ctrl-C stops both processes and prints nothing.

    python benchmarks/phases.py --agents 100000 --rounds 6
    python benchmarks/phases.py --agents 1000 --rounds 48 --against 6a9353a
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib
import math
import multiprocessing
import os
import shutil
import sys
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


def _instrumented(n_agents: int):
    """An economy three months after its start, with every phase timed into ``spent``."""
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
    return model, spent


def _serve(pipe, driver: int, n_agents: int, root: str | None) -> None:
    """One economy in its own process: a month, timed by phase, each time it is asked;
    it ends with the driver."""
    from sim.experiments.worker import die_with

    die_with(driver)
    if root is not None:
        use_revision(root)
    with contextlib.suppress(EOFError, OSError):  # the driver is gone: so is this process
        model, spent = _instrumented(n_agents)
        gc.collect()
        pipe.send(len(model.agents))
        while pipe.recv():
            spent.clear()
            agents = len(model.agents)
            start = time.perf_counter()
            model.step()
            month = {label: s / agents * 1e6 for label, s in spent.items()}
            month["whole month"] = (time.perf_counter() - start) / agents * 1e6
            pipe.send(month)


def measure(n_agents: int, rounds: int, roots: dict[str, str | None]) -> dict[str, tuple]:
    """Each economy's agents and best month by phase, the economies taking turns."""
    context = multiprocessing.get_context("spawn")
    subjects = {}
    try:
        for name, root in roots.items():
            mine, theirs = context.Pipe()
            process = context.Process(
                target=_serve, args=(theirs, os.getpid(), n_agents, root), daemon=True
            )
            process.start()
            subjects[name] = (mine, process)
        agents = {name: pipe.recv() for name, (pipe, _) in subjects.items()}
        best: dict[str, dict[str, float]] = {name: {} for name in subjects}
        for _ in range(rounds):
            for name, (pipe, _) in subjects.items():
                pipe.send(True)
                for label, cost in pipe.recv().items():
                    best[name][label] = min(best[name].get(label, math.inf), cost)
        for pipe, process in subjects.values():
            pipe.send(False)
            process.join(timeout=10)
        return {name: (agents[name], best[name]) for name in subjects}
    finally:
        for _, process in subjects.values():
            if process.is_alive():
                process.kill()
                process.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=6, help="months timed, one per round")
    parser.add_argument(
        "--against", metavar="REVISION", help="also time this git revision's sim, in turn"
    )
    args = parser.parse_args()
    folder = export_revision(args.against) if args.against else None
    roots = {"this working copy": None}
    if folder:
        roots[args.against] = folder
    try:
        found = measure(args.agents, args.rounds, roots)
    except KeyboardInterrupt:
        sys.exit("interrupted: nothing measured is printed")
    finally:
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
    names = list(found)
    print(f"best month of {args.rounds}, microseconds per agent-step")
    print(f"  {'':<28}" + "".join(f"{name[:18]:>20}" for name in names))
    print(f"  {'agents':<28}" + "".join(f"{found[name][0]:>20,}" for name in names))
    first = found[names[0]][1]
    labels = sorted(
        {label for _, best in found.values() for label in best}, key=lambda x: -first.get(x, 0.0)
    )
    for label in labels:
        row = "".join(f"{found[name][1].get(label, math.nan):>20.2f}" for name in names)
        print(f"  {label:<28}{row}")


if __name__ == "__main__":
    main()
