"""Which source code made a run: a short hash of the model's source files.

A results folder must never mix runs of two versions of a model, so its
manifest records this hash and a resume with different source is refused.
The files hashed depend only on the model, never on what a process happens
to have imported: this package's model is ``sim/`` without the runner and
the plots (and the lever catalogue as data, not as code); another Mesa model
is its whole top-level package, or, for a module outside any package, that
file and the modules and packages beside it that it imports (read from its
``import`` statements, wherever they are).
"""

from __future__ import annotations

import ast
import hashlib
import inspect
import sys
from collections.abc import Iterable
from pathlib import Path

# parts of sim/ that are not the model: the runner, the plots, the analyses, the command
# line, how numbers are written,
# and the catalogue's code (its values are hashed as data instead)
SKIPPED = (
    "experiments",
    "plots",
    "analysis",
    "cli.py",
    "errors.py",
    "catalogue_docs.py",
    "numbers.py",
    "__main__.py",
)
CATALOGUE = "levers.py"


def builtin_fingerprint() -> str:
    """This package's model: its code in ``sim/``, and every lever's type,
    default and range (a new error message is not a new model)."""
    import json

    from sim.levers import CATALOGUE as LEVERS

    root = Path(__file__).resolve().parents[1]
    skipped = (*SKIPPED, CATALOGUE)
    paths = [p for p in root.rglob("*.py") if p.relative_to(root).parts[0] not in skipped]
    fields = ("name", "kind", "type", "default", "min", "max", "choices", "schedulable")
    values = [{k: v for k, v in p.as_dict().items() if k in fields} for p in LEVERS]
    values = json.dumps(values, sort_keys=True, default=str)
    return _digest(root, paths, values.encode())


def model_files(model_class: type) -> tuple[Path, list[Path]]:
    """The folder the files are named from, and the files of another Mesa model."""
    top = sys.modules.get(model_class.__module__.split(".")[0])
    package = getattr(top, "__path__", None)
    if package:  # for Mesa's examples, all of Mesa: a new Mesa is new code
        roots = [Path(p).resolve() for p in package]
        return roots[0].parent, [f for root in roots for f in root.rglob("*.py")]
    start = Path(inspect.getfile(model_class)).resolve()
    return start.parent, sorted(_with_local_imports(start))


def source_fingerprint(model_class: type) -> str:
    """Another Mesa model's source, as the files are now."""
    return _digest(*model_files(model_class))


def _with_local_imports(start: Path) -> set[Path]:
    """``start`` and, transitively, the modules and packages beside it that it imports."""
    folder, seen, todo = start.parent, set(), [start]
    while todo:
        path = todo.pop()
        if path in seen or not path.is_file():
            continue
        seen.add(path)
        try:
            tree = ast.parse(path.read_bytes())
        except SyntaxError:
            continue
        for name in _imported(tree):
            top = name.split(".")[0]
            todo.append(folder / f"{top}.py")
            if (folder / top).is_dir():  # a package beside it: all of it
                seen |= set((folder / top).rglob("*.py"))
    return seen


def _imported(tree: ast.AST) -> Iterable[str]:
    for node in ast.walk(tree):  # also imports inside functions, run only when stepping
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module


def _digest(base: Path, paths: Iterable[Path], extra: bytes = b"") -> str:
    digest = hashlib.sha256(extra)
    for path in sorted(set(paths)):
        digest.update(str(path.relative_to(base)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
