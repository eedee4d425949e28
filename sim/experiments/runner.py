"""The batch runner: scenario file -> runs in a process pool -> results folder.

``plan`` does every check (scenario, size, output folder) before anything is
written; ``execute`` then runs what is not yet on disk. Each worker stores
the files of its run before it reports back (:mod:`sim.experiments.store`),
so a killed sweep resumes by running the same command again, and the tables
are assembled from the per-run files at the end
(:mod:`sim.experiments.results`).

Runs execute in a pool of worker processes (:mod:`sim.experiments.pool`);
the tables are assembled by one of its workers, so the coordinating process
never imports the model, NumPy, pandas or pyarrow and stays at a few tens of
MB however many runs a sweep has. With ``workers=1`` everything runs in this
process, which is simplest to debug.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.errors import UserError
from sim.experiments import manifest as mf
from sim.experiments import pool
from sim.experiments.design import Design, count_points, expand
from sim.experiments.loader import LoadedScenario, load_scenario
from sim.experiments.scenario import Scenario
from sim.experiments.seeds import run_id
from sim.experiments.store import FolderLock, RunStore
from sim.experiments.worker import DEFAULT_SIMULATE, Result, SimulateFn, Task

if TYPE_CHECKING:  # pandas and pyarrow load only to read results (a small parent)
    from sim.experiments.results import Results

DEFAULT_MAX_RUNS = 100_000
OWNED = ("manifest.json", "runs.parquet", "timeseries.parquet")
MAX_PRINTED_FAILURES = 5


@dataclass
class Plan:
    """A validated scenario expanded into runs, and where their results go."""

    loaded: LoadedScenario
    design: Design
    out: Path
    simulate: str | SimulateFn = DEFAULT_SIMULATE

    @property
    def scenario(self) -> Scenario:
        return self.loaded.scenario

    @property
    def n_runs(self) -> int:
        return len(self.design) * self.scenario.replications

    def run_ids(self) -> Iterator[str]:
        for point in range(len(self.design)):
            for rep in range(self.scenario.replications):
                yield run_id(point, rep)

    def tasks(self, skip: set[str]) -> Iterator[Task]:
        """Runs not in ``skip``, point by point; seeds depend only on (point, rep)."""
        s = self.scenario
        base = s.base_values()
        for point, values in enumerate(self.design.points):
            for rep in range(s.replications):
                rid = run_id(point, rep)
                if rid not in skip:
                    yield Task(
                        rid,
                        point,
                        rep,
                        s.seed,
                        base | values,
                        s.months,
                        s.kept_outputs,
                        self.simulate,
                        values,
                        str(self.out.absolute()),  # workers may not share our cwd
                        s.model,
                    )


def check_size(
    loaded: LoadedScenario, max_runs: int = DEFAULT_MAX_RUNS, force: bool = False
) -> int:
    """Number of runs; refuse more than ``max_runs`` unless ``force``."""
    s = loaded.scenario
    points = count_points(s.sweep)
    runs = points * s.replications
    if runs > max_runs and not force:
        key = ("sweep",) if s.sweep is not None else ("replications",)
        raise loaded.error(
            key,
            f"expands to {runs:,} runs ({points:,} points x {s.replications} replications)",
            f"at most {max_runs:,}; pass --force or a larger --max-runs",
        )
    return runs


def plan(
    source: str | os.PathLike | dict | Scenario | LoadedScenario,
    out: str | os.PathLike | None = None,
    *,
    max_runs: int = DEFAULT_MAX_RUNS,
    force: bool = False,
    fresh: bool = False,
    simulate: str | SimulateFn | None = None,
) -> Plan:
    """Check everything about a run without writing anything."""
    loaded = load_scenario(source)
    check_size(loaded, max_runs, force)
    design = expand(loaded.scenario)
    target = Path(out) if out is not None else Path("results") / loaded.scenario.name
    _check_out(target, loaded, fresh)
    if simulate is not None and loaded.scenario.model is not None:
        raise loaded.error(
            ("model",),
            f"runs {loaded.scenario.model}, and a model function was given too",
            "either 'model' in the scenario or simulate=, not both",
        )
    if callable(simulate):
        try:
            pickle.dumps(simulate)
        except Exception as err:
            raise UserError(
                f"simulate: {simulate!r} cannot be sent to worker processes ({err}); "
                "define it at the top level of an importable module"
            ) from None
    return Plan(loaded, design, target, simulate or DEFAULT_SIMULATE)


def _check_out(out: Path, loaded: LoadedScenario, fresh: bool) -> None:
    if out.exists() and not out.is_dir():
        raise UserError(f"{out}: exists and is not a folder; choose another --out")
    if not out.is_dir() or not [p for p in out.iterdir() if p.name != ".lock"]:
        return
    old = mf.read(out)
    if old is None:
        raise UserError(
            f"{out}: folder is not empty and holds no manifest.json; choose another --out"
        )
    if not fresh and old.get("run_hash") != loaded.run_hash:
        raise UserError(
            f"{out}: holds results of a different scenario ('{old.get('name')}' with other "
            "levers, sweep, seed or horizon); pass --fresh to replace them or choose another --out"
        )


def execute(
    plan: Plan, workers: int | None = None, *, fresh: bool = False, quiet: bool = False
) -> dict[str, Any]:
    """Run every run of ``plan`` not yet on disk; assemble the tables; return the manifest."""
    workers = workers or getattr(os, "process_cpu_count", os.cpu_count)() or 1
    if workers < 1:
        raise UserError(f"--workers: {workers} is too small (at least 1)")
    out = plan.out
    ctx = pool.context() if workers > 1 else None
    if ctx is not None:
        pool.start(ctx)  # overlaps the server's imports with the setup below
    out.mkdir(parents=True, exist_ok=True)
    with FolderLock(out):
        store = RunStore(out)
        previous = None if fresh else mf.read(out)
        if fresh:
            store.clear()
            for name in OWNED:
                (out / name).unlink(missing_ok=True)
        store.prepare()
        wanted = set(plan.run_ids())
        done_before = store.done_ids() & wanted
        manifest = mf.build(plan, previous, workers, len(done_before))
        if done_before and previous:
            mf.warn_if_code_changed(previous, manifest, len(done_before))
        mf.write(out, manifest)
        counts = {"done": 0, "failed": 0}
        bar = _progress(plan, len(done_before), quiet)

        def on_result(result: Result) -> None:
            if not result.stored:  # made up here for a worker that died
                result = store.record_lost(result)
            counts[result.status] += 1
            if result.status == "failed":
                bar.set_postfix(failed=counts["failed"])
                if not quiet and counts["failed"] <= MAX_PRINTED_FAILURES:
                    bar.write(f"run {result.task.run_id} failed: {result.error}")
            bar.update(1)

        status = "interrupted"
        assemble = (out.absolute(), manifest, list(plan.run_ids()))
        totals = None
        try:
            todo = plan.tasks(done_before)
            remaining = plan.n_runs - len(done_before)
            if ctx is None:
                pool.run_here(todo, on_result)
            elif remaining:
                finish = (pool.CONSOLIDATE, assemble)  # by a worker, once the runs are done
                totals = pool.run_pool(todo, min(workers, remaining), on_result, ctx, finish)
            status = "complete"
        finally:
            bar.close()
            if totals is None:  # one worker, nothing left to run, stopped early, or pool broke
                totals = _assemble(ctx, assemble, stopped=status != "complete")
            if status == "complete" and totals["done"] + totals["failed"] < plan.n_runs:
                status = "incomplete"  # a run went missing: say so rather than pretend
            elif status == "complete" and totals["failed"]:
                status = "failed"
            manifest.update(
                status=status,
                finished=mf.now(),
                runs_done=totals.get("done", 0),
                runs_failed=totals.get("failed", 0),
                runs_executed=counts["done"] + counts["failed"],
            )
            manifest["history"][-1].update(
                finished=manifest["finished"],
                status=status,
                runs_executed=manifest["runs_executed"],
            )
            mf.write(out, manifest)
    return manifest


def _assemble(ctx: Any, args: tuple, stopped: bool) -> dict[str, int]:
    """Build the tables; when the sweep was stopped by an error, a failure here
    must not hide that error (the per-run files stay, and a rerun resumes)."""
    try:
        return pool.consolidate(ctx, *args)
    except Exception:
        if not stopped:
            raise
        return {"done": 0, "failed": 0}


class _Quiet:
    """A progress bar that shows nothing (and imports nothing)."""

    def update(self, n: int = 1) -> None: ...
    def set_postfix(self, **kw: Any) -> None: ...
    def write(self, text: str) -> None: ...
    def close(self) -> None: ...


def _progress(plan: Plan, done: int, quiet: bool) -> Any:
    if quiet:
        return _Quiet()
    from tqdm.auto import tqdm  # ~13 MB: only when a bar is shown

    return tqdm(
        total=plan.n_runs,
        initial=done,
        unit="run",
        desc=plan.scenario.name,
        dynamic_ncols=True,
        smoothing=0.05,
    )


def run_experiment(
    source: str | os.PathLike | dict | Scenario,
    out: str | os.PathLike | None = None,
    workers: int | None = None,
    *,
    fresh: bool = False,
    quiet: bool = False,
    plots: bool = True,
    max_runs: int = DEFAULT_MAX_RUNS,
    force: bool = False,
    simulate: str | SimulateFn | None = None,
) -> Results:
    """Do what ``sim run`` does; return the results folder as :class:`Results`.

    ``source`` is a scenario file, a dict with the same keys, or a
    :class:`Scenario`. ``simulate`` replaces the model function (default
    ``"sim.evaluation:simulate"``; a ``"module:function"`` string or a
    picklable function with the same signature). Runs that failed are in
    ``results.runs`` with ``status == "failed"``; ``results.n_failed``
    counts them.
    """
    _refuse_in_worker_start_up()
    p = plan(source, out, max_runs=max_runs, force=force, fresh=fresh, simulate=simulate)
    manifest = execute(p, workers, fresh=fresh, quiet=quiet)
    if plots and manifest["runs_done"]:
        render_plots(p.out)
    from sim.experiments.results import Results

    return Results(p.out)


def _refuse_in_worker_start_up() -> None:
    """A worker process imports the script that started the sweep; a call at the
    top level of that script would start a sweep inside every worker."""
    import multiprocessing

    if getattr(multiprocessing.current_process(), "_inheriting", False):
        raise UserError(
            "sim.run_experiment was called while a worker process imported the script that "
            'started the sweep; put the call under `if __name__ == "__main__":`'
        )


def render_plots(out: Path) -> Path | None:
    """Draw the figures and report (the plots package); return the report's path,
    or None when the plots package is not installed."""
    try:
        from sim.plots.api import render_all
    except ModuleNotFoundError as err:
        if err.name in ("sim.plots", "sim.plots.api"):
            return None
        raise
    from sim.analysis.requested import run_requested

    for line in run_requested(out):  # the scenario's 'analysis' key, before the report
        print(line)
    report = render_all(out)
    return Path(report) if report else None
