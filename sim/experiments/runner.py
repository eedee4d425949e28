"""The batch runner: scenario file -> runs in a process pool -> results folder.

``plan`` does every check (scenario, size, output folder) before anything is
written; ``execute`` then runs what is not yet on disk. Each result is
stored by the parent as it arrives (:mod:`sim.experiments.store`), so a
killed sweep resumes by running the same command again, and the tables are
assembled from the per-run files at the end (:mod:`sim.experiments.results`).

Worker processes come from ``forkserver`` where the platform has it
(``spawn`` elsewhere): unlike ``fork`` it is safe with threads in the parent,
and unlike ``spawn`` the heavy imports happen once in the server. With
``workers=1`` runs execute in this process, which is simplest to debug.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
import pickle
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tqdm.auto import tqdm

from sim.errors import UserError
from sim.experiments import manifest as mf
from sim.experiments import worker
from sim.experiments.design import Design, count_points, expand
from sim.experiments.loader import LoadedScenario, load_scenario
from sim.experiments.scenario import Scenario
from sim.experiments.seeds import run_id, run_seed
from sim.experiments.store import FolderLock, RunStore
from sim.experiments.worker import DEFAULT_SIMULATE, Result, SimulateFn, Task

if TYPE_CHECKING:  # pandas and pyarrow load only when a sweep ends (a small parent)
    from sim.experiments.results import Results

DEFAULT_MAX_RUNS = 100_000
OWNED = ("manifest.json", "runs.parquet", "timeseries.parquet")
MAX_PRINTED_FAILURES = 5


@dataclass
class Plan:
    """A validated scenario expanded into runs, and where their results go."""

    loaded: LoadedScenario
    design: Design
    out: Path
    simulate: str | SimulateFn = DEFAULT_SIMULATE

    @property
    def scenario(self) -> Scenario:
        return self.loaded.scenario

    @property
    def n_runs(self) -> int:
        return len(self.design) * self.scenario.replications

    def run_ids(self) -> Iterator[str]:
        for point in range(len(self.design)):
            for rep in range(self.scenario.replications):
                yield run_id(point, rep)

    def tasks(self, skip: set[str]) -> Iterator[Task]:
        """Runs not in ``skip``, point by point; seeds depend only on (point, rep)."""
        s = self.scenario
        base = s.base_values()
        for point, values in enumerate(self.design.points):
            for rep in range(s.replications):
                rid = run_id(point, rep)
                if rid not in skip:
                    seed = run_seed(s.seed, point, rep)
                    yield Task(
                        rid,
                        point,
                        rep,
                        seed,
                        base | values,
                        s.months,
                        s.kept_outputs,
                        self.simulate,
                    )


def check_size(
    loaded: LoadedScenario, max_runs: int = DEFAULT_MAX_RUNS, force: bool = False
) -> int:
    """Number of runs; refuse more than ``max_runs`` unless ``force``."""
    s = loaded.scenario
    points = count_points(s.sweep)
    runs = points * s.replications
    if runs > max_runs and not force:
        key = ("sweep",) if s.sweep is not None else ("replications",)
        raise loaded.error(
            key,
            f"expands to {runs:,} runs ({points:,} points x {s.replications} replications)",
            f"at most {max_runs:,}; pass --force or a larger --max-runs",
        )
    return runs


def plan(
    source: str | os.PathLike | dict | Scenario | LoadedScenario,
    out: str | os.PathLike | None = None,
    *,
    max_runs: int = DEFAULT_MAX_RUNS,
    force: bool = False,
    fresh: bool = False,
    simulate: str | SimulateFn | None = None,
) -> Plan:
    """Check everything about a run without writing anything."""
    loaded = load_scenario(source)
    check_size(loaded, max_runs, force)
    design = expand(loaded.scenario)
    target = Path(out) if out is not None else Path("results") / loaded.scenario.name
    _check_out(target, loaded, fresh)
    if callable(simulate):
        try:
            pickle.dumps(simulate)
        except Exception as err:
            raise UserError(
                f"simulate: {simulate!r} cannot be sent to worker processes ({err}); "
                "define it at the top level of an importable module"
            ) from None
    return Plan(loaded, design, target, simulate or DEFAULT_SIMULATE)


def _check_out(out: Path, loaded: LoadedScenario, fresh: bool) -> None:
    if out.exists() and not out.is_dir():
        raise UserError(f"{out}: exists and is not a folder; choose another --out")
    if not out.is_dir() or not [p for p in out.iterdir() if p.name != ".lock"]:
        return
    old = mf.read(out)
    if old is None:
        raise UserError(
            f"{out}: folder is not empty and holds no manifest.json; choose another --out"
        )
    if not fresh and old.get("run_hash") != loaded.run_hash:
        raise UserError(
            f"{out}: holds results of a different scenario ('{old.get('name')}' with other "
            "levers, sweep, seed or horizon); pass --fresh to replace them or choose another --out"
        )


def execute(
    plan: Plan, workers: int | None = None, *, fresh: bool = False, quiet: bool = False
) -> dict[str, Any]:
    """Run every run of ``plan`` not yet on disk; assemble the tables; return the manifest."""
    workers = workers or getattr(os, "process_cpu_count", os.cpu_count)() or 1
    if workers < 1:
        raise UserError(f"--workers: {workers} is too small (at least 1)")
    out = plan.out
    out.mkdir(parents=True, exist_ok=True)
    with FolderLock(out):
        store = RunStore(out)
        previous = None if fresh else mf.read(out)
        if fresh:
            store.clear()
            for name in OWNED:
                (out / name).unlink(missing_ok=True)
        store.prepare()
        wanted = set(plan.run_ids())
        done_before = store.done_ids() & wanted
        manifest = mf.build(plan, previous, workers, len(done_before))
        if done_before and previous:
            mf.warn_if_code_changed(previous, manifest, len(done_before))
        mf.write(out, manifest)
        counts = {"done": 0, "failed": 0}
        bar = tqdm(
            total=plan.n_runs,
            initial=len(done_before),
            unit="run",
            desc=plan.scenario.name,
            disable=quiet,
            dynamic_ncols=True,
            smoothing=0.05,
        )

        def on_result(result: Result) -> None:
            factors = plan.design.points[result.task.point]
            store.write(result, factors)
            counts[result.status] += 1
            if result.status == "failed":
                bar.set_postfix(failed=counts["failed"])
                if not quiet and counts["failed"] <= MAX_PRINTED_FAILURES:
                    tqdm.write(f"run {result.task.run_id} failed: {result.error}")
            bar.update(1)

        status = "interrupted"
        try:
            todo = plan.tasks(done_before)
            remaining = plan.n_runs - len(done_before)
            if workers == 1:
                _run_here(todo, on_result)
            elif remaining:
                _run_pool(todo, min(workers, remaining), on_result)
            status = "complete"
        finally:
            bar.close()
            from sim.experiments.results import consolidate  # pandas/pyarrow: only now

            totals = consolidate(out, manifest, plan.run_ids())
            if status == "complete" and totals["done"] + totals["failed"] < plan.n_runs:
                status = "incomplete"  # a run went missing: say so rather than pretend
            elif status == "complete" and totals["failed"]:
                status = "failed"
            manifest.update(
                status=status,
                finished=mf.now(),
                runs_done=totals.get("done", 0),
                runs_failed=totals.get("failed", 0),
                runs_executed=counts["done"] + counts["failed"],
            )
            manifest["history"][-1].update(
                finished=manifest["finished"],
                status=status,
                runs_executed=manifest["runs_executed"],
            )
            mf.write(out, manifest)
    return manifest


def _context() -> mp.context.BaseContext:
    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        # imported once in the server, shared by every worker it forks
        ctx.set_forkserver_preload(
            ["sim.experiments.worker", "pyarrow.parquet", "sim.evaluation", "sim.model"]
        )
        return ctx
    return mp.get_context("spawn")


def _run_here(tasks: Iterator[Task], on_result: Callable[[Result], None]) -> None:
    """Runs in this process; as in workers, collections skip what exists already."""
    gc.freeze()
    try:
        for task in tasks:
            on_result(worker.execute(task))
    finally:
        gc.unfreeze()


def _pool(workers: int, ctx: mp.context.BaseContext) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=worker.initialize)


def _run_pool(tasks: Iterator[Task], workers: int, on_result: Callable[[Result], None]) -> None:
    """Feed ``tasks`` to a process pool, at most two per worker in flight.

    If a worker process dies (killed, out of memory, crashed), every run in
    flight is lost with it; they are retried one at a time, and a run that
    kills its worker when running alone is recorded as failed.
    """
    ctx = _context()
    suspects: deque[Task] = deque()  # lost in a crash: rerun one at a time
    waiting: deque[Task] = deque()  # taken from ``tasks`` but refused by a broken pool
    in_flight: dict[Future, Task] = {}
    executor = _pool(workers, ctx)

    def submit(task: Task, back: deque[Task]) -> bool:
        try:
            in_flight[executor.submit(worker.execute, task)] = task
            return True
        except BrokenProcessPool:  # a worker died since the last look
            back.appendleft(task)
            return False

    try:
        while True:
            healthy = True
            if suspects:
                if not in_flight:
                    healthy = submit(suspects.popleft(), suspects)
            else:
                while healthy and len(in_flight) < 2 * workers:
                    task = waiting.popleft() if waiting else next(tasks, None)
                    if task is None:
                        break
                    healthy = submit(task, waiting)
            lost: list[Task] = []
            if healthy:
                if not in_flight:
                    executor.shutdown(wait=True)  # workers gone before the tables are built
                    return
                finished, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                first = _collect(finished, in_flight, on_result)
                if first is None:
                    continue
                lost += first
            lost += _collect(list(in_flight), in_flight, on_result) or []
            executor.shutdown(wait=True, cancel_futures=True)
            if len(lost) == 1:
                on_result(_died(lost[0]))
            else:
                suspects.extend(sorted(lost, key=lambda t: t.run_id))
            executor = _pool(workers, ctx)
    finally:
        executor.shutdown(wait=False, cancel_futures=True)


def _collect(
    finished: Any, in_flight: dict[Future, Task], on_result: Callable
) -> list[Task] | None:
    """Store finished results; return the tasks lost to a dead worker (None if none)."""
    lost: list[Task] | None = None
    for fut in finished:
        task = in_flight.pop(fut)
        if not fut.done():
            fut.cancel()
            lost = [*(lost or []), task]
            continue
        try:
            result = fut.result()
        except BrokenProcessPool:
            lost = [*(lost or []), task]
            continue
        except Exception as err:  # e.g. a result that cannot be pickled
            result = Result(
                task, "failed", 0.0, error=f"{type(err).__name__}: {err}", traceback=None
            )
        on_result(result)
    return lost


def _died(task: Task) -> Result:
    return Result(
        task,
        "failed",
        0.0,
        error="worker process died while running this run (killed, out of memory or crashed)",
    )


def run_experiment(
    source: str | os.PathLike | dict | Scenario,
    out: str | os.PathLike | None = None,
    workers: int | None = None,
    *,
    fresh: bool = False,
    quiet: bool = False,
    plots: bool = True,
    max_runs: int = DEFAULT_MAX_RUNS,
    force: bool = False,
    simulate: str | SimulateFn | None = None,
) -> Results:
    """Do what ``sim run`` does; return the results folder as :class:`Results`.

    ``source`` is a scenario file, a dict with the same keys, or a
    :class:`Scenario`. ``simulate`` replaces the model function (default
    ``"sim.evaluation:simulate"``; a ``"module:function"`` string or a
    picklable function with the same signature). Runs that failed are in
    ``results.runs`` with ``status == "failed"``; ``results.n_failed``
    counts them.
    """
    p = plan(source, out, max_runs=max_runs, force=force, fresh=fresh, simulate=simulate)
    manifest = execute(p, workers, fresh=fresh, quiet=quiet)
    if plots and manifest["runs_done"]:
        render_plots(p.out)
    from sim.experiments.results import Results

    return Results(p.out)


def render_plots(out: Path) -> Path | None:
    """Draw the figures and report (the plots package); return the report's path,
    or None when the plots package is not installed."""
    try:
        from sim.plots.api import render_all
    except ModuleNotFoundError as err:
        if err.name in ("sim.plots", "sim.plots.api"):
            return None
        raise
    report = render_all(out)
    return Path(report) if report else None
