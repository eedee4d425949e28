"""Fault injection: hostile scenario files, corrupt run files, kills and signals,
full and read-only disks. Each test reproduces one defect of issue 10 as a
user would meet it and checks the runner's answer: one line, the right exit
status, nothing lost, nothing run that should not run, no process left."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import psutil
import pytest
from sweep_helpers import SLOW, assert_same_results, start_sweep

import sim
from sim.cli import main
from sim.errors import UserError
from sim.experiments import store as store_module

ROOT = Path(__file__).resolve().parents[1]
QUICK = """\
name: quick
months: 4
replications: 3
seed: 5
parameters: {scale: 0.05}
sweep:
  design: grid
  factors:
    mentorship: [0.2, 0.7]
"""


def _write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def _run(path, out, workers=1, **kw):
    return sim.run_experiment(path, out=out, workers=workers, quiet=True, plots=False, **kw)


def _sim(*args: str, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sim", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
    )


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


# 1. naming a module runs no code at validate ---------------------------------


HOSTILE = """\
import pathlib
pathlib.Path("CANARY").write_text("imported")
import mesa

class Model(mesa.Model):
    def __init__(self, n=3, rng=None):
        super().__init__(rng=rng)
        self.n = n
        self.datacollector = mesa.DataCollector(model_reporters={"total": "n"})

    def step(self):
        self.datacollector.collect(self)
