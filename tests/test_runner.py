"""The batch runner on the real model: layout, determinism, resume, failures."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from sweep_helpers import assert_same_results, start_sweep

import sim
from sim.calendar import format_month, parse_month
from sim.cli import main
from sim.errors import UserError
from sim.experiments.seeds import run_seed
from sim.outcomes import NAMES

ROOT = Path(__file__).resolve().parents[1]
SMALL = """\
name: small
description: a two-point sweep of short runs
start: 2015-01
months: 12
replications: 3
seed: 42
parameters: {scale: 0.1}
levers:
  crowdfunding_enabled: {2015-01: false, 2015-06: true}
sweep:
  design: grid
  factors:
    mentorship: [0.3, 0.6]
"""


@pytest.fixture
def small(tmp_path: Path) -> Path:
    path = tmp_path / "small.yaml"
    path.write_text(SMALL)
    return path


def run(path, out, workers=2, **kw):
    return sim.run_experiment(path, out=out, workers=workers, quiet=True, plots=False, **kw)


def test_results_layout_is_the_contract(small, tmp_path):
    res = run(small, tmp_path / "out")
    manifest, runs, ts = res  # unpacks
    assert manifest["status"] == "complete" and manifest["runs_done"] == 6
    for key in ("scenario_text", "scenario_hash", "package_version", "python", "mesa", "numpy"):
        assert key in manifest or key in manifest["environment"], key
    assert manifest["seed_root"] == 42 and manifest["started"] and manifest["finished"]
    assert "extends" not in manifest["scenario_text"] and "mentorship" in manifest["scenario_text"]
    assert list(runs.columns[:5]) == ["run_id", "point", "replication", "seed", "mentorship"]
    assert {"status", "error", "wall_seconds", *NAMES} <= set(runs.columns)
    assert (runs["status"] == "done").all() and (runs["wall_seconds"] > 0).all()
    assert runs["seed"].tolist() == [run_seed(42, p, r) for p in range(2) for r in range(3)]
    assert runs["mentorship"].tolist() == [0.3] * 3 + [0.6] * 3
    assert list(ts.columns) == ["run_id", "month", "date", *NAMES]
    assert len(ts) == 6 * 12 and ts["month"].tolist()[:12] == list(range(1, 13))
    first = parse_month("2015-01")  # month 1 is the start month
    assert ts["date"].iloc[:12].tolist() == [format_month(first + i) for i in range(12)]
    last = ts[ts["month"] == 12].set_index("run_id")
    finals = runs.set_index("run_id")
    pd.testing.assert_series_equal(last["jobs"], finals["jobs"], check_names=False)
    # replications differ, and the two points differ
    assert ts.groupby("run_id")["startups_alive"].sum().nunique() > 1
    assert Path(res).is_dir() and (Path(res) / "runs.parquet").is_file()


def test_same_file_gives_identical_timeseries_with_one_and_two_workers(small, tmp_path):
    one = run(small, tmp_path / "w1", workers=1)
    two = run(small, tmp_path / "w2", workers=2)
    assert (tmp_path / "w1/timeseries.parquet").read_bytes() == (
        tmp_path / "w2/timeseries.parquet"
    ).read_bytes()
    pd.testing.assert_frame_equal(one.timeseries, two.timeseries)
    cols = [c for c in one.runs.columns if c != "wall_seconds"]
    pd.testing.assert_frame_equal(one.runs[cols], two.runs[cols])


def test_outputs_restrict_what_is_stored(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(
        "name: s\nmonths: 6\nparameters: {scale: 0.1}\noutputs: [jobs, startups_alive]\n"
    )
    res = run(path, tmp_path / "out", workers=1)
    assert list(res.timeseries.columns) == ["run_id", "month", "date", "jobs", "startups_alive"]
    assert list(res.runs.columns[-2:]) == ["jobs", "startups_alive"]
    assert len(res.read_timeseries(["jobs"], filters=[("month", ">", 3)])) == 3


def test_rerun_resumes_and_more_replications_extend(small, tmp_path, capsys):
    out = tmp_path / "out"
    first = run(small, out).timeseries
    again = run(small, out)
    assert (
        again.manifest["runs_executed"] == 0 and again.manifest["history"][-1]["runs_on_disk"] == 6
    )
    pd.testing.assert_frame_equal(first, again.timeseries)
    small.write_text(SMALL.replace("replications: 3", "replications: 4"))
    more = run(small, out)
    assert more.manifest["runs_executed"] == 2 and more.manifest["runs_done"] == 8
    old = more.timeseries[more.timeseries["run_id"].isin(first["run_id"])].reset_index(drop=True)
    pd.testing.assert_frame_equal(old, first)
    fresh = run(small, out, fresh=True)
    assert fresh.manifest["runs_executed"] == 8 and len(fresh.manifest["history"]) == 1


def test_refuses_to_mix_scenarios_or_write_into_a_foreign_folder(small, tmp_path):
    out = tmp_path / "out"
    run(small, out, workers=1)
    small.write_text(SMALL.replace("seed: 42", "seed: 43"))
    with pytest.raises(UserError, match="different scenario"):
        run(small, out)
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me")
    with pytest.raises(UserError, match="no manifest.json"):
        run(small, foreign, fresh=True)
    assert (foreign / "notes.txt").read_text() == "keep me"
    with pytest.raises(UserError, match="not a results folder"):
        sim.load_results(foreign)


def test_cli_default_folder_and_summary(small, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["run", str(small), "--workers", "2", "--quiet", "--no-plots"]) == 0
    out = capsys.readouterr().out
    assert "6 of 6 runs done, 0 failed" in out and out.strip().endswith("results: results/small/")
    assert sim.load_results(tmp_path / "results/small").n_done == 6


def test_a_raising_run_is_recorded_and_the_others_finish(small, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SIM_SIMULATE", "runner_models:failing_simulate")
    out = tmp_path / "out"
    code = main(["run", str(small), "--out", str(out), "--workers", "2", "--quiet", "--no-plots"])
    assert code == 1
    err = capsys.readouterr().err
    assert "3 of 6 runs failed" in err
    res = sim.load_results(out)
    runs = res.runs.set_index("run_id")
    failed = runs[runs["status"] == "failed"]
    assert sorted(failed["mentorship"]) == [0.3] * 3
    assert failed["error"].str.contains("RuntimeError: injected failure").all()
    assert failed["traceback"].str.contains("failing_simulate").all()
    assert failed["jobs"].isna().all()
    assert set(res.timeseries["run_id"]) == set(runs.index[runs["status"] == "done"])
    assert res.manifest["status"] == "failed" and res.manifest["runs_failed"] == 3
    assert res.manifest["simulate"] == "runner_models:failing_simulate"
    # a rerun retries only the failed runs (here with the real model, after a fix)
    monkeypatch.delenv("SIM_SIMULATE")
    small.write_text(SMALL)  # unchanged scenario: the folder is resumed
    assert (
        main(["run", str(small), "--out", str(out), "--workers", "2", "--quiet", "--no-plots"]) == 0
    )
    fixed = sim.load_results(out)
    assert fixed.manifest["runs_executed"] == 3 and (fixed.runs["status"] == "done").all()


def test_a_run_that_kills_its_worker_is_recorded_and_the_others_finish(small, tmp_path):
    from runner_models import dying_simulate

    res = run(small, tmp_path / "out", simulate=dying_simulate)
    runs = res.runs
    dead = runs[runs["status"] == "failed"]
    assert sorted(dead["mentorship"]) == [0.3] * 3
    assert dead["error"].str.contains("worker process died").all()
    assert len(runs) == 6 and (runs.loc[runs["mentorship"] == 0.6, "status"] == "done").all()


KILL = """\
name: kill-me
months: 36
replications: 6
seed: 9
parameters: {scale: 0.3}
sweep:
  design: grid
  factors:
    failure_tolerance: [0.2, 0.8]
