"""Per-run files: the only state a sweep keeps while it runs.

Each finished run is two small files in ``DIR/runs/``, written by the
process that runs ``sim run`` (workers, local or on a cluster, only send
back what they computed, so no worker ever writes into the folder and no
shared file system is needed): ``<run_id>.arrow`` (its time series in the
Arrow IPC file format, when it succeeded; cheaper to write and read back
than Parquet for a few hundred rows) and ``<run_id>.json`` (status, seed,
wall time, error and traceback, final outcomes, the scenario's run hash and
the size and SHA-256 of the table).

Both are written to a temporary name, flushed to disk (``fsync``) and
renamed into place, the JSON last, and the folder is flushed after the
renames, so neither a ``kill -9`` nor a power cut leaves a renamed file
without its content. On resume every stored run is checked against its
JSON and the scenario (:meth:`RunStore.check`); a run that fails the check
is run again, never trusted.

An ``fsync`` waits for the disk (a few ms here), but concurrent ones share
the file system's journal commits, so :class:`Writer` stores runs on a few
threads: about 15 times the throughput of one, which keeps the driver from
limiting a sweep on many workers.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import threading
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.errors import UserError

if TYPE_CHECKING:
    from sim.experiments.worker import Result

TMP_PREFIX = ".tmp-"
RUN_FILE = re.compile(r"^p\d{6}-r\d{4}\.(json|arrow)$")  # names this module writes (seeds.run_id)
META_KEYS = ("run_id", "point", "replication", "seed", "status", "run_hash")


def temporary(path: Path) -> Path:
    """Where ``path`` is written before it is renamed into place (one name per
    process and thread, so concurrent writers never share a temporary file)."""
    return path.with_name(f"{TMP_PREFIX}{path.name}.{os.getpid()}.{threading.get_ident()}")


def sync_folder(folder: Path) -> None:
    """Flush a folder's entries (a rename is durable only once its folder is)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # not possible on this platform
        return
    try:
        os.fsync(fd)
    except OSError as err:
        if err.errno not in (22, 95):  # EINVAL/EOPNOTSUPP: the file system cannot
            raise
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path, data: bytes, sync_parent: bool = True) -> None:
    """Write ``data`` to ``path`` so that readers (and a machine that lost power)
    see the old file or the whole new one."""
    tmp = temporary(path)
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    if sync_parent:
        sync_folder(path.parent)


def atomic_write_json(path: Path, data: Any) -> None:
    atomic_write_bytes(path, (json.dumps(data, indent=1, default=str) + "\n").encode())


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Checked:
    """What :meth:`RunStore.check` found: runs that stand, and those to redo with why."""

    done: set[str]
    bad: dict[str, str]


class RunStore:
    """The ``runs/`` folder of a results directory."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.dir = self.root / "runs"

    def prepare(self) -> None:
        """Create the folder and remove temporary files a killed run left behind."""
        self.dir.mkdir(parents=True, exist_ok=True)
        for folder in (self.root, self.dir):
            for tmp in folder.glob(f"{TMP_PREFIX}*"):
                tmp.unlink(missing_ok=True)

    def table_path(self, run_id: str) -> Path:
        return self.dir / f"{run_id}.arrow"

    def meta_path(self, run_id: str) -> Path:
        return self.dir / f"{run_id}.json"

    def write(self, result: Result, run_hash: str) -> dict[str, Any]:
        """Store one run: its table (if it has one), then the JSON that marks it
        complete. A failed run's stale table from an earlier attempt is removed."""
        task = result.task
        table = result.table
        if result.status == "done" and table is not None:
            atomic_write_bytes(self.table_path(task.run_id), table, sync_parent=False)
        else:
            self.table_path(task.run_id).unlink(missing_ok=True)
        meta = {
            "run_id": task.run_id,
            "point": task.point,
            "replication": task.replication,
            "seed": result.seed,
            "status": result.status,
            "error": result.error,
            "traceback": result.traceback,
            "wall_seconds": round(result.wall_seconds, 6),
            "factors": task.factors,
            "final": result.final,
            "run_hash": run_hash,
            "rows": result.rows,
            "table_bytes": len(table) if table is not None else None,
            "table_sha256": digest(table) if table is not None else None,
        }
        atomic_write_json(self.meta_path(task.run_id), meta)
        return meta

    def read(self, run_id: str) -> dict[str, Any] | None:
        """The JSON of a stored run, or None when it is missing or unreadable."""
        try:
            meta = json.loads(self.meta_path(run_id).read_text())
        except (OSError, ValueError, RecursionError):
            return None
        return meta if isinstance(meta, dict) else None

    def check(self, wanted: set[str], run_hash: str, outputs: tuple[str, ...]) -> Checked:
        """The runs of ``wanted`` stored as done that can be trusted, and the
        stored runs that cannot (with the reason): an unreadable or incomplete
        JSON, one of another scenario (its run hash), a table whose size or
        SHA-256 differs from its record, or missing final outcomes."""
        done: set[str] = set()
        bad: dict[str, str] = {}
        if not self.dir.is_dir():
            return Checked(done, bad)
        for meta_file in sorted(self.dir.glob("*.json")):
            run_id = meta_file.stem
            if run_id not in wanted or not RUN_FILE.match(meta_file.name):
                continue
            meta = self.read(run_id)
            problem = _problem(meta, run_id, run_hash, outputs)
            if problem is None and meta["status"] == "done":
                problem = self._table_problem(run_id, meta)
            if problem is not None:
                bad[run_id] = problem
            elif meta["status"] == "done":
                done.add(run_id)
        return Checked(done, bad)

    def _table_problem(self, run_id: str, meta: dict[str, Any]) -> str | None:
        try:
            data = self.table_path(run_id).read_bytes()
        except FileNotFoundError:
            return "its table is missing"
        except OSError as err:
            return f"its table cannot be read ({err.strerror})"
        if len(data) != meta.get("table_bytes"):
            return f"its table has {len(data):,} bytes, its record says {meta.get('table_bytes')}"
        if digest(data) != meta.get("table_sha256"):
            return "its table's content differs from its record (SHA-256)"
        return None

    def discard(self, run_ids: set[str] | dict[str, str]) -> None:
        for run_id in run_ids:
            self.table_path(run_id).unlink(missing_ok=True)
            self.meta_path(run_id).unlink(missing_ok=True)

    def clear(self) -> None:
        """Forget every stored run (``--fresh``): only files this module writes."""
        if not self.dir.is_dir():
            return
        for path in self.dir.iterdir():
            if RUN_FILE.match(path.name) or path.name.startswith(TMP_PREFIX):
                path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            self.dir.rmdir()


