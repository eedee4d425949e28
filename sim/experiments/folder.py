"""The results folder before the first run: can it be made here, and what a
failure to make it, or to write in it, means in words.

``sim run`` must either write a folder it can resume or write nothing, so an
``--out`` that cannot be a folder (below a file, through a dangling link,
under ``/proc``) is refused before anything is written, and what set-up
created is removed again when it fails before the first manifest.
"""

from __future__ import annotations

import errno
from contextlib import suppress
from pathlib import Path

from sim.errors import UserError


def check_writable_place(out: Path) -> None:
    """Refuse an ``--out`` that cannot be a folder we create or own: below a file,
    through a dangling link, in a read-only or special file system."""
    if out.is_symlink() and not out.exists():
        raise UserError(f"{out}: is a link to nothing; choose another --out")
    if out.exists() and not out.is_dir():
        raise UserError(f"{out}: exists and is not a folder; choose another --out")
    here = out.absolute()
    for parent in (here, *here.parents):
        if parent.is_symlink() and not parent.exists():
            raise UserError(f"{out}: {parent} is a link to nothing; choose another --out")
        if parent.exists():
            if not parent.is_dir():
                raise UserError(f"{out}: {parent} is a file, not a folder; choose another --out")
            break
    special = {"/proc", "/sys", "/dev"}
    if any(str(p) in special for p in (here, *here.parents)):
        raise UserError(f"{out}: is under a system folder; choose another --out")


def disk_problem(err: OSError, out: Path) -> str:
    what = {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is used up",
        errno.EROFS: "the folder is on a read-only file system",
        errno.EACCES: "writing is not permitted",
        errno.EPERM: "writing is not permitted",
    }.get(err.errno, err.strerror or type(err).__name__)
    return f"{out}: {what}"


def set_up(out: Path) -> list[Path]:
    """Create the results folder (and its parents); return what was created, so a
    failure before the first manifest can remove it and leave nothing behind."""
    created = [p for p in (out, *out.parents) if not p.exists()]
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        remove_created(created)
        raise UserError(f"{disk_problem(err, out)}; choose another --out") from None
    return created


def remove_created(created: list[Path]) -> None:
    for folder in created:  # deepest first
        for name in (".lock", "runs"):
            path = folder / name
            with suppress(OSError):
                path.rmdir() if path.is_dir() else path.unlink(missing_ok=True)
        with suppress(OSError):
            folder.rmdir()
