"""Where runs execute: in this process, or in a pool of worker processes.

Worker processes come from ``forkserver`` where the platform has it
(``spawn`` elsewhere): unlike ``fork`` it is safe with threads in the parent,
and unlike ``spawn`` the heavy imports happen once in the server. The tables
of a pooled sweep are assembled outside the coordinating process, which so
never imports the model, NumPy, pandas or pyarrow: by a worker of the pool
once the runs are done (no new process to start), or by a child forked from
the same server when the sweep stopped early.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from sim.errors import UserError
from sim.experiments import worker
from sim.experiments.engines import Engine
from sim.experiments.worker import Result, Task

CONSOLIDATE = "sim.experiments.results:consolidate"  # named, so this process never imports it


def context() -> mp.context.BaseContext:
    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        # imported once in the server, shared by every worker it forks
        ctx.set_forkserver_preload(
            ["sim.experiments.worker", "sim.experiments.results", "sim.evaluation", "sim.model"]
        )
        return ctx
    return mp.get_context("spawn")


def start(ctx: mp.context.BaseContext) -> None:
    """Start the forkserver now, so it imports the model while this process does
    its own setup (no-op for ``spawn``)."""
    if ctx.get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


def consolidate(
    ctx: mp.context.BaseContext | None, out: Path, manifest: dict, run_ids: list[str]
) -> dict[str, int]:
    """Assemble the tables: here with one worker, else in a child process of ``ctx``
    (forked from the server, which has pyarrow loaded already)."""
    args = (out, manifest, run_ids)
    if ctx is None:
        return worker.call(CONSOLIDATE, *args)
    child = _pool(1, ctx)
    try:
        return child.submit(worker.call, CONSOLIDATE, *args).result()
    except BaseException:  # Ctrl-C, SIGTERM: the child must not outlive this call
        _stop_workers(child)
        raise
    finally:
        child.shutdown(wait=False, cancel_futures=True)


def run_here(tasks: Iterator[Task], on_result: Callable[[Result], None]) -> None:
    """Runs in this process; as in workers, collections skip what exists already."""
    gc.freeze()
    try:
        for task in tasks:
            on_result(worker.execute(task))
    finally:
        gc.unfreeze()


def _pool(workers: int, ctx: mp.context.BaseContext) -> ProcessPoolExecutor:
    """Workers that ignore Ctrl-C and end with this process (:func:`worker.initialize`)."""
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=ctx,
        initializer=worker.initialize,
        initargs=(os.getpid(),),
    )


NOT_STARTED = (
    "worker processes could not start (see the error above); if you call "
    'sim.run_experiment from a script, put the call under `if __name__ == "__main__":` '
    "(worker processes import the script)"
)


def _started(executor: ProcessPoolExecutor, workers: int) -> None:
    """Start every worker and check they run before runs are handed out, so that
    a pool which can never start (a script that starts a sweep when it is
    imported) is one clear error rather than every run recorded as lost.
    (The pool starts a worker per task submitted while none is idle: one
    no-op each starts them all at once rather than one per early run.)"""
    try:
        for ready in [executor.submit(worker.ready) for _ in range(workers)]:
            ready.result()
    except BrokenProcessPool:
        executor.shutdown(wait=False, cancel_futures=True)
        raise UserError(NOT_STARTED) from None


class LocalEngine(Engine):
    """The default: a ``ProcessPoolExecutor`` of ``forkserver`` workers on this
    machine, which ignore Ctrl-C and end with this process. A worker that dies
    breaks the whole pool, so the pool is renewed and the runs it held retried."""

    kind = "local"
    shares_disk = True
    renewable = True

    def __init__(self, workers: int):
        self.ctx = context()
        start(self.ctx)  # overlaps the server's imports with the runner's setup
        self.width = workers
        self._executor: ProcessPoolExecutor | None = None

    @property
    def label(self) -> str:
        return f"local {self.ctx.get_start_method()} pool"

    def executor(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = _pool(self.width, self.ctx)
        return self._executor

    def renew(self, old: Executor) -> ProcessPoolExecutor:
        old.shutdown(wait=True, cancel_futures=True)
        self._executor = _pool(self.width, self.ctx)
        return self._executor

    def check_started(self, executor: Executor) -> None:
        _started(executor, self.width)

    def stop(self, executor: Executor, futures: list[Future]) -> None:
        _stop_workers(executor)

    def release(self, executor: Executor) -> None:
        executor.shutdown(wait=False, cancel_futures=True)


def run_pool(
    tasks: Iterator[Task],
    engine: Engine,
    on_result: Callable[[Result], None],
    finish: tuple | None = None,
) -> Any:
    """Feed ``tasks`` to the engine's executor, at most two per worker in flight;
    then call ``finish`` (a ``"module:function"`` name and its arguments) in
    a worker of the pool (when it shares this machine's disk) and return what
    it returns (None if it could not, or did not).

    If a worker process of the local pool dies (killed, out of memory,
    crashed), every run in flight is lost with it; they are retried one at a
    time, and a run that kills its worker when running alone is recorded as
    failed. Dask retries a dead worker's runs on other workers itself and
    gives up on a run after several deaths (``KilledWorker``), but it counts
    every run a dying worker held, the innocent ones too: a run it gives up on
    is run again alone, and recorded as failed only if it is given up again.

    No wait is without bound: when no run finished for ``engine.poll``
    seconds the engine checks its workers (:meth:`Engine.check`), and raises
    if the runs in flight can never finish.
    """
    suspects: deque[Task] = deque()  # lost in a crash: rerun one at a time
    alone: set[str] = set()  # run ids submitted as suspects, with nothing beside them
    waiting: deque[Task] = deque()  # taken from ``tasks`` but refused by a broken pool
    in_flight: dict[Future, Task] = {}
    width = engine.width
    executor = engine.executor()

    def submit(task: Task, back: deque[Task]) -> bool:
        try:
            in_flight[executor.submit(worker.execute, task)] = task
            return True
        except BrokenProcessPool:  # a worker died since the last look
            back.appendleft(task)
            return False

    try:
        engine.check_started(executor)
        while True:
            healthy = True
            if suspects:
                if not in_flight:
                    alone.add(suspects[0].run_id)
                    healthy = submit(suspects.popleft(), suspects)
            else:
                while healthy and len(in_flight) < 2 * width:
                    task = waiting.popleft() if waiting else next(tasks, None)
                    if task is None:
                        break
                    healthy = submit(task, waiting)
            lost: list[Task] = []
            if healthy:
                if not in_flight:
                    return _finish(executor, finish if engine.shares_disk else None)
                finished, _ = wait(in_flight, timeout=engine.poll, return_when=FIRST_COMPLETED)
                if not finished:  # a worker may be gone for good: the engine looks
                    engine.check(list(in_flight))
                    continue
                given_up: list[Task] = []
                first = _collect(finished, in_flight, on_result, engine, given_up, alone)
                suspects.extend(sorted(given_up, key=lambda t: t.run_id))
                if first is None:
                    continue
                lost += first
            lost += _collect(list(in_flight), in_flight, on_result, engine, [], alone) or []
            if len(lost) == 1:
                on_result(_died(lost[0]))
            else:
                suspects.extend(sorted(lost, key=lambda t: t.run_id))
            executor = engine.renew(executor)
    except BaseException:  # Ctrl-C, or an error here: stop the runs in flight now
        engine.stop(executor, list(in_flight))
        raise
    finally:
        engine.release(executor)


def _stop_workers(executor: ProcessPoolExecutor) -> None:
    """End the pool's processes at once. Left alone they would finish their runs
    after the sweep has recorded what it holds, and keep the command from
    exiting until they had; a stopped run is simply run again on resume."""
    terminate = getattr(executor, "terminate_workers", None)  # Python 3.14
    if terminate is not None:
        terminate()
        return
    for process in list((getattr(executor, "_processes", None) or {}).values()):
        process.terminate()


def _finish(executor: Executor, finish: tuple | None) -> Any:
    """Run ``finish`` in a worker of the idle pool; None if there is none or the
    pool broke (the caller then does it another way). The pool is shut down at
    once, so the workers it does not need exit meanwhile. ``finish`` is a
    ``"module:function"`` name, its arguments and what to call here first
    (waiting until every run is stored)."""
    if finish is None:
        return None
    spec, args, before = finish
    before()
    future = executor.submit(worker.call, spec, *args)
    executor.shutdown(wait=False)  # the other workers exit now, freeing their memory
    try:
        return future.result()
    except BrokenProcessPool:
        return None


def _collect(
    finished: Any,
    in_flight: dict[Future, Task],
    on_result: Callable,
    engine: Engine,
    given_up: list[Task],
    alone: set[str],
) -> list[Task] | None:
    """Store finished results; return the tasks lost to a broken pool (None if
    none); add to ``given_up`` those the engine gave up on beside others."""
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
        except engine.lost_errors as err:  # Dask gave up on it: it, or a neighbour, killed
            if task.run_id in alone:  # it ran alone: it is the one
                on_result(_died(task, f" ({type(err).__name__})"))
            else:
                given_up.append(task)
            continue
        except Exception as err:  # e.g. the result could not be sent back
            result = Result(
                task, "failed", 0.0, error=f"{type(err).__name__}: {err}", traceback=None
            )
        on_result(result)
    return lost


def _died(task: Task, how: str = "") -> Result:
    return Result(
        task,
        "failed",
        0.0,
        error=f"worker process died while running this run (killed, out of memory or crashed){how}",
    )