"""


def _start_and_stop(
    tmp_path, sig: signal.Signals, group: bool = True
) -> tuple[list[str], Path, subprocess.Popen]:
    """Start `sim run` on KILL in its own process group and send ``sig`` to the
    whole group (or to the command alone) once two runs are on disk."""
    path = tmp_path / "kill.yaml"
    path.write_text(KILL)
    out = tmp_path / "stopped"
    proc, cmd = start_sweep(path, out)
    if group:
        os.killpg(proc.pid, sig)
    else:
        os.kill(proc.pid, sig)
    return cmd, out, proc


def _resume_matches_an_uninterrupted_run(tmp_path, cmd: list[str], out: Path) -> None:
    stored = len(list((out / "runs").glob("*.json")))
    assert 2 <= stored < 12, "the sweep finished before it could be stopped"
    # resume: same command, exits 0 and runs only what was missing
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    resumed = sim.load_results(out)
    on_disk = resumed.manifest["history"][-1]["runs_on_disk"]
    assert on_disk >= 2 and resumed.manifest["runs_executed"] == 12 - on_disk
    run(tmp_path / "kill.yaml", tmp_path / "whole")
    assert_same_results(out, tmp_path / "whole")


def test_sigkill_of_the_process_group_then_resume_matches_an_uninterrupted_run(tmp_path):
    cmd, out, proc = _start_and_stop(tmp_path, signal.SIGKILL)
    proc.wait()
    assert json.loads((out / "manifest.json").read_text())["status"] == "running"
    _resume_matches_an_uninterrupted_run(tmp_path, cmd, out)


def test_ctrl_c_stops_cleanly_keeps_finished_runs_and_resumes(tmp_path):
    """Ctrl-C in a terminal sends SIGINT to the whole foreground process group."""
    cmd, out, proc = _start_and_stop(tmp_path, signal.SIGINT)
    assert proc.wait(timeout=30) == 130
    last = proc.stderr.read().decode().strip().splitlines()[-1]
    assert last.startswith("interrupted: finished runs are kept in"), last
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "interrupted"
    with pytest.warns(UserWarning, match="sweep is interrupted"):
        kept = sim.load_results(out)  # the tables hold the runs finished so far
    assert 2 <= len(kept.runs) < 12 and set(kept.runs["status"]) == {"done"}
    _resume_matches_an_uninterrupted_run(tmp_path, cmd, out)


def test_an_interrupted_sweep_stops_its_workers_so_no_run_ends_after_it(tmp_path):
    """`kill -INT` to the command alone: its workers get no signal of their own."""
    import psutil

    cmd, out, proc = _start_and_stop(tmp_path, signal.SIGINT, group=False)
    children = psutil.Process(proc.pid).children(recursive=True)
    assert proc.wait(timeout=30) == 130
    gone, alive = psutil.wait_procs(children, timeout=10)
    assert not alive, f"processes left running: {alive}"
    manifest = json.loads((out / "manifest.json").read_text())
    time.sleep(1.0)  # longer than a run: one still going would have stored itself by now
    stored = len(list((out / "runs").glob("*.json")))
    assert stored == manifest["runs_done"] + manifest["runs_failed"]
    _resume_matches_an_uninterrupted_run(tmp_path, cmd, out)


def test_evaluate_is_a_plain_function_of_levers():
    import sim
    import sim.evaluation  # noqa: F401  (importing the module must not shadow the function)

    outcomes = sim.evaluate({"mentorship": 0.5, "scale": 0.1}, seed=3, months=6)
    assert set(outcomes) == set(NAMES) and all(isinstance(v, float) for v in outcomes.values())
    again = sim.evaluate(mentorship=0.5, scale=0.1, seed=3, months=6)
    assert pd.Series(outcomes).equals(pd.Series(again))


def test_sobol_results_feed_salib_in_point_order(tmp_path):
    from SALib.analyze import sobol

    spec = {
        "name": "sobol",
        "months": 6,
        "seed": 3,
        "parameters": {"scale": 0.1},
        "sweep": {
            "design": "sobol",
            "samples": 4,
            "second_order": False,
            "factors": {"mentorship": [0.0, 1.0], "failure_tolerance": [0.0, 1.0]},
        },
        "outputs": ["startups_alive", "jobs"],
    }
    res = run(spec, tmp_path / "out", workers=1)
    problem = res.manifest["design"]["problem"]
    assert problem["names"] == ["mentorship", "failure_tolerance"] and len(res.runs) == 4 * 4
    y = res.runs.groupby("point")["jobs"].mean().sort_index().to_numpy()
    indices = sobol.analyze(problem, y, calc_second_order=False, num_resamples=10, seed=1)
    assert len(indices["S1"]) == 2


def test_run_draws_plots_unless_told_not_to(small, tmp_path, monkeypatch, capsys):
    import sim.plots.api

    drawn = []
    monkeypatch.setattr(
        sim.plots.api,
        "render_all",
        lambda out: drawn.append(Path(out)) or Path(out) / "report.html",
    )
    out = tmp_path / "out"
    assert (
        main(["run", str(small), "--out", str(out), "--workers", "1", "--quiet", "--no-plots"]) == 0
    )
    assert drawn == []
    assert main(["run", str(small), "--out", str(out), "--workers", "1", "--quiet"]) == 0
    assert drawn == [out]
    assert f"report: {out}/report.html" in capsys.readouterr().out


def test_two_runs_cannot_write_one_folder_at_once(small, tmp_path):
    from sim.experiments.store import FolderLock

    out = tmp_path / "out"
    run(small, out, workers=1)
    with FolderLock(out), pytest.raises(UserError, match="another 'sim run' is writing here"):
        run(small, out, workers=1)
    assert run(small, out, workers=1).manifest["runs_executed"] == 0  # the lock is released


def test_resuming_runs_made_by_other_code_warns(small, tmp_path, capsys):
    out = tmp_path / "out"
    run(small, out, workers=1)
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["environment"]["package_version"] = "0.0.1"
    (out / "manifest.json").write_text(json.dumps(manifest))
    capsys.readouterr()
    assert run(small, out, workers=1).manifest["runs_executed"] == 0
    assert "6 runs on disk were made with package_version 0.0.1" in capsys.readouterr().err


def test_resuming_runs_made_by_another_model_is_refused(small, tmp_path):
    out = tmp_path / "out"
    run(small, out, workers=1)
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["environment"]["model_fingerprint"] = "0123456789abcdef"
    (out / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(UserError, match="another version of the model.*--fresh"):
        run(small, out, workers=1)
    assert json.loads((out / "manifest.json").read_text())["environment"]["model_fingerprint"] == (
        "0123456789abcdef"
    )  # nothing was overwritten
    assert run(small, out, workers=1, fresh=True).manifest["runs_executed"] == 6


def test_tables_assembled_in_a_child_match_assembling_them_here(small, tmp_path):
    from sim.experiments.results import consolidate

    out = tmp_path / "out"
    res = run(small, out, workers=2)  # tables assembled in a child process
    child = {n: (out / n).read_bytes() for n in ("runs.parquet", "timeseries.parquet")}
    assert consolidate(out, res.manifest) == {"done": 6, "failed": 0}
    for name, data in child.items():
        assert (out / name).read_bytes() == data, name


def test_the_parent_of_a_pool_imports_neither_the_model_nor_numpy_pandas_pyarrow(small, tmp_path):
    code = (
        "import sys, sim\n"
        "if __name__ == '__main__':\n"
        f"    res = sim.run_experiment({str(small)!r}, out={str(tmp_path / 'out')!r}, "
        "workers=2, quiet=True, plots=False)\n"
        "    heavy = {'numpy', 'pandas', 'pyarrow', 'mesa', 'sim.model'} & set(sys.modules)\n"
        "    print(res.manifest['runs_done'], sorted(heavy))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["6", "[]"], done.stderr


def test_simulate_columns_are_simulate_without_pandas():
    from sim.evaluation import simulate, simulate_columns

    frame = simulate({"scale": 0.1, "mentorship": 0.4}, 5, 7)
    columns = simulate_columns({"scale": 0.1, "mentorship": 0.4}, 5, 7)
    assert list(columns) == list(frame.columns) and columns["month"] == list(range(1, 8))
    pd.testing.assert_frame_equal(pd.DataFrame(columns), frame)


def test_the_runner_records_what_mesas_datacollector_records():
    """Runner runs skip the DataCollector (collect=False); the numbers must not change."""
    from sim.evaluation import simulate_columns
    from sim.model import StartupEcosystem

    params = {"scale": 0.1, "mentorship": 0.4, "local_budget": 8e7}
    model = StartupEcosystem(rng=9, **params)
    for _ in range(14):
        model.step()
    collected = model.datacollector.get_model_vars_dataframe().iloc[1:].reset_index(drop=True)
    columns = pd.DataFrame(simulate_columns(params, 9, 14))
    pd.testing.assert_frame_equal(columns, collected[list(columns.columns)], check_dtype=False)
    assert StartupEcosystem(rng=9, collect=False, **params).datacollector is None


def test_a_script_that_starts_a_sweep_when_imported_gets_one_clear_error(tmp_path):
    """Worker processes import the script that started them; without the
    ``__main__`` guard every worker would start a sweep of its own. The
    script is stopped before any worker starts, with one line naming it."""
    script = tmp_path / "unguarded.py"
    out = str(tmp_path / "out")
    script.write_text(
        "import sim\n"
        "quick = {'name': 'quick', 'months': 2, 'replications': 4, 'parameters': {'scale': 0.05}}\n"
        f"sim.run_experiment(quick, out={out!r}, workers=2, quiet=True, plots=False)\n"
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"{script}:3: sim.run_experiment is called at the top level")
    assert 'if __name__ == "__main__":' in lines[0]
    assert not (tmp_path / "out").exists()  # nothing started, nothing written


def test_a_guarded_script_runs_its_sweep(tmp_path):
    script = tmp_path / "guarded.py"
    out = tmp_path / "out"
    script.write_text(
        "import sim\n"
        "quick = {'name': 'quick', 'months': 2, 'replications': 2, 'parameters': {'scale': 0.05}}\n"
        "if __name__ == '__main__':\n"
        f"    sim.run_experiment(quick, out={str(out)!r}, workers=2, quiet=True, plots=False)\n"
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert sim.load_results(out).n_done == 2


def test_workers_write_nothing_and_send_back_the_encoded_table(small, tmp_path):
    import pickle

    from sim.experiments import runner, worker
    from sim.experiments.results import read_series

    p = runner.plan(small, tmp_path / "out")
    task = next(p.tasks(set()))
    result = worker.execute(task)
    assert result.status == "done" and result.rows == 12 and result.seed == run_seed(42, 0, 0)
    assert not (tmp_path / "out").exists()  # the worker wrote nothing
    assert len(pickle.dumps(result)) < 50_000  # the table travels encoded, not as objects
    store = runner.RunStore(tmp_path / "out")
    store.prepare()
    meta = store.write(result, p.loaded.run_hash)
    assert meta["factors"] == {"mentorship": 0.3} and meta["table_bytes"] == len(result.table)
    table = read_series(store.table_path(task.run_id))
    assert table.num_rows == 12 and table.column("month").to_pylist() == list(range(1, 13))
    assert not list((tmp_path / "out/runs").glob(".tmp-*"))
    checked = store.check({task.run_id}, p.loaded.run_hash, p.scenario.kept_outputs)
    assert checked.done == {task.run_id} and not checked.bad
