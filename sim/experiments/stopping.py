"""Stopping a sweep: SIGTERM is handled as Ctrl-C, and once a sweep is
stopping, a second signal waits until its tables and manifest are written."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sim.errors import Terminated


@contextmanager
def terminated_as_interrupted() -> Iterator[None]:
    """SIGTERM (``kill PID``, a batch scheduler, ``timeout``) stops a sweep as
    Ctrl-C does: finished runs kept, manifest ``interrupted``. Only in the main
    thread, and only where SIGTERM is not handled already."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGTERM)
    if previous not in (signal.SIG_DFL, None):
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise Terminated()

    signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def hold_stops() -> dict[int, Any] | None:
    """Once a sweep is stopping, a second Ctrl-C (or SIGTERM) must not break the
    tables and manifest being written: hold both until they are (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        return None
    held = {}
    for sig in (signal.SIGINT, signal.SIGTERM):
        held[sig] = signal.getsignal(sig)
        signal.signal(sig, signal.SIG_IGN)
    return held


def release_stops(held: dict[int, Any] | None) -> None:
    for sig, handler in (held or {}).items():
        signal.signal(sig, handler if handler is not None else signal.SIG_DFL)
