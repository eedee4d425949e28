"""The batch runner: scenario file -> runs in a process pool -> results folder.

``plan`` does every check (scenario, size, output folder) before anything is
written; ``execute`` then runs what is not yet on disk. Workers send back
each run's data and this process stores it at once
(:mod:`sim.experiments.store`), so a killed sweep resumes by running the
same command again, and the tables are assembled from the per-run files at
the end (:mod:`sim.experiments.results`).

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

from sim.errors import RunError, UserError
from sim.experiments import manifest as mf
from sim.experiments import pool
from sim.experiments.design import Design, count_points, expand
from sim.experiments.engines import Engine, open_engine
from sim.experiments.folder import (
    check_writable_place,
    disk_problem,
    remove_created,
    set_up,
)
from sim.experiments.loader import LoadedScenario, load_scenario
from sim.experiments.scenario import Scenario
from sim.experiments.script_guard import refuse_in_worker_start_up, refuse_unguarded_script
from sim.experiments.seeds import run_id
from sim.experiments.stopping import hold_stops, release_stops, terminated_as_interrupted
from sim.experiments.store import FolderLock, RunStore, Writer, is_ours
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
    if isinstance(max_runs, bool) or not isinstance(max_runs, int) or max_runs < 1:
        raise UserError(f"max_runs: expected a whole number >= 1, got {max_runs!r}")
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
    check_writable_place(out)
    try:
        entries = [p for p in out.iterdir() if not is_ours(p)] if out.is_dir() else []
    except OSError as err:
        raise UserError(f"{out}: cannot be read ({err.strerror}); choose another --out") from None
    if not entries:  # new, or only what a start stopped in its first moments left
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


def workers_or_all(workers: Any) -> int:
    """The number of worker processes: ``None`` means one per core; 0 or less is
    refused (``--workers`` and ``run_experiment`` agree)."""
    if workers is None:
        return getattr(os, "process_cpu_count", os.cpu_count)() or 1
    whole = getattr(workers, "__index__", None)
    if isinstance(workers, bool) or whole is None:
        raise UserError(f"--workers: expected a whole number, got {workers!r}")
    workers = int(whole())
    if workers < 1:
        raise UserError(f"--workers: {workers} is too small (at least 1; omit it for all cores)")
    return workers


def execute(
    plan: Plan,
    workers: int | None = None,
    *,
    fresh: bool = False,
    quiet: bool = False,
    executor: Any = None,
    scheduler: str | None = None,
    dashboard: bool = False,
) -> dict[str, Any]:
    """Run every run of ``plan`` not yet on disk; assemble the tables; return the manifest.

    ``executor``: None or ``"local"`` (the forkserver pool, or this process for
    one worker), ``"dask"`` (a ``LocalCluster`` of ``workers`` processes, or the
    scheduler at ``scheduler``), or any ``concurrent.futures.Executor``.
    """
    workers = workers_or_all(workers)
    engine = open_engine(executor, workers, scheduler=scheduler, dashboard=dashboard)
    try:
        out = plan.out
        created = set_up(out)
        try:
            lock = FolderLock(out)
            lock.__enter__()
        except OSError as err:
            remove_created(created)
            raise UserError(f"{disk_problem(err, out)}; choose another --out") from None
        try:
            return _execute_locked(plan, workers, engine, fresh, quiet, created)
        finally:
            lock.__exit__()
    finally:
        if engine is not None and engine is not executor:  # an Engine given stays open
            engine.close()


def _execute_locked(
    plan: Plan, workers: int, engine: Engine | None, fresh: bool, quiet: bool, created: list[Path]
) -> dict[str, Any]:
    out = plan.out
    store = RunStore(out)
    wanted = set(plan.run_ids())
    try:
        previous = None if fresh else mf.read(out)
        if fresh:
            store.clear()
            for name in OWNED:
                (out / name).unlink(missing_ok=True)
        store.prepare()
        checked = store.check(wanted, plan.loaded.run_hash, plan.scenario.kept_outputs)
        done_before = checked.done
        manifest = mf.build(plan, previous, workers, len(done_before))
        manifest["executor"] = engine.label if engine is not None else "this process"
        manifest["history"][-1]["executor"] = manifest["executor"]
        if done_before and previous:
            mf.warn_if_code_changed(previous, manifest, len(done_before))
        mf.write(out, manifest)
    except OSError as err:
        if not (out / "manifest.json").exists():
            remove_created(created)
        raise UserError(f"{disk_problem(err, out)}; choose another --out") from None
    if checked.bad:
        _report_bad(store, checked.bad, quiet)
    return _sweep(plan, engine, quiet, store, manifest, done_before)


def _report_bad(store: RunStore, bad: dict[str, str], quiet: bool) -> None:
    """Bad stored runs are removed and run again; one line says so."""
    import sys

    store.discard(bad)
    first, why = next(iter(sorted(bad.items())))
    more = f" and {len(bad) - 1} more" if len(bad) > 1 else ""
    print(
        f"warning: {len(bad)} stored run(s) cannot be trusted and run again "
        f"(runs/{first}: {why}{more})",
        file=sys.stderr,
    )


def _sweep(
    plan: Plan,
    engine: Engine | None,
    quiet: bool,
    store: RunStore,
    manifest: dict[str, Any],
    done_before: set[str],
) -> dict[str, Any]:
    out = plan.out
    run_hash = plan.loaded.run_hash
    counts = {"done": 0, "failed": 0}
    bar = _progress(plan, len(done_before), quiet)

    def on_stored(result: Result) -> None:
        counts[result.status] += 1
        if result.status == "failed":
            bar.set_postfix(failed=counts["failed"])
            if not quiet and counts["failed"] <= MAX_PRINTED_FAILURES:
                bar.write(f"run {result.task.run_id} failed: {result.error}")
        bar.update(1)

    writer = Writer(store, run_hash, on_stored)
    on_result = writer.put
    status = "interrupted"
    assemble = (out.absolute(), manifest, list(plan.run_ids()))
    totals = None
    problem: OSError | None = None
    ctx = getattr(engine, "ctx", None)  # the local pool's: tables assembled in a child
    try:
        todo = plan.tasks(done_before)
        if engine is None:
            pool.run_here(todo, on_result)
        elif plan.n_runs > len(done_before):
            finish = (pool.CONSOLIDATE, assemble, writer.drain)  # by a worker, runs stored
            totals = pool.run_pool(todo, engine, on_result, finish)
        writer.drain()
        status = "complete"
    except OSError as err:  # a full disk, a folder made read-only: stop, say so
        status, problem = "error", err
    except RunError as err:  # the runs could not go on (a cluster left with no worker)
        status = "error"
        manifest["error"] = str(err)
        raise
    finally:
        held = hold_stops() if status != "complete" else None
        try:  # what the workers sent back is stored, even when stopped
            writer.drain()
        except OSError as err:
            status, problem = "error", problem or err
        writer.close()
        bar.close()
        if totals is None and problem is None:  # one worker, nothing left, stopped early
            try:
                totals = _assemble(ctx, assemble, stopped=status != "complete")
            except OSError as err:
                status, problem = "error", err
        if totals is None:  # as far as the per-run files say
            totals = {"done": len(done_before) + counts["done"], "failed": counts["failed"]}
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
        if problem is not None:
            manifest["error"] = disk_problem(problem, out)
        manifest["history"][-1].update(
            finished=manifest["finished"],
            status=status,
            runs_executed=manifest["runs_executed"],
        )
        try:
            mf.write(out, manifest)
        except OSError as err:
            if problem is None:
                problem = err
            manifest["manifest_written"] = False
        release_stops(held)
    if problem is not None:
        kept = (
            "; manifest.json could not be updated"
            if manifest.get("manifest_written") is False
            else ""
        )
        raise RunError(
            f"{disk_problem(problem, out)} (while storing results){kept}; finished runs are "
            "kept: make room or make it writable, then run the same command again to resume"
        )
    return manifest


def _assemble(ctx: Any, args: tuple, stopped: bool) -> dict[str, int] | None:
    """Build the tables; when the sweep was stopped (an error, Ctrl-C), a failure
    here, or a second Ctrl-C, must not hide why it stopped (the per-run files
    stay, and a rerun resumes); None then."""
    try:
        return pool.consolidate(ctx, *args)
    except OSError:
        raise
    except (Exception, KeyboardInterrupt):
        if not stopped:
            raise
        return None


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
    executor: Any = None,
    scheduler: str | None = None,
) -> Results:
    """Do what ``sim run`` does; return the results folder as :class:`Results`.

    ``source`` is a scenario file, a dict with the same keys, or a
    :class:`Scenario`. ``simulate`` replaces the model function (default
    ``"sim.evaluation:simulate"``; a ``"module:function"`` string or a
    picklable function with the same signature). Runs that failed are in
    ``results.runs`` with ``status == "failed"``; ``results.n_failed``
    counts them. ``executor`` is ``"local"`` (default), ``"dask"`` (a
    ``LocalCluster`` of ``workers`` processes, or the scheduler at
    ``scheduler``) or any ``concurrent.futures.Executor`` (a
    ``distributed.Client`` too), which is used as it is and not shut down.
    """
    refuse_in_worker_start_up()
    workers = workers_or_all(workers)
    spawns_workers = (executor in (None, "local") and workers > 1) or executor == "dask"
    if spawns_workers and scheduler is None:  # their workers import the script
        refuse_unguarded_script()
    p = plan(source, out, max_runs=max_runs, force=force, fresh=fresh, simulate=simulate)
    with terminated_as_interrupted():
        manifest = execute(
            p, workers, fresh=fresh, quiet=quiet, executor=executor, scheduler=scheduler
        )
    if plots and manifest["runs_done"]:
        render_plots(p.out)
    from sim.experiments.results import Results

    return Results(p.out)


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
