"""Which source code made a run: a short hash of the model's source files.

A results folder must never mix runs of two versions of a model, so its
manifest records this hash and a resume with different source is refused.
"""

from __future__ import annotations

import hashlib
import inspect
import sys
from collections.abc import Iterable
from pathlib import Path

SKIPPED = ("experiments", "plots")  # parts of sim/ that are not the model


def builtin_fingerprint() -> str:
    """This package's model: ``sim/`` without the runner and the plots."""
    root = Path(__file__).resolve().parents[1]
    paths = [p for p in root.rglob("*.py") if p.relative_to(root).parts[0] not in SKIPPED]
    return _digest(root, paths)


def source_fingerprint(model_class: type) -> str:
    """Another Mesa model: every module of its top-level package (for Mesa's
    examples, all of Mesa, so a new Mesa counts as new code), or, for a module
    outside any package (a script, a file on ``PYTHONPATH``), the modules this
    process has loaded from the same folder (its agents, its helpers)."""
    top = sys.modules.get(model_class.__module__.split(".")[0])
    package = getattr(top, "__path__", None)
    if package:
        roots = [Path(p).resolve() for p in package]
        paths = [f for root in roots for f in root.rglob("*.py")]
        return _digest(roots[0].parent, paths)
    folder = Path(inspect.getfile(model_class)).resolve().parent
    loaded = {Path(f).resolve() for f in _files(list(sys.modules.values()))}
    return _digest(folder, [f for f in loaded if f.parent == folder])


def _files(modules: Iterable[object]) -> Iterable[str]:
    for module in modules:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            yield path


def _digest(base: Path, paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(set(paths)):
        digest.update(str(path.relative_to(base)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
