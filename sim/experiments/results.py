"""Assembling and loading a results folder.

Layout (a contract; see the README)::

    DIR/manifest.json       what ran: scenario, hashes, versions, seeds, times, counts
    DIR/runs.parquet        one row per run: ids, seed, varied factors, status, finals
    DIR/timeseries.parquet  run_id, month, date, then one column per kept outcome
    DIR/runs/               per-run files the two tables are assembled from

The tables are assembled by streaming the per-run files through
``pyarrow.parquet.ParquetWriter`` in batches, so memory stays flat however
many runs a sweep has. Both are plain Parquet: pandas, polars and DuckDB
open them as they are.
"""

from __future__ import annotations

import json
import os
import warnings
from collections.abc import Iterable, Iterator
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.errors import UserError
from sim.experiments.store import TMP_PREFIX, RunStore
from sim.experiments.worker import schema as series_schema

if TYPE_CHECKING:  # pyarrow loads to assemble the tables, pandas to read them: not before
    import pandas as pd
    import pyarrow as pa

RUN_BATCH = 5_000  # rows of runs.parquet held before a write
SERIES_BATCH = 10_000  # rows of timeseries.parquet held before a write...
TABLES_BATCH = 25  # ...or per-run tables: one row group each (small, so assembling stays light)
ARROW = {"float64": "float64", "int64": "int64", "bool": "bool_", "string": "string"}


def runs_schema(factor_types: dict[str, str], outputs: Iterable[str]) -> pa.Schema:
    import pyarrow as pa

    fields = [
        pa.field("run_id", pa.string()),
        pa.field("point", pa.int64()),
        pa.field("replication", pa.int64()),
        pa.field("seed", pa.int64()),
    ]
    fields += [pa.field(n, getattr(pa, ARROW[t])()) for n, t in factor_types.items()]
    fields += [
        pa.field("status", pa.string()),
        pa.field("error", pa.string()),
        pa.field("traceback", pa.string()),
        pa.field("wall_seconds", pa.float64()),
    ]
    return pa.schema(fields + [pa.field(n, pa.float64()) for n in outputs])


def consolidate(
    root: Path, manifest: dict[str, Any], run_ids: Iterable[str] | None = None
) -> dict[str, int]:
    """Write ``runs.parquet`` and ``timeseries.parquet`` from the per-run files.

    ``run_ids`` limits the tables to the runs of the current plan (in their
    order); by default every stored run, sorted. Returns counts by status.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    root = Path(root)
    store = RunStore(root)
    if run_ids is None:
        run_ids = sorted(
            p.stem for p in store.dir.glob("*.json") if not p.name.startswith(TMP_PREFIX)
        )
    outputs = manifest["outputs"]
    factor_types = manifest["factor_types"]
    rschema = runs_schema(factor_types, outputs)
    sschema = series_schema(tuple(outputs))
    tschema = pa.schema([pa.field("run_id", pa.string()), *sschema])
    counts = {"done": 0, "failed": 0}
    runs_tmp = root / f"{TMP_PREFIX}runs.parquet"
    series_tmp = root / f"{TMP_PREFIX}timeseries.parquet"
    rows: dict[str, list] = {n: [] for n in rschema.names}
    tables: list[pa.Table] = []
    held = 0
    with (
        pq.ParquetWriter(runs_tmp, rschema, use_dictionary=_text(rschema)) as run_writer,
        pq.ParquetWriter(series_tmp, tschema, use_dictionary=_text(tschema)) as series_writer,
    ):
        for run_id in run_ids:
            meta = store.read(run_id)
            if meta is None:
                continue
            status = meta.get("status")
            if status not in ("done", "failed"):
                continue
            if status == "done":
                path = store.table_path(run_id)
                try:
                    table = read_series(path)
                except (OSError, pa.ArrowInvalid):  # checked on resume; counted as missing
                    continue
                if not table.schema.equals(sschema):  # files from an older version
                    table = table.cast(sschema)
                run_col = pa.array([run_id] * table.num_rows, pa.string())
                tables.append(table.add_column(0, "run_id", run_col))
                held += table.num_rows
                if held >= SERIES_BATCH or len(tables) >= TABLES_BATCH:
                    series_writer.write_table(pa.concat_tables(tables))
                    tables, held = [], 0
            counts[status] = counts.get(status, 0) + 1
            _append_run(rows, meta, factor_types, outputs)
            if len(rows["run_id"]) >= RUN_BATCH:
                run_writer.write_table(pa.table(rows, schema=rschema))
                rows = {n: [] for n in rschema.names}
        if tables:
            series_writer.write_table(pa.concat_tables(tables))
        if rows["run_id"]:
            run_writer.write_table(pa.table(rows, schema=rschema))
    os.replace(runs_tmp, root / "runs.parquet")
    os.replace(series_tmp, root / "timeseries.parquet")
    return counts


def _text(schema: pa.Schema) -> list[str]:
    """Columns worth dictionary-encoding: the text ones (ids, dates, statuses).
    Float outcomes rarely repeat, and their dictionaries would cost the writer
    memory and time for nothing."""
    import pyarrow as pa

    return [f.name for f in schema if pa.types.is_string(f.type)]


def read_series(path: Path) -> pa.Table:
    """One run's time series from its Arrow IPC file in ``runs/``."""
    import pyarrow as pa

    with pa.OSFile(str(path)) as source:
        return pa.ipc.open_file(source).read_all()


