"""Sweeps through the executor interface: the local pool, a Dask LocalCluster
(on loopback only), and any concurrent.futures executor. The guarantees of
issue 13, each tested: identical results whatever the executor and the
number of workers, a killed worker's runs retried, a killed driver resumed,
an unreachable scheduler refused in one line within a bounded time."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil
import pytest
from sweep_helpers import SLOW, assert_same_results, start_sweep

import sim
from sim.errors import UserError

distributed = pytest.importorskip(
    "distributed",
    reason="Dask is the 'cluster' extra: pip install -e '.[cluster]' (make test does)",
)

SWEEP = """\
name: cluster
months: 8
replications: 3
seed: 11
parameters: {scale: 0.1}
sweep:
  design: grid
  factors:
    mentorship: [0.2, 0.5, 0.8]
"""


def _run(path, out, **kw):
    return sim.run_experiment(path, out=out, quiet=True, plots=False, **kw)


def test_results_are_identical_across_executors_and_worker_counts(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(SWEEP)
    one = _run(path, tmp_path / "local1", workers=1)
    _run(path, tmp_path / "local2", workers=2)
    dask = _run(path, tmp_path / "dask2", workers=2, executor="dask")
    assert one.n_done == dask.n_done == 9
    assert dask.manifest["executor"] == "dask LocalCluster on 127.0.0.1, 2 worker(s)"
    for other in ("local2", "dask2"):
        assert_same_results(tmp_path / "local1", tmp_path / other)


def test_any_concurrent_futures_executor_is_used_as_it_is(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(SWEEP)
    _run(path, tmp_path / "ref", workers=1)
    with ThreadPoolExecutor(max_workers=2) as pool:
        res = _run(path, tmp_path / "threads", executor=pool)
        assert pool.submit(int, "7").result() == 7  # ours to shut down, not the runner's
    assert res.manifest["executor"] == "ThreadPoolExecutor"
    assert_same_results(tmp_path / "ref", tmp_path / "threads")
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=1, host="127.0.0.1", dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        _run(path, tmp_path / "client", executor=client)
        assert client.submit(int, "8").result() == 8
    assert_same_results(tmp_path / "ref", tmp_path / "client")


def test_an_unreachable_scheduler_is_one_line_in_bounded_time(tmp_path):
    with socket.socket() as s:  # a loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    path = tmp_path / "s.yaml"
    path.write_text(SWEEP)
    out = tmp_path / "out"
    env = {**os.environ, "SIM_DASK_CONNECT_TIMEOUT": "3"}
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "sim", "run", str(path), "--out", str(out)]
        + ["--scheduler", f"tcp://127.0.0.1:{port}", "--quiet", "--no-plots"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    took = time.monotonic() - started
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"error: --scheduler tcp://127.0.0.1:{port}: no Dask scheduler")
    assert took < 30, f"took {took:.1f} s"
    assert not out.exists()


def test_scheduler_needs_dask():
    with pytest.raises(UserError, match="--scheduler: only with --executor dask"):
        from sim.experiments.engines import open_engine

        open_engine("local", 2, scheduler="tcp://127.0.0.1:1")


def _start(tmp_path: Path, *extra: str) -> tuple[subprocess.Popen, Path, list[str]]:
    path = tmp_path / "slow.yaml"
    path.write_text(SLOW)
    out = tmp_path / "slow"
    proc, cmd = start_sweep(path, out, *extra)
    return proc, out, cmd


def _workers(pid: int) -> list[psutil.Process]:
    kids = psutil.Process(pid).children(recursive=True)
    return [k for k in kids if "resource_tracker" not in " ".join(k.cmdline())]


def _reference(tmp_path: Path) -> Path:
    ref = tmp_path / "ref"
    _run(tmp_path / "slow.yaml", ref, workers=2)
    return ref


def test_a_dask_worker_killed_mid_sweep_has_its_runs_retried(tmp_path):
    proc, out, _ = _start(tmp_path, "--executor", "dask")
    victims = _workers(proc.pid)
    assert len(victims) == 2, victims
    victims[0].kill()  # SIGKILL: no goodbye to the scheduler
    assert proc.wait(timeout=240) == 0, proc.stderr.read().decode()
    res = sim.load_results(out)
    assert res.manifest["status"] == "complete" and res.n_done == 16
    assert res.runs["run_id"].is_unique and len(res.runs) == 16
    assert_same_results(_reference(tmp_path), out)


def test_the_dask_driver_killed_mid_sweep_resumes_and_leaves_no_worker(tmp_path):
    proc, out, cmd = _start(tmp_path, "--executor", "dask")
    children = psutil.Process(proc.pid).children(recursive=True)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    _, alive = psutil.wait_procs(children, timeout=10)
    for p in alive:
        with contextlib.suppress(psutil.Error):
            p.kill()
    assert not alive, f"processes outlived the driver: {alive}"
    assert json.loads((out / "manifest.json").read_text())["status"] == "running"
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr
    resumed = sim.load_results(out)
    assert resumed.manifest["history"][-1]["runs_on_disk"] >= 2
    assert resumed.manifest["runs_executed"] == 16 - resumed.manifest["history"][-1]["runs_on_disk"]
    assert_same_results(_reference(tmp_path), out)


def test_sigterm_stops_a_dask_sweep_like_ctrl_c(tmp_path):
    proc, out, _ = _start(tmp_path, "--executor", "dask")
    children = psutil.Process(proc.pid).children(recursive=True)
    os.kill(proc.pid, signal.SIGTERM)
    assert proc.wait(timeout=60) == 143
    err = proc.stderr.read().decode()
    assert err.strip().splitlines()[-1].startswith("terminated: finished runs are kept"), err
    _, alive = psutil.wait_procs(children, timeout=10)
    for p in alive:
        with contextlib.suppress(psutil.Error):
            p.kill()
    assert not alive
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "interrupted"
    assert len(list((out / "runs").glob("*.json"))) == manifest["runs_done"]


def test_a_run_that_kills_every_dask_worker_it_meets_is_recorded_as_failed(tmp_path, monkeypatch):
    """Dask retries a run whose worker died; one that kills each worker it is
    given is given up (KilledWorker), run again alone, and recorded; runs that
    shared a dying worker with it (Dask blames them too) finish."""
    import dask
    from runner_models import dying_simulate

    here = str(Path(__file__).resolve().parent)  # the spawned workers import runner_models
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([here, os.environ.get("PYTHONPATH", "")]))
    allowed = dask.config.set({"distributed.scheduler.allowed-failures": 1})  # fewer restarts
    spec = {
        "name": "dying",
        "months": 3,
        "replications": 2,
        "parameters": {"scale": 0.05},
        "sweep": {"design": "grid", "factors": {"mentorship": [0.3, 0.6]}},
    }
    with allowed:
        res = _run(spec, tmp_path / "out", workers=2, executor="dask", simulate=dying_simulate)
    runs = res.runs
    dead = runs[runs["status"] == "failed"]
    assert sorted(dead["mentorship"]) == [0.3, 0.3]
    assert dead["error"].str.contains("worker process died").all()
    assert dead["error"].str.contains("KilledWorker").all()
    assert (runs.loc[runs["mentorship"] == 0.6, "status"] == "done").all() and len(runs) == 4


class _Gone:
    """A Dask future and its client as ``_settle`` sees them, when fetching fails."""

    def __init__(self, error: BaseException | None, status: str = "error"):
        self.error, self.status = error, status

    async def gather(self, future, asynchronous=None):
        assert asynchronous is True
        if self.error is not None:
            raise self.error
        return 42


def test_every_dask_future_handed_out_ends_done():
    """distributed's ClientExecutor leaves its future pending for good when a run
    that finished loses its result with its worker and is then given up before
    the result is fetched (fetching raises): the runner waited on it for ever."""
    import asyncio
    from concurrent.futures import Future

    from sim.experiments.dask_engine import _settle

    killed = distributed.KilledWorker("execute-1", None, 1)
    for client, outcome in [
        (_Gone(None, "finished"), 42),
        (_Gone(killed, "error"), killed),  # given up while its result was being fetched
        (_Gone(RuntimeError("lost"), "lost"), RuntimeError),
    ]:
        cf = Future()
        asyncio.run(_settle(client, client, cf))
        assert cf.done()
        if outcome == 42:
            assert cf.result() == 42
        elif outcome is RuntimeError:
            assert isinstance(cf.exception(), RuntimeError)
        else:
            assert cf.exception() is killed
    cancelled = _Gone(
        distributed.client.FutureCancelledError("execute-2", "cancelled"), "cancelled"
    )
    cf = Future()
    asyncio.run(_settle(cancelled, cancelled, cf))
    assert cf.cancelled()


def test_a_sweep_with_no_dask_worker_stops_in_bounded_time(tmp_path, monkeypatch):
    """Runs handed to a scheduler with no worker would wait for one for ever:
    the sweep stops, resumable, once there has been none for the timeout."""
    from sim.errors import RunError
    from sim.experiments.dask_engine import DaskEngine

    monkeypatch.setenv("SIM_DASK_NO_WORKER_TIMEOUT", "2")
    monkeypatch.setattr(DaskEngine, "poll", 0.5)
    path = tmp_path / "s.yaml"
    path.write_text(SWEEP)
    with (
        distributed.LocalCluster(n_workers=0, host="127.0.0.1", dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
    ):
        started = time.monotonic()
        with pytest.raises(RunError, match="no Dask worker for 2 s"):
            _run(path, tmp_path / "out", executor=client)
        assert time.monotonic() - started < 30
        assert client.submit(int, "9").key  # the caller's client: still open
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["status"] == "error" and "no Dask worker" in manifest["error"]
    assert manifest["executor"].startswith("dask Client of tcp://127.0.0.1:")


def test_a_nanny_of_our_cluster_that_closed_is_started_again():
    """A LocalCluster does not replace a nanny that closed; the engine does, and
    leaves the cluster's nannies alone while they restart a worker."""
    import dask

    from sim.experiments.dask_engine import LOST_WORKER_TIMEOUT, DaskEngine

    before = dask.config.get("distributed.deploy.lost-worker-timeout")
    with DaskEngine.open(1) as engine:
        assert dask.config.get("distributed.deploy.lost-worker-timeout") == LOST_WORKER_TIMEOUT
        (old,) = engine.cluster.workers.values()
        engine.cluster.sync(old.close)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            engine.check([])
            nannies = list(engine.cluster.workers.values())
            if nannies and nannies[0] is not old and engine.client.nthreads():
                break
            time.sleep(0.5)
        else:
            pytest.fail(f"no nanny started again: {engine.cluster.workers}")
        assert engine.executor().submit(int, "5").result(timeout=60) == 5
        # the worker started again was warmed up too: model imported, imports frozen
        (frozen,) = engine.client.run(_frozen_with_model).values()
        assert frozen
    assert dask.config.get("distributed.deploy.lost-worker-timeout") == before


def _frozen_with_model() -> bool:
    import gc

    return "sim.model" in sys.modules and gc.get_freeze_count() > 10_000


def test_our_cluster_runs_its_diagnostic_timers_less_often():
    """Our LocalCluster's scheduler and workers tick less often (CPU that on a
    small machine is taken from the runs); the settings reach the worker
    processes through their nannies, and are undone when the cluster closes."""
    import dask

    from sim.experiments.dask_engine import QUIET_TIMERS, DaskEngine

    before = {key: dask.config.get(key) for key in QUIET_TIMERS}
    with DaskEngine.open(2) as engine:
        assert engine.cluster.scheduler.periodic_callbacks["tick"].callback_time == 200
        for key, value in QUIET_TIMERS.items():
            seen = engine.client.run(dask.config.get, key)
            assert len(seen) == 2 and set(seen.values()) == {value}, key
        assert engine.executor().submit(int, "7").result(timeout=60) == 7
        assert set(engine.client.run(_frozen_with_model).values()) == {True}
    assert {key: dask.config.get(key) for key in QUIET_TIMERS} == before
