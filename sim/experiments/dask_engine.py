"""Runs on a Dask cluster (``pip install ".[cluster]"``), through the
``concurrent.futures`` executor of a ``distributed.Client``.

``sim run FILE --executor dask`` starts a ``LocalCluster`` on 127.0.0.1
(one single-threaded worker process per ``--workers``, no dashboard unless
asked); ``--scheduler tcp://HOST:PORT`` connects to a running scheduler
instead (a SLURM or PBS cluster started with ``dask-jobqueue``, say; see
docs/cluster.md). Workers need this package installed, and nothing else:
they return each run's table as bytes, and the process that runs the sweep
writes the results folder, so no shared file system is needed.

Dask retries the runs of a worker that died on the other workers (up to
``distributed.scheduler.allowed-failures`` times; then the run is recorded
as failed with ``KilledWorker``). The workers of a ``LocalCluster`` end
with this process, however it ends; a scheduler's own workers are left to
it, and only this sweep's runs are cancelled.

The runner never waits without bound on a run whose worker is gone:
:class:`DaskExecutor` settles every future it hands out, whatever becomes of
its task; a ``LocalCluster``'s nannies are never closed for a slow worker
restart; and :meth:`DaskEngine.check` (called whenever no run finished for a
few seconds) starts again any nanny of ours that gave up, and stops the
sweep (finished runs kept, resumable) once the scheduler has had no worker
at all for ``SIM_DASK_NO_WORKER_TIMEOUT`` seconds (300 by default).
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
import weakref
from concurrent.futures import Executor, Future, InvalidStateError
from typing import Any

from sim.errors import RunError, UserError
from sim.experiments.engines import Engine

try:  # the plugin's base class; this module is imported only when Dask is asked for
    from distributed import WorkerPlugin
except ImportError:  # pragma: no cover - DaskEngine.open says what to install
    WorkerPlugin = object  # type: ignore[assignment,misc]

CONNECT_TIMEOUT = 10.0  # seconds to reach a scheduler before giving up
NO_WORKER_TIMEOUT = 300.0  # seconds with runs in flight and no worker before the sweep stops
LOST_WORKER_TIMEOUT = "30 days"  # a LocalCluster's nannies: never closed for a slow restart
# A LocalCluster's scheduler and nannies live in this process, beside the
# sweep's own writes, and its workers share the machine's cores with them: on
# 2 cores running 2 workers, every callback Dask runs on a timer is CPU taken
# from a run. These timers only feed diagnostics (the event loop's "blocked
# for" warnings, the dashboard's CPU and memory plots, the profile of where a
# task spent its time), so ours tick less often. Measured on 80 runs of
# 48 months at scale 0.2 on 2 workers: this process's CPU a run fell from
# 45-50 ms to 33-37 ms, start-up and close included (the local pool's is
# 19 ms counted the same way). The nannies' memory
# monitor, which stops a runaway worker, keeps its default.
QUIET_TIMERS = {
    "distributed.admin.tick.interval": "200ms",  # default 20ms
    "distributed.admin.system-monitor.interval": "2s",  # default 500ms
    "distributed.worker.profile.enabled": False,  # a sample every 10 ms, GIL held
}
MISSING = (
    "--executor dask: Dask is not installed; pip install '.[cluster]' "
    "(or pip install 'dask[distributed]')"
)


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise UserError(MISSING) from None
    return distributed


@contextlib.contextmanager
def _quiet_logs() -> Any:
    """Dask logs every retry of a connection and every worker start: keep the
    terminal to the runner's own lines (errors are raised, not logged)."""
    loggers = [logging.getLogger(n) for n in ("distributed", "tornado", "asyncio")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


def warm_up() -> int:
    """Import the model once in a worker before runs arrive (as the forkserver
    preloads it), so the first run of each worker pays no imports; then put
    everything imported out of the collector's way (``gc.freeze``), as the
    local pool's workers do. A run makes many containers, so the collector
    often walks all it tracks: in a Dask worker that is Dask, Tornado,
    pandas and NumPy too, and it made each run of 48 months at scale 0.2
    about 100 ms (a third) slower than in the local pool."""
    import gc

    import sim.evaluation  # noqa: F401
    import sim.experiments.worker  # noqa: F401
    import sim.model  # noqa: F401

    gc.freeze()
    return os.getpid()


def dask_setup(worker: Any) -> None:
    """Dask's preload hook: ``dask worker --preload sim.experiments.dask_engine``
    gives the workers of a cluster of your own what ours get (:func:`warm_up`)."""
    warm_up()


async def _settle(client: Any, future: Any, cf_future: Future) -> None:
    """Pass the outcome of a Dask future on to ``cf_future``, which ends done
    whatever happens. (``ClientExecutor``'s own coroutine leaves it pending
    for good when a task that finished loses its result with its worker and
    then fails, ``KilledWorker`` say, before the result is fetched: fetching
    raises there and the exception goes to the event loop's log.)"""
    try:
        result = await client.gather(future, asynchronous=True)
    except BaseException as err:
        if not cf_future.done():
            if future.status == "cancelled":
                if cf_future.cancel():
                    cf_future.set_running_or_notify_cancel()  # wakes wait() and as_completed()
            else:
                with contextlib.suppress(InvalidStateError):  # cancelled meanwhile
                    cf_future.set_exception(err)
        if not isinstance(err, Exception):  # this coroutine cancelled (the client closing)
            raise
    else:
        with contextlib.suppress(InvalidStateError):
            cf_future.set_result(result)


class DaskExecutor(Executor):
    """A ``distributed.Client``'s runs as ``concurrent.futures`` futures, as
    ``client.get_executor(pure=False)`` gives them, except that every future
    returned ends done: with the run's result, its error (``KilledWorker``
    included), or cancelled. Cancelling a future cancels its Dask task."""

    def __init__(self, client: Any):
        self._client = client
        self._futures: weakref.WeakSet = weakref.WeakSet()  # the Dask futures, to cancel
        self._shutdown = False

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future:
        if self._shutdown:
            raise RuntimeError("cannot schedule new futures after shutdown")
        future = self._client.submit(fn, *args, pure=False, **kwargs)
        self._futures.add(future)
        cf_future: Future = Future()
        # Only _settle holds the Dask future: once its result is fetched, Dask may
        # drop it from the worker, rather than keep it for as long as the runner
        # keeps the concurrent future and compute it again if that worker dies.
        task = weakref.ref(future)

        def cancel_task(done: Future) -> None:
            pending = task()
            if done.cancelled() and pending is not None and pending.status != "cancelled":
                pending.cancel()

        cf_future.add_done_callback(cancel_task)
        self._client.loop.add_callback(_settle, self._client, future, cf_future)
        return cf_future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._shutdown = True
        if cancel_futures:
            pending = [f for f in list(self._futures) if not f.done()]
            if pending:
                self._client.cancel(pending)


class WarmUp(WorkerPlugin):
    """:func:`warm_up` in every worker of our ``LocalCluster``, including one a
    nanny starts again after its worker died."""

    name = "sim-warm-up"

    def setup(self, worker: Any) -> None:
        warm_up()


class DieWithDriver(WorkerPlugin):
    """A worker plugin for a ``LocalCluster``'s workers, as the local pool's
    workers are set up (:func:`sim.experiments.worker.initialize`): the worker
    process ends when the process that started the cluster ends (``kill -9``
    included), and Ctrl-C, which a terminal sends to every process of the
    group, is left to that process (it cancels the runs and closes the cluster)."""

    name = "sim-die-with-driver"

    def __init__(self, pid: int):
        self.pid = pid

    def setup(self, worker: Any) -> None:
        import signal
        import threading

        from sim.experiments.worker import die_with

        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGINT, signal.SIG_IGN)
        die_with(self.pid)


