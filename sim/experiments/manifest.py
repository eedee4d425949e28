"""``manifest.json``: what produced a results folder, so it can be trusted and redone.

It holds the scenario text after ``extends`` is resolved and its hash, the
package version and git commit, versions of Python, Mesa and NumPy, the
root seed, the design, start and end times, the host and counts of runs.
It is written when a sweep starts (``status: running``) and rewritten when
it ends, so a killed sweep still says what it was.
"""

from __future__ import annotations

import json
import platform
import socket
import subprocess
import sys
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from sim.experiments.store import atomic_write_json

FORMAT = 1


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def git_commit() -> str | None:
    """Commit of the package source when it is a git checkout (with ``-dirty``)."""
    here = Path(__file__).resolve().parent
    try:
        out = subprocess.run(
            ["git", "describe", "--always", "--dirty", "--abbrev=40"],
            cwd=here,
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def environment() -> dict[str, Any]:
    import sim

    return {
        "package": "startup-ecosystem-sim",
        "package_version": sim.__version__,
        "git_commit": git_commit(),
        "python": platform.python_version(),
        "mesa": _version("mesa"),
        "numpy": _version("numpy"),
        "pandas": _version("pandas"),
        "pyarrow": _version("pyarrow"),
        "host": socket.gethostname(),
        "platform": platform.platform(),
        "command": " ".join(sys.argv),
    }


def read(root: Path) -> dict[str, Any] | None:
    try:
        return json.loads((Path(root) / "manifest.json").read_text())
    except (OSError, ValueError):
        return None


def write(root: Path, manifest: dict[str, Any]) -> None:
    atomic_write_json(Path(root) / "manifest.json", manifest)
