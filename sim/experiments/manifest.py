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
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.errors import UserError
from sim.experiments.store import atomic_write_json

if TYPE_CHECKING:
    from sim.experiments.runner import Plan

FORMAT = 2  # 2: each run's JSON holds the run hash and its table's size and SHA-256
GENERATOR = "startup-ecosystem-sim"  # marks a manifest this tool wrote (--fresh clears only those)


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


def model_fingerprint(model_class: type | None = None) -> str:
    """The hash of the model's source now (see :mod:`sim.experiments.fingerprint`)."""
    from sim.experiments.fingerprint import builtin_fingerprint, source_fingerprint

    return builtin_fingerprint() if model_class is None else source_fingerprint(model_class)


def environment(model_class: type | None = None) -> dict[str, Any]:
    import sim

    return {
        "package": "startup-ecosystem-sim",
        "package_version": sim.__version__,
        "git_commit": git_commit(),
        "model_fingerprint": model_fingerprint(model_class),
        "python": platform.python_version(),
        "mesa": _version("mesa"),
        "numpy": _version("numpy"),
        "pandas": _version("pandas"),
        "pyarrow": _version("pyarrow"),
        "host": socket.gethostname(),
        "platform": platform.platform(),
        "command": " ".join(sys.argv),
    }


def is_ours(manifest: Any) -> bool:
    """A manifest this tool wrote (format 1 had no generator key, but its environment says)."""
    if not isinstance(manifest, dict):
        return False
    if manifest.get("generator") == GENERATOR:
        return True
    env = manifest.get("environment")
    return manifest.get("format") == 1 and isinstance(env, dict) and env.get("package") == GENERATOR


def read(root: Path) -> dict[str, Any] | None:
    """The folder's manifest; None when it has none. A ``manifest.json`` this tool
    did not write (garbage, a JSON list, someone else's) is a one-line error: the
    folder is not ours to resume or clear."""
    path = Path(root) / "manifest.json"
    try:
        text = path.read_text()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as err:
        raise UserError(f"{path}: cannot be read ({err}); choose another --out") from None
    try:
        manifest = json.loads(text)
    except (ValueError, RecursionError):
        manifest = None
    if not is_ours(manifest):
        raise UserError(
            f"{path}: not a manifest written by 'sim run' (expected a JSON object with "
            f"generator '{GENERATOR}'); choose another --out, or remove the folder yourself"
        )
    return manifest


def write(root: Path, manifest: dict[str, Any]) -> None:
    atomic_write_json(Path(root) / "manifest.json", manifest)


def build(plan: Plan, previous: dict | None, workers: int, resumed: int) -> dict[str, Any]:
    """The manifest of a sweep that starts now (``previous``: the folder's last one)."""
    s, loaded = plan.scenario, plan.loaded
    history = list(previous.get("history", [])) if previous else []
    history.append({"started": now(), "workers": workers, "runs_on_disk": resumed})
    return {
        "format": FORMAT,
        "generator": GENERATOR,
        "name": s.name,
        "description": s.description,
        "status": "running",
        "scenario_file": loaded.source,
        "scenario": loaded.plain(),
        "scenario_text": loaded.text,
        "scenario_hash": loaded.hash,
        "run_hash": loaded.run_hash,
        "seed_root": s.seed,
        "seed_scheme": "numpy.random.SeedSequence(root, spawn_key=(point, replication))",
        "start": s.start,
        "months": s.months,
        "replications": s.replications,
        "points": len(plan.design),
        "runs_total": plan.n_runs,
        "runs_done": resumed,
        "runs_failed": 0,
        "design": {
            "kind": plan.design.kind,
            "factors": list(plan.design.factors),
            "problem": plan.design.problem,
            **plan.design.info,
        },
        "factor_types": plan.design.column_types(),
        "outputs": list(s.kept_outputs),
        "plots": s.plots,
        "simulate": plan.simulate if isinstance(plan.simulate, str) else _qualname(plan.simulate),
        "model": s.spec.label,
        # another Mesa model's parameters and defaults, for the report (read without importing it)
        "model_parameters": (
            None if s.spec.builtin else {n: p.default for n, p in s.spec.parameters.items()}
        ),
        "workers": workers,
        "started": (previous or {}).get("started") or history[-1]["started"],
        "finished": None,
        "history": history,
        "environment": environment(s.spec.model_class),
    }


def _qualname(fn: Callable) -> str:
    return f"{getattr(fn, '__module__', '?')}:{getattr(fn, '__qualname__', repr(fn))}"


def warn_if_code_changed(previous: dict[str, Any], current: dict[str, Any], kept: int) -> None:
    """Resume only runs made by the same model: refuse when the model's source
    differs (its runs would mix two models); warn when only other code changed."""
    old, new = previous.get("environment", {}), current["environment"]
    before, now = old.get("model_fingerprint"), new.get("model_fingerprint")
    if before != now:
        raise UserError(
            f"{kept} runs on disk were made by another version of the model "
            f"(fingerprint {before or 'unknown'}, now {now}); pass --fresh to run them again"
        )
    for key in ("git_commit", "package_version"):
        if old.get(key) and new.get(key) and old[key] != new[key]:
            print(
                f"warning: {kept} runs on disk were made with {key} {old[key]} (now {new[key]}); "
                "the model is unchanged, so they are kept",
                file=sys.stderr,
            )
            return
