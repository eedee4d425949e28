"""``sim validate`` and ``sim run``: thin wrappers that print and set exit codes."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time

from sim.errors import Terminated, UserError
from sim.experiments import models
from sim.experiments.design import count_points
from sim.experiments.loader import load_scenario
from sim.experiments.runner import (
    check_size,
    execute,
    plan,
    render_plots,
    terminated_as_interrupted,
    workers_or_all,
)

# Names another model function with simulate()'s signature ("module:function");
# recorded in the manifest. The tests use it to make runs fail on purpose.
SIMULATE_ENV = "SIM_SIMULATE"


def cmd_validate(args: argparse.Namespace) -> int:
    """Check each file; print what it expands to; exit 2 if any is bad."""
    bad = 0
    for path in args.files:
        try:
            with models.importing(getattr(args, "import_models", False)):
                loaded = load_scenario(path)
                runs = check_size(loaded, args.max_runs, args.force)
                spec = loaded.scenario.spec
        except UserError as err:
            print(err.for_terminal(), file=sys.stderr)
            bad += 1
            continue
        s = loaded.scenario
        design = s.sweep.design if s.sweep else "no sweep"
        horizon = (
            f"{s.months} months from {s.start}"
            if s.model is None
            else f"{s.months} steps of {s.model}"
        )
        note = (
            ""
            if spec.imported
            else " (model not imported, so its names were not checked: 'sim run' imports it, "
            "or 'sim validate --import')"
        )
        print(
            f"{path}: ok: '{s.name}', {count_points(s.sweep):,} point(s) ({design}) x "
            f"{s.replications} replication(s) = {runs:,} run(s) of {horizon}{note}"
        )
    return 2 if bad else 0


def cmd_run(args: argparse.Namespace) -> int:
    """Run a scenario file; exit 1 if any run failed, 130 if interrupted (143 for SIGTERM)."""
    with terminated_as_interrupted():
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    workers = workers_or_all(args.workers)
    began = time.perf_counter()
    simulate = os.environ.get(SIMULATE_ENV) or None
    p = plan(
        args.file,
        args.out,
        max_runs=args.max_runs,
        force=args.force,
        fresh=args.fresh,
        simulate=simulate,
    )
    if simulate:
        print(f"model function: {simulate} (from {SIMULATE_ENV})", file=sys.stderr)
    try:
        manifest = execute(
            p,
            workers,
            fresh=args.fresh,
            quiet=args.quiet,
            executor=getattr(args, "executor", None),
            scheduler=getattr(args, "scheduler", None),
            dashboard=getattr(args, "dashboard", False),
        )
    except KeyboardInterrupt as stop:
        for sig in (signal.SIGINT, signal.SIGTERM):  # the command is ending: let it end
            signal.signal(sig, signal.SIG_IGN)
        how = "terminated" if isinstance(stop, Terminated) else "interrupted"
        print(
            f"{how}: finished runs are kept in {p.out}/; run the same command again to resume",
            file=sys.stderr,
        )
        return getattr(stop, "exit_code", 130)
    wall = time.perf_counter() - began
    done, failed = manifest["runs_done"], manifest["runs_failed"]
    resumed = manifest["history"][-1]["runs_on_disk"]
    note = f", {resumed} already on disk" if resumed else ""
    print(f"{done} of {manifest['runs_total']} runs done, {failed} failed{note}, in {wall:.1f} s")
    status = 0
    print(f"results: {p.out}/")
    if not args.no_plots and done:
        try:
            report = render_plots(p.out)
            if report is not None:
                print(f"report: {report}")
        except Exception as err:  # the runs are safe; say so and fail loudly
            print(
                f"error: drawing plots failed: {type(err).__name__}: {err} (results are complete; "
                f"try 'sim plot {p.out}')",
                file=sys.stderr,
            )
            status = 1
    if manifest["status"] == "incomplete":
        missing = manifest["runs_total"] - done - failed
        print(
            f"error: {missing} runs are missing; run the same command again to finish them",
            file=sys.stderr,
        )
        return 1
    if failed:
        print(
            f"error: {failed} of {manifest['runs_total']} runs failed; their errors and tracebacks "
            f"are in {p.out}/runs.parquet (status == 'failed')",
            file=sys.stderr,
        )
        return 1
    return status
