"""Where a sweep's runs execute: any ``concurrent.futures.Executor``.

The runner hands runs to an :class:`Engine`, which wraps an executor and
says what the runner needs to know about it: how many runs it takes at
once, how to end the runs in flight at once (Ctrl-C, SIGTERM), which
errors mean a worker died, and whether a worker shares this machine's disk
(so the tables may be assembled there). Three kinds:

- ``local`` (the default): a ``ProcessPoolExecutor`` of ``forkserver``
  workers (:mod:`sim.experiments.pool`), renewed after a worker crash;
- ``dask``: a Dask ``distributed`` client's executor, on a ``LocalCluster``
  this command starts or on a running scheduler
  (:mod:`sim.experiments.dask_engine`); Dask itself retries the runs of a
  worker that died on another one;
- any executor object given to ``run_experiment(executor=...)``, which is
  used as it is and never shut down here (its owner does that); a
  ``distributed.Client`` is a ``dask`` engine that does not own its client.

Whatever the engine, workers only return each run's data; the process that
runs the sweep writes everything (:mod:`sim.experiments.store`).
"""

from __future__ import annotations

import os
from concurrent.futures import Executor, Future
from typing import Any

from sim.errors import UserError

KINDS = ("local", "dask")


class Engine:
    """An executor and what the runner needs to know about it (an executor given
    by the caller: used as it is, never shut down here)."""

    kind = "executor"
    shares_disk = False  # True: a worker may assemble the tables in the results folder
    renewable = False  # True: after a worker crash the executor is replaced (local pool)
    lost_errors: tuple[type[BaseException], ...] = ()  # "this run's worker died"
    poll = 5.0  # seconds the runner waits for a run to finish before it calls check()

    def __init__(self, executor: Executor, width: int | None = None):
        self._executor = executor
        self.width = width or _width_of(executor)

    @property
    def label(self) -> str:
        """What the manifest records about where runs executed."""
        return type(self._executor).__name__

    def executor(self) -> Executor:
        return self._executor

    def renew(self, old: Executor) -> Executor:
        return self._executor

    def check_started(self, executor: Executor) -> None:
        """Raise a one-line error if the workers cannot start (local pool only)."""

    def check(self, futures: list[Future]) -> None:
        """Called when no run finished for ``poll`` seconds, with the runs in flight:
        repair what can be repaired, and raise (a :class:`~sim.errors.RunError`)
        when the runs can never finish, so the runner never waits without bound
        on a worker that is gone (Dask only; a local pool's futures fail by
        themselves when a worker dies)."""

    def stop(self, executor: Executor, futures: list[Future]) -> None:
        """End the runs in flight at once (a stopped run is run again on resume)."""
        for fut in futures:
            fut.cancel()

    def release(self, executor: Executor) -> None:
        """Done with this executor for the sweep."""

    def close(self) -> None:
        """Done with the engine (a cluster this command started ends here)."""

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _width_of(executor: Any) -> int:
    """How many runs an executor runs at once, as far as it says."""
    width = getattr(executor, "_max_workers", None)
    if isinstance(width, int) and width > 0:
        return width
    client = getattr(executor, "_client", None)  # distributed's ClientExecutor
    if client is not None:
        try:
            return max(1, sum(client.nthreads().values()))
        except Exception:
            return 1
    return getattr(os, "process_cpu_count", os.cpu_count)() or 1


def open_engine(
    executor: Any = None,
    workers: int = 1,
    *,
    scheduler: str | None = None,
    dashboard: bool = False,
) -> Engine | None:
    """The engine for a sweep: ``executor`` is ``None``/``"local"`` (the forkserver
    pool; None is returned for one worker, which runs in this process),
    ``"dask"``, or an executor object (a ``distributed.Client`` gives its own).
    Starting or reaching a cluster happens here, before anything is written.
    An :class:`Engine` is returned as it is (its opener closes it)."""
    if isinstance(executor, Engine):
        return executor
    if scheduler is not None and executor in (None, "dask"):
        executor = "dask"
    elif scheduler is not None:
        raise UserError("--scheduler: only with --executor dask (a Dask scheduler's address)")
    if executor is None or executor == "local":
        if workers == 1:
            return None
        from sim.experiments.pool import LocalEngine

        return LocalEngine(workers)
    if executor == "dask":
        from sim.experiments.dask_engine import DaskEngine

        return DaskEngine.open(workers, scheduler=scheduler, dashboard=dashboard)
    if isinstance(executor, str):
        raise UserError(f"--executor: unknown executor {executor!r} (one of {', '.join(KINDS)})")
    if callable(getattr(executor, "get_executor", None)):  # a distributed.Client
        from sim.experiments.dask_engine import DaskEngine

        return DaskEngine.of_client(executor)
    if not isinstance(executor, Executor):
        raise UserError(
            f"executor: expected a concurrent.futures.Executor, 'local' or 'dask', "
            f"got {type(executor).__name__}"
        )
    return Engine(executor)
