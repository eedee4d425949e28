"""A script that starts a sweep must do so under ``if __name__ == "__main__":``.

Worker processes of the local pool import the script that started the sweep
(``forkserver`` and ``spawn`` both do), so an unguarded call at its top level
would start the sweep again in every worker. It is refused in the script's
own process before any worker starts, on one line naming the script and
line; a worker that meets such a call anyway ends quietly.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

GUARD = 'if __name__ == "__main__":'


def refuse_in_worker_start_up() -> None:
    """A worker process imports the script that started the sweep; a call at the
    top level of that script would start a sweep inside every worker. The
    worker ends quietly: the sweep's own process reports it, on one line."""
    import multiprocessing

    if getattr(multiprocessing.current_process(), "_inheriting", False):
        os._exit(1)


def refuse_unguarded_script() -> None:
    """Say on one line, before any worker starts, that a script calls
    ``run_experiment`` at its top level without the ``__main__`` guard (its
    workers, which import it, would each start the sweep again)."""
    import ast
    import sys

    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    if main is None or not path or not str(path).endswith(".py"):
        return  # interactive, a notebook, python -c
    frame = sys._getframe(1)
    line = None
    while frame is not None:
        if frame.f_globals is vars(main) and frame.f_code.co_name == "<module>":
            line = frame.f_lineno
        frame = frame.f_back
    if line is None:
        return
    try:
        tree = ast.parse(Path(path).read_bytes())
    except (OSError, SyntaxError, ValueError):
        return
    for node in ast.walk(tree):
        guarded = isinstance(node, ast.If) and _is_main_guard(node.test)
        if guarded and node.body[0].lineno <= line <= (node.body[-1].end_lineno or line):
            return
    print(
        f"{path}:{line}: sim.run_experiment is called at the top level of the script, and "
        f"its worker processes import the script; put the call under `{GUARD}`",
        file=sys.stderr,
    )
    raise SystemExit(2)


def _is_main_guard(test: Any) -> bool:
    import ast

    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return False
    sides = [test.left, *test.comparators]
    names = [s.id for s in sides if isinstance(s, ast.Name)]
    texts = [s.value for s in sides if isinstance(s, ast.Constant)]
    return isinstance(test.ops[0], ast.Eq) and names == ["__name__"] and texts == ["__main__"]
