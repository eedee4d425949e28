"""What a worker process does with one run: simulate, keep outputs, report.

Kept apart from the runner so that worker processes (started by
``forkserver`` or ``spawn``) import only this, the model and its
dependencies. A run that raises is returned as a ``failed`` result with its
error and traceback instead of propagating, so one bad run never stops a
sweep.
"""

from __future__ import annotations

import importlib
import os
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sim.levers import resolve

SimulateFn = Callable[[dict[str, Any], int, int], Any]
DEFAULT_SIMULATE = "sim.evaluate:simulate"


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
    """What comes back to the parent: the run's time series as Parquet bytes, or the error.

    Encoding happens in the worker so the parent only writes bytes: it never
    imports pandas or pyarrow while a sweep runs, which keeps it small.
    """

    task: Task
    status: str  # "done" or "failed"
    wall_seconds: float
    parquet: bytes | None = None
    final: dict[str, float] | None = None
    error: str | None = None
    traceback: str | None = None
    pid: int = 0


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


def encode(frame: Any, outputs: tuple[str, ...]) -> bytes:
    """A run's frame as Parquet bytes with the fixed schema (no pandas metadata)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=False).cast(schema(outputs))
    sink = pa.BufferOutputStream()
    pq.write_table(table.replace_schema_metadata(None), sink)
    return sink.getvalue().to_pybytes()


def execute(task: Task) -> Result:
    """Run one model; never raises for an error inside the model."""
    start = time.perf_counter()
    try:
        simulate = load_function(task.simulate)
        frame = simulate(resolve(task.values), task.seed, task.months)
        missing = [c for c in ("month", "date", *task.outputs) if c not in frame.columns]
        if missing:
            raise KeyError(f"simulate() returned no column(s) {', '.join(missing)}")
        frame = frame[["month", "date", *task.outputs]]
        final = {n: float(frame[n].iloc[-1]) for n in task.outputs} if len(frame) else {}
        data = encode(frame, task.outputs)
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
