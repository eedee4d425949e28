"""Helpers for tests of whole sweeps: `sim run` in a process of its own (for
tests that kill, interrupt or terminate it), started in a new session (its
own process group, as a shell job is), with a wait until enough runs are on
disk; and the check that two results folders hold the same results."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

RUN_FLAGS = ["--workers", "2", "--quiet", "--no-plots"]
SLOW = """\
name: slow
months: 36
replications: 8
seed: 9
parameters: {scale: 0.3}
sweep:
  design: grid
  factors:
    failure_tolerance: [0.2, 0.8]
"""


def assert_same_results(a: Path, b: Path) -> None:
    """The same time series, byte for byte, and the same runs table but for wall times."""
    import pandas as pd

    import sim

    assert (a / "timeseries.parquet").read_bytes() == (b / "timeseries.parquet").read_bytes()
    ra, rb = sim.load_results(a).runs, sim.load_results(b).runs
    cols = [c for c in ra.columns if c != "wall_seconds"]
    pd.testing.assert_frame_equal(ra[cols], rb[cols])


def _default_sigint() -> None:
    """Ctrl-C as a terminal delivers it, even when this suite runs as a background
    job (a shell starts those with SIGINT ignored, and the ignoring is inherited)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start_sweep(
    path: Path, out: Path, *extra: str, runs_on_disk: int = 2, within: float = 120
) -> tuple[subprocess.Popen, list[str]]:
    """Start ``sim run PATH --out OUT`` (two workers, no bar, no plots, then
    ``extra``); return once ``runs_on_disk`` runs are stored (0: at once)."""
    cmd = [sys.executable, "-m", "sim", "run", str(path), "--out", str(out), *RUN_FLAGS, *extra]
    proc = subprocess.Popen(
        cmd,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=_default_sigint,
    )
    deadline = time.monotonic() + within
    while len(list((out / "runs").glob("*.json"))) < runs_on_disk:
        if proc.poll() is not None:
            if runs_on_disk and proc.returncode != 0:
                raise AssertionError(proc.stderr.read().decode())
            break  # finished already
        assert time.monotonic() < deadline, f"fewer than {runs_on_disk} runs within {within} s"
        time.sleep(0.002)
    return proc, cmd
