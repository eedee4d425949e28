"""What a worker process does with one run: simulate, keep outputs, report.

Kept apart from the runner so that worker processes (started by
``forkserver`` or ``spawn``) import only this, the model and its
dependencies. A run that raises is returned as a ``failed`` result with its
error and traceback instead of propagating, so one bad run never stops a
sweep.
"""

from __future__ import annotations

import functools
import gc
import importlib
import os
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sim.levers import resolve

SimulateFn = Callable[[dict[str, Any], int, int], Any]
DEFAULT_SIMULATE = "sim.evaluation:simulate"


@dataclass(frozen=True)
class Task:
    """One run: a design point, a replication, its seed and its parameter values."""

    run_id: str
    point: int
    replication: int
    seed: int
    values: dict[str, Any]  # catalogue name -> plain value (schedules as month maps)
    months: int
    outputs: tuple[str, ...]
    simulate: str | SimulateFn = DEFAULT_SIMULATE


@dataclass
class Result:
    """What comes back to the parent: the run's time series as Arrow IPC bytes, or the error.

    Encoding happens in the worker so the parent only writes bytes: it never
    imports pandas or pyarrow while a sweep runs, which keeps it small.
    """

    task: Task
    status: str  # "done" or "failed"
    wall_seconds: float
    series: bytes | None = None
    final: dict[str, float] | None = None
    error: str | None = None
    traceback: str | None = None
    pid: int = 0


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


def encode(frame: Any, outputs: tuple[str, ...]) -> tuple[bytes, dict[str, float]]:
    """A run's frame as Arrow IPC bytes with the fixed schema, and its final values.

    Goes through one float64 matrix rather than ``Table.from_pandas``: for
    frames of a few hundred rows this is several times faster.
    """
    import numpy as np
    import pyarrow as pa

    values = np.asfortranarray(frame[list(outputs)].to_numpy(dtype=np.float64))
    columns = [
        pa.array(frame["month"].to_numpy(dtype=np.int64)),
        pa.array(frame["date"].astype(str).tolist(), pa.string()),
        *(pa.array(values[:, i]) for i in range(len(outputs))),
    ]
    table = pa.Table.from_arrays(columns, schema=schema(outputs))
    sink = pa.BufferOutputStream()
    with pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)
    final = dict(zip(outputs, values[-1].tolist(), strict=True)) if len(values) else {}
    return sink.getvalue().to_pybytes(), final


def initialize() -> None:
    """Start of each worker process: move everything imported so far (inherited
    from the forkserver) to the GC's permanent generation. Collections during
    runs then skip those objects, which saves time and keeps the pages shared
    with the server from being copied (see ``gc.freeze``)."""
    gc.freeze()


def execute(task: Task) -> Result:
    """Run one model; never raises for an error inside the model."""
    start = time.perf_counter()
    try:
        simulate = load_function(task.simulate)
        frame = simulate(resolve(task.values), task.seed, task.months)
        missing = [c for c in ("month", "date", *task.outputs) if c not in frame.columns]
        if missing:
            raise KeyError(f"simulate() returned no column(s) {', '.join(missing)}")
        data, final = encode(frame, task.outputs)
        return Result(task, "done", time.perf_counter() - start, data, final, pid=os.getpid())
    except Exception as err:  # a failing run is data, not a crash
        return Result(
            task,
            "failed",
            time.perf_counter() - start,
            error=f"{type(err).__name__}: {err}",
            traceback=traceback.format_exc(),
            pid=os.getpid(),
        )
