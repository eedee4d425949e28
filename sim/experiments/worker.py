"""What a worker does with one run: simulate it and send back what it computed.

Kept apart from the runner so that worker processes (started by
``forkserver`` or ``spawn``, or a Dask worker) import only this, the model
and its dependencies; the parent imports this module too, so pandas, pyarrow
and the model are imported inside functions only. A worker writes nothing:
it returns a :class:`Result` holding the run's table already encoded as
Arrow IPC bytes, which the parent stores as they are
(:mod:`sim.experiments.store`) without decoding them, so the parent needs
neither pyarrow nor a file system shared with its workers, and a worker
outliving its sweep can never write into a folder. A run that raises is
returned as ``failed`` with its error and traceback instead of propagating,
so one bad run never stops a sweep.
"""

from __future__ import annotations

import functools
import gc
import importlib
import os
import signal
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sim.levers import resolve

SimulateFn = Callable[[dict[str, Any], int, int], Any]
DEFAULT_SIMULATE = "sim.evaluation:simulate"


@dataclass(frozen=True)
class Task:
    """One run: a design point, a replication, its parameter values and where it goes.

    The seed is derived here (in the worker) from the root seed, so the parent
    of a pool never needs NumPy.
    """

    run_id: str
    point: int
    replication: int
    root_seed: int
    values: dict[str, Any]  # catalogue name -> plain value (schedules as month maps)
    months: int
    outputs: tuple[str, ...]
    simulate: str | SimulateFn = DEFAULT_SIMULATE
    factors: dict[str, Any] = field(default_factory=dict)  # the varied values, for runs.parquet
    model: str | None = None  # "module:Class" of another Mesa model (None: this package's)

    @property
    def seed(self) -> int:
        from sim.experiments.seeds import run_seed

        return run_seed(self.root_seed, self.point, self.replication)


@dataclass
class Result:
    """What comes back to the parent: a run's status and, when it is done, its
    table as Arrow IPC file bytes and its final outcomes."""

    task: Task
    status: str  # "done" or "failed"
    wall_seconds: float
    error: str | None = None
    traceback: str | None = None
    pid: int = 0
    table: bytes | None = None
    final: dict[str, float] | None = None
    rows: int = 0
    seed: int | None = None


@functools.cache
def schema(outputs: tuple[str, ...]) -> Any:
    """Columns of a run's time series: month, date, then each kept outcome as float64."""
    import pyarrow as pa

    fields = [pa.field("month", pa.int64()), pa.field("date", pa.string())]
    return pa.schema(fields + [pa.field(n, pa.float64()) for n in outputs])


_resolved: dict[str, SimulateFn] = {}


def load_function(spec: str | SimulateFn) -> SimulateFn:
    """``"module:function"`` -> the function (cached per process)."""
    if callable(spec):
        return spec
    if spec not in _resolved:
        module, _, name = spec.partition(":")
        _resolved[spec] = getattr(importlib.import_module(module), name)
    return _resolved[spec]


def call(spec: str, *args: Any) -> Any:
    """Call the function named ``"module:function"`` (the parent names functions it
    runs in a child rather than importing their modules)."""
    return load_function(spec)(*args)


def table_from_columns(columns: dict[str, Any], outputs: tuple[str, ...]) -> tuple[Any, dict]:
    """A run's columns (lists or arrays) as an Arrow table with the fixed schema,
    and its final values. The outcomes go through one float64 matrix."""
    import numpy as np
    import pyarrow as pa

    values = np.array([columns[n] for n in outputs], dtype=np.float64).reshape(len(outputs), -1)
    arrays = [
        pa.array(np.asarray(columns["month"], dtype=np.int64)),
        pa.array([str(d) for d in columns["date"]], pa.string()),
        *(pa.array(values[i]) for i in range(len(outputs))),
    ]
    table = pa.Table.from_arrays(arrays, schema=schema(outputs))
    final = dict(zip(outputs, values[:, -1].tolist(), strict=True)) if values.shape[1] else {}
    return table, final


def table_from_frame(frame: Any, outputs: tuple[str, ...]) -> tuple[Any, dict]:
    """The same from a DataFrame returned by a ``simulate`` function."""
    missing = [c for c in ("month", "date", *outputs) if c not in frame.columns]
    if missing:
        raise KeyError(f"simulate() returned no column(s) {', '.join(missing)}")
    import numpy as np

    columns = {
        "month": frame["month"].to_numpy(dtype=np.int64),
        "date": frame["date"].astype(str).tolist(),
    }
    for name in outputs:
        columns[name] = frame[name].to_numpy(dtype=np.float64)
    return table_from_columns(columns, outputs)


def run_table(task: Task) -> tuple[Any, dict]:
    """Simulate one run; its table and final values. The default model skips pandas."""
    if task.model is not None:
        from sim.experiments.mesa_runs import simulate_columns

        columns = simulate_columns(task.model, task.values, task.seed, task.months, task.outputs)
        return table_from_columns(columns, task.outputs)
    simulate = load_function(task.simulate)
    params, seed = resolve(task.values), task.seed
    from sim import evaluation

    if simulate is evaluation.simulate:
        return table_from_columns(
            evaluation.simulate_columns(params, seed, task.months), task.outputs
        )
    return table_from_frame(simulate(params, seed, task.months), task.outputs)


def ready() -> int:
    """A no-op a new pool runs first: it returns only if a worker could start."""
    return os.getpid()


def initialize(driver: int | None = None) -> None:
    """Start of each worker process.

    Ctrl-C is the driver's to handle (a terminal sends it to the whole process
    group; the driver stops its workers itself), so a worker ignores it and
    prints no traceback. The worker ends itself when the driver ends, however
    it ends (``kill -9`` included; :func:`die_with`). Everything imported so far
    (inherited from the forkserver) moves to the GC's permanent generation:
    collections during runs then skip those objects, which saves time and
    keeps the pages shared with the server from being copied (``gc.freeze``).
    """
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    if driver is not None:
        die_with(driver)
    gc.freeze()


def die_with(pid: int, poll: float = 0.5) -> None:
    """End this process as soon as process ``pid`` ends: a thread waits on a
    pidfd of it (Linux; polls elsewhere), then exits at once. A worker's parent
    is the forkserver, not the driver, so the parent-death signal would not do."""
    if pid == os.getpid():
        return

    def watch() -> None:
        try:
            fd = os.pidfd_open(pid)
        except ProcessLookupError:
            os._exit(1)  # the driver is gone already
        except (AttributeError, OSError):  # no pidfd here: poll
            while _alive(pid):
                time.sleep(poll)
            os._exit(1)
        import select

        select.select([fd], [], [])
        os._exit(1)

    threading.Thread(target=watch, name=f"die-with-{pid}", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def encode(table: Any) -> bytes:
    """A ``pyarrow.Table`` as the bytes of an Arrow IPC file."""
    import pyarrow as pa

    sink = pa.BufferOutputStream()
    with pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def execute(task: Task) -> Result:
    """Run one model; never raises for an error inside the model."""
    start = time.perf_counter()
    seed = task.seed
    try:
        table, final = run_table(task)
        data = encode(table)
    except Exception as err:  # a failing run is data, not a crash
        return Result(
            task,
            "failed",
            time.perf_counter() - start,
            error=f"{type(err).__name__}: {err}",
            traceback=traceback.format_exc(),
            pid=os.getpid(),
            seed=seed,
        )
    wall = time.perf_counter() - start
    return Result(
        task, "done", wall, pid=os.getpid(), table=data, final=final, rows=table.num_rows, seed=seed
    )
