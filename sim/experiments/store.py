"""Per-run files: the only state a sweep keeps while it runs.

Each finished run is two small files in ``DIR/runs/``, written by the
worker process that ran it: ``<run_id>.arrow``
(its time series in the Arrow IPC file format, when it succeeded; cheaper
to write and read back than Parquet for a few hundred rows) and ``<run_id>.json`` (status, seed,
wall time, error and traceback, final outcomes). Both are written to a
temporary name and renamed into place, the JSON last, so a JSON file on disk
always means a complete run: a ``kill -9`` at any moment loses at most the
runs still in flight, and resuming simply skips every run that has one.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.errors import UserError

if TYPE_CHECKING:
    from sim.experiments.worker import Result

TMP_PREFIX = ".tmp-"


def temporary(path: Path) -> Path:
    """Where ``path`` is written before it is renamed into place."""
    return path.with_name(f"{TMP_PREFIX}{path.name}.{os.getpid()}")


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one."""
    tmp = temporary(path)
    with open(tmp, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)


def atomic_write_json(path: Path, data: Any) -> None:
    atomic_write_bytes(path, (json.dumps(data, indent=1, default=str) + "\n").encode())


class RunStore:
    """The ``runs/`` folder of a results directory."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.dir = self.root / "runs"

    def prepare(self) -> None:
        """Create the folder and remove temporary files a killed run left behind."""
        self.dir.mkdir(parents=True, exist_ok=True)
        for tmp in self.dir.glob(f"{TMP_PREFIX}*"):
            tmp.unlink(missing_ok=True)

    def table_path(self, run_id: str) -> Path:
        return self.dir / f"{run_id}.arrow"

    def meta_path(self, run_id: str) -> Path:
        return self.dir / f"{run_id}.json"

    def write_table(self, run_id: str, table: Any) -> None:
        """A run's time series (a ``pyarrow.Table``) as an Arrow IPC file, atomically."""
        import pyarrow as pa

        path = self.table_path(run_id)
        tmp = temporary(path)
        with pa.OSFile(str(tmp), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table)
        os.replace(tmp, path)

    def write(self, result: Result, final: dict[str, float] | None = None) -> dict[str, Any]:
        """Write the JSON that marks a run complete (after its table, if it has one).

        A failed run's stale table from an earlier attempt is removed first.
        """
        task = result.task
        if result.status != "done":
            self.table_path(task.run_id).unlink(missing_ok=True)
        meta = {
            "run_id": task.run_id,
            "point": task.point,
            "replication": task.replication,
            "seed": task.seed,
            "status": result.status,
            "error": result.error,
            "traceback": result.traceback,
            "wall_seconds": round(result.wall_seconds, 6),
            "factors": task.factors,
            "final": final,
        }
        atomic_write_json(self.meta_path(task.run_id), meta)
        return meta

    def record_lost(self, result: Result) -> Result:
        """Store a result the parent made up for a run whose worker died.

        If the worker stored the run as done before it died, that run stands
        (and is returned as done); otherwise the failure is written.
        """
        from sim.experiments.worker import Result

        run_id = result.task.run_id
        meta = self.read(run_id)
        if meta and meta.get("status") == "done" and self.table_path(run_id).is_file():
            return Result(result.task, "done", meta.get("wall_seconds") or 0.0, stored=True)
        self.write(result)
        return result

    def read(self, run_id: str) -> dict[str, Any] | None:
        """The JSON of a stored run, or None when it is missing or unreadable."""
        try:
            return json.loads(self.meta_path(run_id).read_text())
        except (OSError, ValueError):
            return None

    def done_ids(self) -> set[str]:
        """Runs stored as done with their table present (failed runs are retried)."""
        done = set()
        if not self.dir.is_dir():
            return done
        for meta_file in self.dir.glob("*.json"):
            run_id = meta_file.stem
            meta = self.read(run_id)
            if meta and meta.get("status") == "done" and self.table_path(run_id).is_file():
                done.add(run_id)
        return done

    def clear(self) -> None:
        """Forget every stored run (``--fresh``): only files this module writes."""
        if not self.dir.is_dir():
            return
        for path in self.dir.iterdir():
            if path.suffix in (".json", ".arrow", ".parquet") or path.name.startswith(TMP_PREFIX):
                path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            self.dir.rmdir()


class FolderLock:
    """An advisory lock so two ``sim run`` never write one folder at once.

    ``flock`` is released by the kernel when the holder dies, even by
    ``kill -9``, so a stale lock never blocks a resume.
    """

    def __init__(self, root: Path):
        self.path = Path(root) / ".lock"
        self._fh = None

    def __enter__(self) -> FolderLock:
        try:
            import fcntl
        except ImportError:  # not POSIX: no lock, as before
            return self
        self._fh = open(self.path, "a+")
        try:
            fcntl.flock(self._fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self._fh.close()
            self._fh = None
            raise UserError(f"{self.path.parent}: another 'sim run' is writing here") from None
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