"""


def test_validate_imports_no_module_a_file_names_unless_asked(tmp_path):
    (tmp_path / "helpers.py").write_text(HOSTILE)
    _write(tmp_path, "name: hostile\nmodel: helpers:Model\nmonths: 2\nparameters: {n: 4}\n")
    done = _sim("validate", "s.yaml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "model not imported" in done.stdout and "sim validate --import" in done.stdout
    assert not (tmp_path / "CANARY").exists(), "validate ran the module's code"
    asked = _sim("validate", "--import", "s.yaml", cwd=tmp_path)
    assert asked.returncode == 0 and "not imported" not in asked.stdout, asked.stderr
    assert (tmp_path / "CANARY").read_text() == "imported"  # the flag does import


def test_validate_without_import_still_refuses_what_it_can_see(tmp_path):
    (tmp_path / "helpers.py").write_text(HOSTILE)
    _write(tmp_path, "name: hostile\nmodel: helpers:Model\nmonths: 0\n")
    done = _sim("validate", "s.yaml", cwd=tmp_path)
    assert done.returncode == 2 and ": months: " in _one_line(done.stderr)
    assert not (tmp_path / "CANARY").exists()


@pytest.mark.parametrize(
    "ref, problem",
    [
        ("venv.__main__:X", "entry point"),
        ("antigravity:X", "standard library"),
        ("this:X", "standard library"),
        ("os:system", "standard library"),
        ("builtins:eval", "standard library"),
        ("helpers._inner:X", "private name"),
        ("helpers:_X", "private name"),
    ],
)
def test_refused_model_names_run_nothing(tmp_path, ref, problem):
    (tmp_path / "helpers.py").write_text(HOSTILE)
    _write(tmp_path, f"name: x\nmodel: '{ref}'\n")
    for command in (["validate", "s.yaml"], ["run", "s.yaml", "--quiet", "--no-plots"]):
        done = _sim(*command, cwd=tmp_path)
        assert done.returncode == 2 and done.stdout == ""
        line = _one_line(done.stderr)
        assert line.startswith("s.yaml:2: model: ") and problem in line, line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["helpers.py", "s.yaml"]


def test_this_packages_model_by_its_package_name_runs(tmp_path):
    path = _write(
        tmp_path, "name: alias\nmodel: sim:StartupEcosystem\nmonths: 2\nparameters: {scale: 0.05}\n"
    )
    res = _run(path, tmp_path / "out")
    assert res.n_done == 1 and "jobs" in res.runs.columns


# 2. corrupt per-run files -----------------------------------------------------


def _corrupt(runs: Path, other: Path) -> dict[str, str]:
    names = sorted(p.stem for p in runs.glob("*.json"))
    (runs / f"{names[0]}.arrow").write_bytes(b"")  # 0 bytes
    data = (runs / f"{names[1]}.arrow").read_bytes()
    (runs / f"{names[1]}.arrow").write_bytes(data[: len(data) // 2])  # truncated
    (runs / f"{names[2]}.arrow").write_bytes(os.urandom(4096))  # garbage
    (runs / f"{names[3]}.json").write_text('{"status": "done"}')  # a record of nothing
    shutil.copy(other / f"{names[4]}.arrow", runs / f"{names[4]}.arrow")  # another scenario's
    (runs / f"{names[5]}.json").write_text("[")  # unreadable
    return dict(zip(names, ["empty", "truncated", "garbage", "bare", "other", "json"], strict=True))


def test_corrupt_run_files_are_redone_and_the_result_matches_an_intact_sweep(tmp_path, capsys):
    path = _write(tmp_path, QUICK)
    _run(path, tmp_path / "intact")
    shorter = _write(tmp_path, QUICK.replace("months: 4", "months: 2"), "short.yaml")
    _run(shorter, tmp_path / "short")
    out = tmp_path / "out"
    _run(path, out)
    _corrupt(out / "runs", tmp_path / "short/runs")
    capsys.readouterr()
    assert (
        main(["run", str(path), "--out", str(out), "--quiet", "--no-plots", "--workers", "1"]) == 0
    )
    err = capsys.readouterr().err
    warning = [line for line in err.splitlines() if line.startswith("warning:")]
    assert len(warning) == 1 and "6 stored run(s) cannot be trusted and run again" in warning[0]
    resumed = sim.load_results(out)
    assert resumed.manifest["runs_executed"] == 6 and resumed.manifest["status"] == "complete"
    assert_same_results(out, tmp_path / "intact")


def test_a_run_file_of_another_scenario_is_never_accepted(tmp_path):
    """Same run names, same months: only the run hash in each record tells them apart."""
    a = _write(tmp_path, QUICK, "a.yaml")
    b = _write(
        tmp_path,
        QUICK.replace("name: quick", "name: other").replace("seed: 5", "seed: 6"),
        "b.yaml",
    )
    _run(a, tmp_path / "a")
    res_b = _run(b, tmp_path / "b")
    reference = res_b.timeseries
    for f in (tmp_path / "a/runs").iterdir():
        if f.name.startswith("p000000"):
            shutil.copy(f, tmp_path / "b/runs" / f.name)  # runs of A land in B's folder
    again = _run(b, tmp_path / "b")
    assert again.manifest["runs_executed"] == 3
    pd.testing.assert_frame_equal(again.timeseries, reference)


def test_each_file_and_its_folder_are_flushed_before_and_after_the_rename(tmp_path, monkeypatch):
    calls: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd):
        calls.append("fsync-dir" if os.path.isdir(f"/proc/self/fd/{fd}") else "fsync-file")
        real_fsync(fd)

    def replace(a, b):
        calls.append("rename")
        real_replace(a, b)

    monkeypatch.setattr(store_module.os, "fsync", fsync)
    monkeypatch.setattr(store_module.os, "replace", replace)
    store_module.atomic_write_bytes(tmp_path / "x.bin", b"data")
    assert calls == ["fsync-file", "rename", "fsync-dir"]
    assert (tmp_path / "x.bin").read_bytes() == b"data"


# 3. a folder stopped before its first manifest ------------------------------


def test_a_folder_left_by_a_start_that_was_killed_is_taken_over(tmp_path):
    out = tmp_path / "out"
    (out / "runs").mkdir(parents=True)
    (out / ".lock").touch()
    (out / ".tmp-manifest.json.12345").write_text('{"half": ')
    (out / "runs/.tmp-p000000-r0000.arrow.12345").write_bytes(b"ARROW")
    path = _write(tmp_path, QUICK)
    assert _run(path, out).n_done == 6
    assert not list(out.glob(".tmp-*")) and not list((out / "runs").glob(".tmp-*"))
    # and --fresh, on the same kind of leftovers
    shutil.rmtree(out)
    (out / "runs").mkdir(parents=True)
    (out / ".lock").touch()
    assert _run(path, out, fresh=True).n_done == 6


def test_kill_9_in_the_set_up_window_then_the_same_command_resumes(tmp_path):
    """A real SIGKILL at the moment the first manifest would be written."""
    path = _write(tmp_path, QUICK)
    out = tmp_path / "out"
    code = (
        "import os, signal\n"
        "import sim.experiments.manifest as mf\n"
        "mf.write = lambda *a: os.kill(os.getpid(), signal.SIGKILL)\n"
        "from sim.cli import main\n"
        f"main(['run', {str(path)!r}, '--out', {str(out)!r}, '--quiet', '--no-plots'])\n"
    )
    killed = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120)
    assert killed.returncode == -signal.SIGKILL
    assert out.is_dir() and not (out / "manifest.json").exists()
    done = _sim("run", str(path), "--out", str(out), "--quiet", "--no-plots")
    assert done.returncode == 0, done.stderr
    assert sim.load_results(out).n_done == 6


# 4. orphaned workers and signals ---------------------------------------------


def _start(tmp_path: Path) -> tuple[subprocess.Popen, Path, list[str]]:
    out = tmp_path / "slow"
    proc, cmd = start_sweep(_write(tmp_path, SLOW, "slow.yaml"), out)
    return proc, out, cmd


def _tree(pid: int) -> list[psutil.Process]:
    return psutil.Process(pid).children(recursive=True)


def _reap_all(procs: list[psutil.Process]) -> None:
    for p in procs:  # only if the test failed: never leave them running
        with contextlib.suppress(psutil.Error):
            p.kill()


def test_kill_9_of_the_parent_alone_leaves_no_worker_and_no_late_run(tmp_path):
    proc, out, cmd = _start(tmp_path)
    children = _tree(proc.pid)
    assert len(children) >= 3  # the forkserver, its workers, the resource tracker
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    _, alive = psutil.wait_procs(children, timeout=5)
    _reap_all(alive)
    assert not alive, f"processes outlived their parent: {alive}"
    stored = sorted(p.name for p in (out / "runs").iterdir())
    time.sleep(1.5)  # longer than a run: a surviving worker would have stored one
    assert sorted(p.name for p in (out / "runs").iterdir()) == stored
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    assert sim.load_results(out).n_done == 16


def test_sigterm_is_handled_like_ctrl_c(tmp_path):
    proc, out, cmd = _start(tmp_path)
    children = _tree(proc.pid)
    os.kill(proc.pid, signal.SIGTERM)  # `kill PID`, a batch scheduler, `timeout`
    assert proc.wait(timeout=30) == 143
    err = proc.stderr.read().decode()
    assert "Traceback" not in err, err
    assert err.strip().splitlines()[-1].startswith("terminated: finished runs are kept in")
    _, alive = psutil.wait_procs(children, timeout=5)
    _reap_all(alive)
    assert not alive
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "interrupted"
    assert len(list((out / "runs").glob("*.json"))) == manifest["runs_done"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr


def test_ctrl_c_to_the_whole_group_prints_no_worker_traceback(tmp_path):
    proc, out, _ = _start(tmp_path)
    os.killpg(proc.pid, signal.SIGINT)
    assert proc.wait(timeout=30) == 130
    err = proc.stderr.read().decode()
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err


MANY = """\
name: many
months: 2
replications: 150
parameters: {scale: 0.05}
"""


def test_ctrl_c_during_table_assembly_prints_no_worker_traceback(tmp_path):
    """Keys pressed while the tables are being assembled, after the last run."""
    proc, _ = start_sweep(_write(tmp_path, MANY, "many.yaml"), tmp_path / "many", runs_on_disk=150)
    for _ in range(5):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGINT)
        time.sleep(0.02)
    proc.wait(timeout=60)
    err = proc.stderr.read().decode()
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err


def test_ctrl_c_while_workers_start_leaves_no_process(tmp_path):
    proc, _ = start_sweep(_write(tmp_path, SLOW, "slow.yaml"), tmp_path / "o", runs_on_disk=0)
    deadline = time.monotonic() + 30
    while len(_tree(proc.pid)) < 4 and time.monotonic() < deadline:  # server, tracker, workers
        time.sleep(0.005)
    children = _tree(proc.pid)
    os.kill(proc.pid, signal.SIGINT)
    assert proc.wait(timeout=30) == 130
    _, alive = psutil.wait_procs(children, timeout=5)
    _reap_all(alive)
    assert not alive, f"processes outlived their parent: {alive}"


# 5. resource limits -----------------------------------------------------------


def test_a_fifo_a_device_and_a_huge_sparse_file_are_refused_at_once(tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    sparse = tmp_path / "sparse.yaml"
    with open(sparse, "wb") as fh:
        fh.truncate(1 << 30)  # 1 GiB, no blocks
    for target, problem in (
        (fifo, "named pipe"),
        ("/dev/zero", "character device"),
        (sparse, "larger than 1,000,000 bytes"),
        (tmp_path, "a folder"),
    ):
        started = time.monotonic()
        done = _sim("validate", str(target), timeout=30)
        assert done.returncode == 2
        line = _one_line(done.stderr)
        assert line.startswith(f"{target}") and ": file: " in line and problem in line, line
        assert time.monotonic() - started < 20


def test_an_aliased_long_string_is_counted_in_bytes(tmp_path):
    """410 KB of file, 25 MB once expanded: refused before anything runs."""
    big = "x" * 100_000
    text = f'name: amp\ndescription: &s "{big}"\ntags: [{", ".join(["*s"] * 250)}]\n'
    path = _write(tmp_path, text)
    started = time.monotonic()
    with pytest.raises(UserError, match="more than 1,000,000 bytes of text"):
        _run(path, tmp_path / "out")
    assert time.monotonic() - started < 10 and not (tmp_path / "out").exists()


# 6. one line instead of a traceback ------------------------------------------


@pytest.mark.parametrize("where", ["below_a_file", "dangling_link", "proc"])
def test_an_out_folder_that_cannot_be_is_one_line(tmp_path, where):
    path = _write(tmp_path, QUICK)
    if where == "below_a_file":
        (tmp_path / "afile").write_text("x")
        out = tmp_path / "afile/sub"
    elif where == "dangling_link":
        out = tmp_path / "link"
        out.symlink_to(tmp_path / "nowhere")
    else:
        out = Path("/proc/sim-results")
    done = _sim("run", str(path), "--out", str(out), "--quiet", "--no-plots")
    assert done.returncode == 2
    line = _one_line(done.stderr)
    assert line.startswith(f"error: {out}: ") and "choose another --out" in line, line
    assert not (tmp_path / "nowhere").exists()


@pytest.mark.parametrize("content", ["[1, 2, 3]", "not json {", '{"name": "x"}'])
def test_a_manifest_not_written_by_us_is_one_line_and_nothing_is_cleared(tmp_path, content):
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_text(content)
    (out / "runs").mkdir()
    (out / "runs/notes.json").write_text("keep")
    (out / "runs.parquet").write_text("keep")
    path = _write(tmp_path, QUICK)
    for fresh in ([], ["--fresh"]):
        done = _sim("run", str(path), "--out", str(out), "--quiet", "--no-plots", *fresh)
        assert done.returncode == 2
        line = _one_line(done.stderr)
        assert "not a manifest written by 'sim run'" in line, line
    assert (out / "runs/notes.json").read_text() == "keep"
    assert (out / "runs.parquet").read_text() == "keep"
    with pytest.raises(UserError, match="not a manifest written by 'sim run'"):
        sim.load_results(out)


def test_fresh_clears_only_the_files_the_tool_wrote(tmp_path):
    path = _write(tmp_path, QUICK)
    out = tmp_path / "out"
    _run(path, out)
    (out / "runs/my-notes.json").write_text("keep")
    assert _run(path, out, fresh=True).manifest["runs_executed"] == 6
    assert (out / "runs/my-notes.json").read_text() == "keep"


def _enospc_after(monkeypatch, n: int) -> None:
    real = store_module.atomic_write_bytes
    seen = {"n": 0}

    def write(path, data, **kw):
        if path.parent.name == "runs":
            seen["n"] += 1
            if seen["n"] > n:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        real(path, data, **kw)

    monkeypatch.setattr(store_module, "atomic_write_bytes", write)


def test_a_full_disk_mid_sweep_is_one_line_exit_1_and_the_manifest_says_so(
    tmp_path, monkeypatch, capsys
):
    path = _write(tmp_path, QUICK)
    out = tmp_path / "out"
    _enospc_after(monkeypatch, 4)  # two runs (table and record each) fit
    assert (
        main(["run", str(path), "--out", str(out), "--quiet", "--no-plots", "--workers", "1"]) == 1
    )
    line = _one_line(capsys.readouterr().err)
    assert line.startswith(f"error: {out}: the disk is full") and "resume" in line, line
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "error" and "disk is full" in manifest["error"]
    stored = len(list((out / "runs").glob("*.json")))
    assert 1 <= manifest["runs_done"] == stored <= 2
    monkeypatch.undo()
    assert main(["run", str(path), "--out", str(out), "--quiet", "--no-plots"]) == 0
    assert sim.load_results(out).manifest["runs_executed"] == 6 - stored


@pytest.fixture
def small_tmpfs(tmp_path):
    """A 1 MB tmpfs, where this machine lets the tests mount one (root on Linux)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if not sys.platform.startswith("linux") or os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("needs root on Linux to mount a small tmpfs; run the suite as root to test")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip()}); needs CAP_SYS_ADMIN")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_really_full_disk_is_one_line_and_resumes_elsewhere_free(tmp_path, small_tmpfs):
    path = _write(
        tmp_path,
        QUICK.replace("replications: 3", "replications: 40").replace("months: 4", "months: 24"),
    )
    out = small_tmpfs / "out"
    done = _sim("run", str(path), "--out", str(out), "--quiet", "--no-plots", "--workers", "2")
    assert done.returncode == 1, done.stderr
    line = _one_line(done.stderr)
    assert "the disk is full" in line and "resume" in line, line
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "error"
    assert not list((out / "runs").glob(".tmp-*")), "a half-written file was left"