def _local_cluster(distributed: Any, workers: int, dashboard: bool) -> Any:
    return distributed.LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address="127.0.0.1:8787" if dashboard else None,
        # without a dashboard the scheduler still serves its health routes over
        # HTTP, by default on 8787: a free loopback port instead, so two sweeps
        # (or another cluster) never collide there
        scheduler_kwargs={} if dashboard else {"dashboard_address": "127.0.0.1:0"},
        silence_logs=logging.CRITICAL,
    )


def _revive(cluster: Any, width: int) -> None:
    """On the cluster's event loop: forget the nannies that closed (one whose
    worker could not start again gives up) and start as many as are missing."""
    from distributed.core import Status

    for name, nanny in list(cluster.workers.items()):
        if nanny.status in (Status.closed, Status.failed):
            del cluster.workers[name]
    cluster.scale(width)


class DaskEngine(Engine):
    """A ``distributed.Client``'s runs (:class:`DaskExecutor`), with the cluster
    this command started, if it started one; a client given by the caller
    (``owns_client=False``) is used as it is and never closed here."""

    kind = "dask"
    renewable = False

    def __init__(
        self, client: Any, cluster: Any, address: str, width: int, *, owns_client: bool = True
    ):
        from distributed import KilledWorker

        self.client, self.cluster, self.address = client, cluster, address
        self.width = width
        self.owns_client = owns_client
        self.lost_errors = (KilledWorker,)
        self._executor = DaskExecutor(client)
        self.no_worker_timeout = float(
            os.environ.get("SIM_DASK_NO_WORKER_TIMEOUT", NO_WORKER_TIMEOUT)
        )
        self._no_worker_since: float | None = None
        self._config: Any = None  # the LocalCluster's setting, undone by close()

    @classmethod
    def of_client(cls, client: Any) -> DaskEngine:
        """A caller's ``distributed.Client``: its runs, neither started nor closed here."""
        try:
            threads = sum(client.nthreads().values())
        except Exception:
            threads = 0
        address = getattr(client.scheduler, "address", None) or "a Dask client"
        return cls(client, None, address, max(threads, 1), owns_client=False)

    @classmethod
    def open(cls, workers: int, *, scheduler: str | None = None, dashboard: bool = False) -> Any:
        distributed = _distributed()
        with _quiet_logs():
            if scheduler is not None:
                return cls._connect(distributed, scheduler, workers)
            import dask

            # A nanny restarts its worker when the worker dies, but the cluster also
            # closes a nanny whose worker is still missing 15 s after it left. On a
            # loaded machine, where a restart takes seconds and a run kills each worker
            # it is given, that closes nannies in mid-restart, with the new worker and
            # the run it just got (so an innocent run is blamed, KilledWorker), until
            # no worker is left and the runs wait for ever. A LocalCluster's nannies
            # live in this process and are not lost without it: let them restart.
            keep = dask.config.set(
                {"distributed.deploy.lost-worker-timeout": LOST_WORKER_TIMEOUT, **QUIET_TIMERS}
            )
            try:
                cluster = _local_cluster(distributed, workers, dashboard)
            except BaseException:
                keep.__exit__(None, None, None)
                raise
            try:
                client = distributed.Client(cluster, set_as_default=False)
                client.register_plugin(DieWithDriver(os.getpid()))
                client.register_plugin(WarmUp())
                engine = cls(client, cluster, "LocalCluster", workers)
            except BaseException:
                cluster.close()
                keep.__exit__(None, None, None)
                raise
            engine._config = keep
            return engine

    @classmethod
    def _connect(cls, distributed: Any, address: str, workers: int) -> DaskEngine:
        timeout = float(os.environ.get("SIM_DASK_CONNECT_TIMEOUT", CONNECT_TIMEOUT))
        try:
            client = distributed.Client(address, timeout=timeout, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as err:
            reason = " ".join(str(err).split()) or type(err).__name__
            raise UserError(
                f"--scheduler {address}: no Dask scheduler answered within {timeout:g} s "
                f"({reason}); start one (dask scheduler) or check the address"
            ) from None
        threads = sum(client.nthreads().values())
        return cls(client, None, address, max(threads, 1) if threads else workers)

    @property
    def label(self) -> str:
        where = "LocalCluster on 127.0.0.1" if self.cluster is not None else self.address
        if not self.owns_client:
            return f"dask Client of {where}, {self.width} worker(s)"
        return f"dask {where}, {self.width} worker(s)"

    def executor(self) -> Executor:
        return self._executor

    def check(self, futures: list[Future]) -> None:
        """No run finished for a while: start again the nannies our ``LocalCluster``
        lost, and stop the sweep once there has been no worker at all for
        ``no_worker_timeout`` seconds (its runs would wait for one for ever)."""
        if self.cluster is not None and self._nannies_lost():
            self.cluster.loop.add_callback(_revive, self.cluster, self.width)
        if self._workers() > 0:
            self._no_worker_since = None
            return
        now = time.monotonic()
        if self._no_worker_since is None:
            self._no_worker_since = now
        elif now - self._no_worker_since >= self.no_worker_timeout:
            raise RunError(
                f"{self.label}: no Dask worker for {self.no_worker_timeout:g} s with "
                f"{len(futures)} run(s) waiting for one; finished runs are kept: start "
                "workers (or find why they die), then run the same command again to "
                "resume (SIM_DASK_NO_WORKER_TIMEOUT sets how long to wait)"
            )

    def _nannies_lost(self) -> bool:
        from distributed.core import Status

        try:
            nannies = list(self.cluster.workers.values())  # changed by the cluster's loop
        except RuntimeError:
            return False  # changing now: look next time
        gone = [n for n in nannies if n.status in (Status.closed, Status.failed)]
        return len(nannies) - len(gone) < self.width

    def _workers(self) -> int:
        """How many workers the scheduler has (0 if it cannot say)."""
        if self.cluster is not None:  # ours: the cluster's own view, no round trip
            with contextlib.suppress(Exception):
                return len(self.cluster.scheduler_info.get("workers", {}))
        try:
            return len(self.client.nthreads())
        except Exception:
            return 0

    def stop(self, executor: Executor, futures: list[Future]) -> None:
        for fut in futures:
            fut.cancel()  # cancels the Dask task too (DaskExecutor's callback)
        if self.cluster is not None:  # ours: end its workers now rather than at exit
            self.close()

    def close(self) -> None:
        if not self.owns_client:  # the caller's, to close
            return
        with _quiet_logs():
            with contextlib.suppress(Exception):
                self.client.close(timeout=5)
            if self.cluster is not None:
                with contextlib.suppress(Exception):
                    self.cluster.close(timeout=10)
                self.cluster = None
        if self._config is not None:
            self._config.__exit__(None, None, None)
            self._config = None
