"""Speed of the full model against Mesa's own BoltzmannWealth example.

Prints, for about 1k, 10k and 100k agents, microseconds per agent-step of
our model (every agent of every kind counts, summed over the months run) and
of BoltzmannWealth at the same number of agents, and their ratio; then the
growth of our per-agent cost from 1k to 100k agents, and the wall time of
the baseline economy over 120 months.

How it measures, and why:

- On a shared machine the same command varies by a third or more from
  minute to minute, and a small economy, measured in a fraction of a
  second, takes whatever minute it falls in. So every subject is built
  first and then measured in rounds: each round times a few steps of each
  subject in turn, after one untimed step that brings its memory back into
  the caches, and each figure is the best round (timeit's convention: the
  minimum is the cost with the least interference). The best rounds of 1k
  and of 100k, and of ours and BoltzmannWealth, come from the same stretch
  of time.
- Each subject lives in a process of its own and is stepped only when the
  driver asks, so one measures at a time and none shares a heap with
  another: a small economy built beside a large one in one process is
  strewn over the large one's memory and ran up to twice as slowly.
- BoltzmannWealth is measured after it has stepped, as our economy is:
  its first steps fill its grid's neighbourhood caches and took 2-3 times
  as long (22.7, 17.7, then about 8 us an agent-step at 84k agents), which
  flattered any model compared with them.

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
    python benchmarks/bench_model.py --against 6a9353a   # and the model before issue 9

``--against REVISION`` exports that revision's ``sim`` package from git and
measures its economy in the same rounds, in processes of their own: the
issue's "the model may not get slower than it is", asked of one sitting.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import gc
import io
import math
import multiprocessing
import os
import pstats
import random
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

from mesa.examples.basic.boltzmann_wealth_model.model import BoltzmannScenario, BoltzmannWealth

AGENTS_PER_SCALE = 2_000  # agents of the default economy after its spin-up, at scale 1
SIZES = {1_000: 4, 10_000: 2, 100_000: 1}  # agents: steps timed in a round
ROUNDS = 8
KINDS = ("ours", "boltzmann", "fixed work")
REPO = Path(__file__).resolve().parent.parent


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


class FixedWork:
    """The same small work on ``n`` objects, each step in a fresh random order (as
    Mesa's ``shuffle_do``; the shuffle itself is not timed). Other allocations are
    interleaved, as in a model, so the objects are not packed together."""

    def __init__(self, n: int) -> None:
        self.rnd = random.Random(1)
        self.objects, self.ballast = [], []
        for _ in range(n):
            self.objects.append(_Touched(self.rnd))
            self.ballast.append([self.rnd.random() for _ in range(6)])
        self.order = list(range(n))

    def timed_step(self) -> float:
        self.rnd.shuffle(self.order)
        objects = self.objects
        start = time.perf_counter()
        for i in self.order:
            objects[i].step()
        return time.perf_counter() - start


def economy(n_agents: int):
    """Our economy of about ``n_agents`` agents, three months after its start. The
    model is imported here, not at the top, so that a process measuring another
    revision (``--against``) imports that revision's."""
    from sim.model import StartupEcosystem

    model = StartupEcosystem(rng=1, scale=n_agents / AGENTS_PER_SCALE)
    for _ in range(3):
        model.step()
    return model


def boltzmann(n_agents: int) -> BoltzmannWealth:
    side = max(10, int(math.sqrt(n_agents)))
    return BoltzmannWealth(BoltzmannScenario(n=n_agents, width=side, height=side, rng=1))


def calls_per_agent_step(model, months: int = 2) -> float:
    """Python function calls per agent-step over ``months`` more months."""
    agent_steps = 0
    profile = cProfile.Profile()
    for _ in range(months):
        agent_steps += len(model.agents)
        profile.enable()
        model.step()
        profile.disable()
    return pstats.Stats(profile).total_calls / agent_steps


def use_revision(root: str) -> None:
    """Import ``sim`` from ``root`` in this process, not the installed package (what
    was imported of the installed one, to watch the driver, is forgotten first)."""
    for name in [m for m in sys.modules if m == "sim" or m.startswith("sim.")]:
        del sys.modules[name]
    sys.path.insert(0, root)
    sys.meta_path[:] = [f for f in sys.meta_path if "__editable__" not in repr(f)]
    import sim

    if not Path(sim.__file__).resolve().is_relative_to(Path(root).resolve()):
        raise RuntimeError(f"the revision's model was not imported (got {sim.__file__})")


def export_revision(revision: str) -> str:
    """The ``sim`` package of a git revision of this repository, in a new folder."""
    try:
        tar = subprocess.run(
            ["git", "-C", str(REPO), "archive", "--format=tar", revision, "sim"],
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        detail = getattr(e, "stderr", b"") or str(e).encode()
        sys.exit(f"--against {revision}: {detail.decode().strip().splitlines()[-1]}")
    folder = tempfile.mkdtemp(prefix="bench-model-")
    with tarfile.open(fileobj=io.BytesIO(tar)) as archive:
        archive.extractall(folder, filter="data")
    return folder


def _subject(kind: str, n: int, agents: int, root: str | None = None):
    """The subject, how to step it, how many agents a step counts, and how to time
    one step when the step does not time itself."""
    if root is not None:
        use_revision(root)
    if kind in ("ours", "before"):
        model = economy(n)
        return model, model.step, lambda: len(model.agents), None
    if kind == "boltzmann":
        model = boltzmann(agents)
        return model, model.step, lambda: agents, None
    work = FixedWork(agents)
    return work, work.timed_step, lambda: agents, work.timed_step


def _serve(kind: str, n: int, agents: int, pipe, driver: int, root: str | None = None) -> None:
    """A subject in its own process, timed only when the driver asks; it ends with
    the driver, even in the middle of building a 100k economy."""
    from sim.experiments.worker import die_with

    die_with(driver)
    with contextlib.suppress(EOFError, OSError):  # the driver is gone: so is this process
        _answer(pipe, *_subject(kind, n, agents, root))


def _answer(pipe, model, step, count, timed) -> None:
    """Say the subject is built (with its agent count), then time it when asked."""
    gc.collect()
    pipe.send(count())
    while (order := pipe.recv()) is not None:
        if order == "calls":
            pipe.send(calls_per_agent_step(model))
            continue
        steps, warm = order
        for _ in range(warm):  # untimed: bring this subject's memory back into the caches
            step()
        elapsed, agent_steps = 0.0, 0
        for _ in range(steps):
            agent_steps += count()
            if timed is not None:
                elapsed += timed()
            else:
                start = time.perf_counter()
                step()
                elapsed += time.perf_counter() - start
        pipe.send((elapsed / agent_steps * 1e6, agent_steps // steps))


class Subject:
    """The driver's end of a subject's process, and the subject's best round."""

    def __init__(self, context, kind: str, n: int, agents: int = 0, root: str | None = None):
        self.pipe, theirs = context.Pipe()
        self.process = context.Process(
            target=_serve, args=(kind, n, agents, theirs, os.getpid(), root), daemon=True
        )
        self.process.start()
        self.best, self.counted = math.inf, 0

    def ready(self) -> int:
        self.counted = self.pipe.recv()
        return self.counted

    def round(self, steps: int, warm: int) -> None:
        self.pipe.send((steps, warm))
        cost, self.counted = self.pipe.recv()
        self.best = min(self.best, cost)

    def calls(self) -> float:
        self.pipe.send("calls")
        return self.pipe.recv()

    def close(self, at_once: bool = False) -> None:
        """Stop the process: asked to, after a sitting; killed when the sitting was
        interrupted (it may be building an economy and not reading) or does not stop."""
        if self.process.is_alive() and not at_once:
            with contextlib.suppress(OSError):
                self.pipe.send(None)
            self.process.join(timeout=10)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


def measure(
    sizes: dict[int, int], rounds: int, warm: int, before: str | None = None
) -> tuple[dict, dict]:
    """Best per-agent cost of each kind at each size, and our calls per agent-step;
    with ``before`` (a folder holding another revision's ``sim``), that revision's
    economy measured in the same rounds as the kind "before"."""
    context = multiprocessing.get_context("spawn")
    kinds = KINDS + (("before",) if before else ())
    subjects: dict[int, list[Subject]] = {}
    try:
        for n in sizes:
            subjects[n] = [Subject(context, "ours", n)]
        for n in sizes:  # the references get as many agents as our economy has
            agents = subjects[n][0].ready()
            subjects[n] += [Subject(context, kind, n, agents) for kind in KINDS[1:]]
            if before:
                subjects[n].append(Subject(context, "before", n, root=before))
        for n in sizes:
            for subject in subjects[n][1:]:
                subject.ready()
        for _ in range(rounds):
            for n, steps in sizes.items():
                for subject in subjects[n]:
                    subject.round(steps, warm)
        calls = {n: subjects[n][0].calls() for n in sizes}
        best = {n: dict(zip(kinds, subjects[n], strict=True)) for n in sizes}
    except BaseException:
        for group in subjects.values():
            for subject in group:
                subject.close(at_once=True)
        raise
    for group in subjects.values():
        for subject in group:
            subject.close()
    return best, calls


def baseline_seconds() -> float:
    from sim.model import StartupEcosystem

    start = time.perf_counter()
    model = StartupEcosystem(rng=1)
    for _ in range(120):
        model.step()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the 100k size")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="rounds of measurement")
    parser.add_argument("--warm", type=int, default=1, help="untimed steps before each timing")
    parser.add_argument(
        "--against",
        metavar="REVISION",
        help="also measure the model of this git revision, in the same rounds",
    )
    args = parser.parse_args()
    sizes = {n: s for n, s in SIZES.items() if not (args.quick and n > 10_000)}
    before = export_revision(args.against) if args.against else None
    try:
        best, calls = measure(sizes, args.rounds, args.warm, before)
    except KeyboardInterrupt:
        sys.exit("interrupted: nothing measured is printed")
    finally:
        if before:
            shutil.rmtree(before, ignore_errors=True)
    print(f"best of {args.rounds} rounds; in each round every economy and reference, each in a")
    print("process of its own, is timed in turn after an untimed step (timeit's convention: the")
    print("minimum is the cost with the least interference from the rest of the machine)")
    print(f"{'agents':>8} {'ours us/agent-step':>19} {'boltzmann':>10} {'ratio':>6}  target <= 1.5")
    for n in sizes:
        mine, theirs = best[n]["ours"], best[n]["boltzmann"]
        ratio = mine.best / theirs.best
        print(f"{mine.counted:>8,} {mine.best:>19.2f} {theirs.best:>10.2f} {ratio:>6.2f}")
    first, last = min(sizes), max(sizes)
    growth = {kind: best[last][kind].best / best[first][kind].best for kind in KINDS}
    print(
        f"per-agent cost growth {first:,} -> {last:,} agents: {growth['ours']:.2f}x"
        "  (target < 1.5x)"
    )
    print("what the growth is made of:")
    print(
        "  work: Python calls per agent-step (cProfile, two more months): "
        + ", ".join(f"{calls[n]:.1f} at {n:,}" for n in sizes)
        + f"  ({calls[last] / calls[first]:.2f}x from {first:,} to {last:,})"
    )
    print(
        f"  memory: BoltzmannWealth's own growth over the same sizes {growth['boltzmann']:.2f}x;"
        f" fixed work on slotted objects in random order {growth['fixed work']:.2f}x ("
        + ", ".join(f"{best[n]['fixed work'].best:.2f} us" for n in sizes)
        + ")"
    )
    if before:
        print(f"against {args.against}, in the same rounds (our cost over its, per agent-step):")
        for n in sizes:
            then = best[n]["before"]
            ratio = then.best / best[n]["boltzmann"].best
            ours_over_its = best[n]["ours"].best / then.best
            print(
                f"  {n:>7,}: {then.counted:,} agents, {then.best:.2f} us/agent-step "
                f"(ratio to BoltzmannWealth {ratio:.2f}); ours / its {ours_over_its:.2f}"
            )
        then_growth = best[last]["before"].best / best[first]["before"].best
        print(f"  its per-agent cost growth {first:,} -> {last:,} agents: {then_growth:.2f}x")
    seconds = baseline_seconds()
    print(f"baseline economy, spin-up and 120 months, one core: {seconds:.2f} s  (target < 10 s)")


if __name__ == "__main__":
    main()