def test_a_read_only_folder_is_one_line_and_nothing_is_written(tmp_path, small_tmpfs):
    subprocess.run(["mount", "-o", "remount,ro", str(small_tmpfs)], check=True)
    path = _write(tmp_path, QUICK)
    done = _sim("run", str(path), "--out", str(small_tmpfs / "out"), "--quiet", "--no-plots")
    assert done.returncode == 2
    line = _one_line(done.stderr)
    assert "read-only file system" in line and "choose another --out" in line, line
    assert list(small_tmpfs.iterdir()) == []


def test_a_folder_made_read_only_mid_sweep_says_so(tmp_path, monkeypatch, capsys):
    path = _write(tmp_path, QUICK)
    out = tmp_path / "out"
    real = store_module.atomic_write_bytes

    def write(p, data, **kw):
        if p.parent.name == "runs" and len(list(p.parent.glob("*.json"))) >= 1:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(p))
        real(p, data, **kw)

    monkeypatch.setattr(store_module, "atomic_write_bytes", write)
    assert (
        main(["run", str(path), "--out", str(out), "--quiet", "--no-plots", "--workers", "1"]) == 1
    )
    line = _one_line(capsys.readouterr().err)
    assert "read-only file system" in line, line
    assert json.loads((out / "manifest.json").read_text())["status"] == "error"