def _append_run(rows: dict[str, list], meta: dict, factor_types: dict, outputs: list) -> None:
    for key in (
        "run_id",
        "point",
        "replication",
        "seed",
        "status",
        "error",
        "traceback",
        "wall_seconds",
    ):
        rows[key].append(meta.get(key))
    factors = meta.get("factors") or {}
    for name, kind in factor_types.items():
        value = factors.get(name)
        if kind == "string" and value is not None and not isinstance(value, str):
            value = json.dumps(value, sort_keys=True)
        rows[name].append(value)
    final = meta.get("final") or {}
    for name in outputs:
        rows[name].append(final.get(name))


class Results:
    """A results folder: ``.manifest`` (dict), ``.runs`` and ``.timeseries`` (DataFrames).

    The tables are read when first used. ``manifest, runs, timeseries =
    sim.load_results(DIR)`` unpacks all three.
    """

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        from sim.experiments import manifest as mf

        manifest = mf.read(self.path) if self.path.is_dir() else None
        if manifest is None:
            raise UserError(f"{self.path}: not a results folder (no manifest.json)")
        self.manifest: dict[str, Any] = manifest
        for name in ("runs.parquet", "timeseries.parquet"):
            if not (self.path / name).is_file():
                raise UserError(
                    f"{self.path}: no {name}; the run was stopped before its results were "
                    "assembled; run the same 'sim run' command again to resume"
                )
        if self.manifest.get("status") not in ("complete", "failed"):
            warnings.warn(
                f"{self.path}: sweep is {self.manifest.get('status')}; tables hold the runs "
                "finished so far (rerun 'sim run' to resume)",
                stacklevel=2,
            )

    @cached_property
    def runs(self) -> pd.DataFrame:
        """One row per run, sorted by point and replication."""
        import pandas as pd

        return pd.read_parquet(self.path / "runs.parquet")

    @cached_property
    def timeseries(self) -> pd.DataFrame:
        """One row per run and month."""
        import pandas as pd

        return pd.read_parquet(self.path / "timeseries.parquet")

    def read_timeseries(
        self, columns: list[str] | None = None, filters: Any = None
    ) -> pd.DataFrame:
        """Part of the time series without loading all of it (pyarrow ``filters``)."""
        import pandas as pd

        if columns is not None:
            columns = list(dict.fromkeys(["run_id", "month", "date", *columns]))
        return pd.read_parquet(self.path / "timeseries.parquet", columns=columns, filters=filters)

    @property
    def n_done(self) -> int:
        return int(self.manifest.get("runs_done", 0))

    @property
    def n_failed(self) -> int:
        return int(self.manifest.get("runs_failed", 0))

    def __iter__(self) -> Iterator[Any]:
        return iter((self.manifest, self.runs, self.timeseries))

    def __fspath__(self) -> str:
        return str(self.path)

    def __repr__(self) -> str:
        m = self.manifest
        return (
            f"Results('{self.path}', scenario={m.get('name')!r}, status={m.get('status')!r}, "
            f"done={self.n_done}, failed={self.n_failed}, of={m.get('runs_total')})"
        )


def load_results(path: str | os.PathLike) -> Results:
    """Open a results folder written by ``sim run`` / ``sim.run_experiment``."""
    return Results(path)
