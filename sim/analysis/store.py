"""Where the analyses of a results folder are kept: ``DIR/analysis/*.json`` and CSV.

Each entry is stamped with the ``finished`` time of the runs it was computed
from, so a report drawn after ``sim run --fresh`` shows no indices or boxes
of runs that are gone. Entries are keyed (by outcome, or by condition), so
analysing another outcome adds to what is there and the same one replaces it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

FOLDER = "analysis"


def stamp(manifest: dict[str, Any]) -> str:
    return str(manifest.get("finished") or manifest.get("started") or "")


def save(root: Path, kind: str, key: str, entries: list[dict[str, Any]], manifest: dict) -> Path:
    """Merge ``entries`` (keyed by ``entry[key]``) into ``DIR/analysis/KIND.json``."""
    path = Path(root) / FOLDER / f"{kind}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    now = stamp(manifest)
    kept = [e for e in load(root, kind, manifest) if e.get(key) not in {x[key] for x in entries}]
    data = {"stamp": now, "entries": kept + entries}
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, indent=1, default=_plain, allow_nan=False), encoding="utf-8")
    os.replace(tmp, path)
    return path


def load(root: Path, kind: str, manifest: dict[str, Any]) -> list[dict[str, Any]]:
    """The entries of ``KIND.json`` computed from the folder's current runs."""
    path = Path(root) / FOLDER / f"{kind}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(data, dict) or data.get("stamp") != stamp(manifest):
        return []
    return [e for e in data.get("entries") or [] if isinstance(e, dict)]


def _plain(v: Any) -> Any:
    if hasattr(v, "item"):
        return v.item()
    if isinstance(v, (set, frozenset, tuple)):
        return list(v)
    raise TypeError(f"not JSON: {v!r}")