def test_error_lines_are_cut_to_a_readable_length(tmp_path, capsys):
    path = _write(tmp_path, f"name: long\nlevers:\n  registration_cost: '{'x' * 500_000}'\n")
    assert main(["validate", str(path)]) == 2
    line = _one_line(capsys.readouterr().err)
    assert len(line) <= 400 and line.startswith(f"{path}:3: levers.registration_cost: ")


# 7. smaller ones ---------------------------------------------------------------


def test_schedule_months_that_would_collapse_are_refused():
    with pytest.raises(UserError, match="has spaces around it"):
        _run(
            {"name": "x", "levers": {"makerspace_subsidy_rate": {"2015-01": 1, " 2015-01": 2}}},
            None,
        )


# 8. the Python API gives the CLI's one-line errors -----------------------------


def test_workers_zero_is_refused_alike_in_python_and_on_the_command_line(tmp_path, capsys):
    path = _write(tmp_path, QUICK)
    with pytest.raises(UserError, match="--workers: 0 is too small"):
        _run(path, tmp_path / "out", workers=0)
    assert main(["run", str(path), "--workers", "0", "--quiet", "--no-plots"]) == 2
    assert "--workers: 0 is too small" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_numpy_integers_are_whole_numbers_for_months_and_seed(tmp_path):
    spec = {
        "name": "np",
        "months": np.int64(2),
        "seed": np.int32(3),
        "replications": np.int64(2),
        "parameters": {"scale": np.float64(0.05)},
    }
    res = _run(spec, tmp_path / "out")
    assert res.n_done == 2 and res.manifest["months"] == 2 and res.manifest["seed_root"] == 3


@pytest.mark.parametrize(
    "kw, problem",
    [
        ({"months": 0}, "months: 0 is out of range"),
        ({"seed": -1}, "seed: -1 is out of range"),
        ({"seed": 1.9}, "seed: expected a whole number, got 1.9"),
        ({"months": 2.7}, "months: expected a whole number, got 2.7"),
    ],
)
def test_evaluate_refuses_what_a_scenario_file_refuses(kw, problem):
    with pytest.raises(UserError, match=problem):
        sim.evaluate({"scale": 0.05}, **{"seed": 1, "months": 2, **kw})


def test_evaluate_takes_numpy_integers():
    a = sim.evaluate({"scale": 0.05}, seed=np.int64(4), months=np.int64(2))
    assert pd.Series(a).equals(pd.Series(sim.evaluate({"scale": 0.05}, seed=4, months=2)))


def test_run_experiment_of_nothing_is_a_user_error():
    with pytest.raises(UserError, match="expected a scenario file path, a dict or a Scenario"):
        sim.run_experiment(None)
