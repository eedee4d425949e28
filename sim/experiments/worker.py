"""What a worker process does with one run: simulate, store its files, report.

Kept apart from the runner so that worker processes (started by
``forkserver`` or ``spawn``) import only this, the model and its
dependencies; the parent imports this module too, so pandas, pyarrow and the
model are imported inside functions only. The worker writes the run's files
itself (:mod:`sim.experiments.store`: table, then the JSON that marks the run
complete) and sends back only a small :class:`Result`, so the parent never
handles the data. A run that raises is stored and returned as ``failed``
with its error and traceback instead of propagating, so one bad run never
stops a sweep.
"""

from __future__ import annotations

import functools
import gc
import importlib
import os
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
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
    root: str = "."  # results folder: the run's files go to ROOT/runs/
    model: str | None = None  # "module:Class" of another Mesa model (None: this package's)

    @property
    def seed(self) -> int:
        from sim.experiments.seeds import run_seed

        return run_seed(self.root_seed, self.point, self.replication)


@dataclass
class Result:
    """What comes back to the parent: the status of a run, and whether its files are stored.

    ``stored`` is true when the worker wrote the run's files (always, except
    when a result is made up by the parent for a worker that died).
    """

    task: Task
    status: str  # "done" or "failed"
    wall_seconds: float
    error: str | None = None
    traceback: str | None = None
    pid: int = 0
    stored: bool = False


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


def initialize() -> None:
    """Start of each worker process: move everything imported so far (inherited
    from the forkserver) to the GC's permanent generation. Collections during
    runs then skip those objects, which saves time and keeps the pages shared
    with the server from being copied (see ``gc.freeze``)."""
    gc.freeze()


def execute(task: Task) -> Result:
    """Run one model and store its files; never raises for an error inside the model."""
    from sim.experiments.store import RunStore

    start = time.perf_counter()
    store = RunStore(Path(task.root))
    try:
        table, final = run_table(task)
    except Exception as err:  # a failing run is data, not a crash
        result = Result(
            task,
            "failed",
            time.perf_counter() - start,
            error=f"{type(err).__name__}: {err}",
            traceback=traceback.format_exc(),
            pid=os.getpid(),
            stored=True,
        )
        store.write(result)
        return result
    wall = time.perf_counter() - start
    store.write_table(task.run_id, table)
    result = Result(task, "done", wall, pid=os.getpid(), stored=True)
    store.write(result, final)
    return result
