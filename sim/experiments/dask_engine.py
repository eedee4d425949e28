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
"""

from __future__ import annotations

import contextlib
import logging
import os
from concurrent.futures import Executor, Future
from typing import Any

from sim.errors import UserError
from sim.experiments.engines import Engine

try:  # the plugin's base class; this module is imported only when Dask is asked for
    from distributed import WorkerPlugin
except ImportError:  # pragma: no cover - DaskEngine.open says what to install
    WorkerPlugin = object  # type: ignore[assignment,misc]

CONNECT_TIMEOUT = 10.0  # seconds to reach a scheduler before giving up
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
    preloads it), so the first run of each worker pays no imports."""
    import sim.evaluation  # noqa: F401
    import sim.experiments.worker  # noqa: F401
    import sim.model  # noqa: F401

    return os.getpid()


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


class DaskEngine(Engine):
    """A ``distributed.Client``'s executor, with the cluster this command started."""

    kind = "dask"
    renewable = False

    def __init__(self, client: Any, cluster: Any, address: str, width: int):
        from distributed import KilledWorker

        self.client, self.cluster, self.address = client, cluster, address
        self.width = width
        self.lost_errors = (KilledWorker,)
        self._executor = client.get_executor(pure=False)

    @classmethod
    def open(cls, workers: int, *, scheduler: str | None = None, dashboard: bool = False) -> Any:
        distributed = _distributed()
        with _quiet_logs():
            if scheduler is not None:
                return cls._connect(distributed, scheduler, workers)
            cluster = distributed.LocalCluster(
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
            try:
                client = distributed.Client(cluster, set_as_default=False)
                client.register_plugin(DieWithDriver(os.getpid()))
                client.run(warm_up)
            except BaseException:
                cluster.close()
                raise
            return cls(client, cluster, "LocalCluster", workers)

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
        return f"dask {where}, {self.width} worker(s)"

    def executor(self) -> Executor:
        return self._executor

    def stop(self, executor: Executor, futures: list[Future]) -> None:
        for fut in futures:
            fut.cancel()  # cancels the Dask task too (ClientExecutor's callback)
        if self.cluster is not None:  # ours: end its workers now rather than at exit
            self.close()

    def close(self) -> None:
        with _quiet_logs():
            with contextlib.suppress(Exception):
                self.client.close(timeout=5)
            if self.cluster is not None:
                with contextlib.suppress(Exception):
                    self.cluster.close(timeout=10)
                self.cluster = None