def _problem(
    meta: dict[str, Any] | None, run_id: str, run_hash: str, outputs: tuple[str, ...]
) -> str | None:
    """Why a run's JSON cannot be trusted, or None."""
    if meta is None:
        return "its record is unreadable"
    missing = [k for k in META_KEYS if k not in meta]
    if missing:
        return f"its record has no {missing[0]}"
    if meta["run_id"] != run_id:
        return f"its record names run {meta['run_id']!r}"
    if meta["run_hash"] != run_hash:
        return "it belongs to another scenario (run hash)"
    if meta["status"] not in ("done", "failed"):
        return f"its status is {meta['status']!r}"
    if meta["status"] == "done":
        final = meta.get("final")
        if not isinstance(final, dict) or any(n not in final for n in outputs):
            return "its record lacks final outcomes"
    return None


def is_ours(path: Path) -> bool:
    """Whether ``path``, in a results folder, is something this tool writes while
    setting a folder up: the lock, temporary files, an empty ``runs/``. A folder
    holding nothing else may be taken over even without a manifest (``sim run``
    stopped in its first moments, or a full disk then)."""
    if path.name == ".lock" or path.name.startswith(TMP_PREFIX):
        return True
    if path.name == "runs" and path.is_dir() and not path.is_symlink():
        return all(p.name.startswith(TMP_PREFIX) for p in path.iterdir())
    return False


class Writer:
    """Stores results on ``threads`` threads; ``on_stored`` is called for each
    stored result in the calling thread (by :meth:`put` and :meth:`drain`),
    and the first error writing (a full disk) is raised there too. At most
    ``4 * threads`` results wait, so a slow disk slows the sweep rather than
    filling memory."""

    def __init__(
        self,
        store: RunStore,
        run_hash: str,
        on_stored: Callable[[Result], None],
        threads: int = 8,
    ):
        self.store, self.run_hash, self.on_stored = store, run_hash, on_stored
        self.limit = 4 * threads
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="sim-store")
        self._pending: dict[Future, Result] = {}

    def put(self, result: Result) -> None:
        self._harvest(block=len(self._pending) >= self.limit)
        self._pending[self._pool.submit(self.store.write, result, self.run_hash)] = result

    def drain(self) -> None:
        """Wait until every result given is stored (or failed to be)."""
        while self._pending:
            self._harvest(block=True)

    def close(self) -> None:
        self._pool.shutdown(wait=True)

    def _harvest(self, block: bool) -> None:
        if not self._pending:
            return
        if block:
            done, _ = wait(self._pending, return_when=FIRST_COMPLETED)
        else:
            done = [f for f in self._pending if f.done()]
        error = None
        for fut in sorted(done, key=lambda f: self._pending[f].task.run_id):
            result = self._pending.pop(fut)
            try:
                fut.result()
            except OSError as err:
                error = error or err
                continue
            self.on_stored(result)
        if error is not None:
            raise error


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
