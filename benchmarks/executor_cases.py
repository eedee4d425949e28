"""The executor comparison of ``bench_sweep.py --executors``: the local pool and
a Dask ``LocalCluster``, each at 1 and 2 workers, on the same sweep, against
a baseline that runs the same runs in one process; then what a 100,000-run
design would take on 100 and 1,000 workers.

Each case runs in a fresh child interpreter (``bench_sweep.measure``). The
child first opens the engine and waits until every worker has imported the
model (the start-up, timed apart: a pool's forkserver, a cluster's scheduler
and worker processes), then times the sweep call alone, so throughput and
per-run overhead are steady-state figures and start-up is reported beside
them. The driver's own cost per run (storing a run's two files with their
``fsync``) and the scheduler's throughput (no-op tasks through the same
executor interface) are measured here too, for the projection.

Dask's overhead is printed twice: in wall time (the sweep call, against the
local pool's), and in CPU, which a shared machine moves less: the driving
process's CPU a run (Dask's scheduler and nannies live there) and a run's
time inside its worker, as the worker timed it.
"""

from __future__ import annotations

import dataclasses
import json
import tempfile
import time
from pathlib import Path

ENGINES = ("baseline", "local", "dask")


def case_engine(kind: str, runs: int, workers: int, months: int, scale: float, yaml: str) -> dict:
    """One sweep through ``kind``: ``baseline`` (this process), ``local`` or ``dask``."""
    import sim.evaluation  # noqa: F401  (the baseline runs the model here: import it first)
    import sim.model  # noqa: F401
    from sim.experiments import runner
    from sim.experiments.engines import open_engine
    from sim.experiments.pool import LocalEngine

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.yaml"
        path.write_text(yaml)
        began = time.perf_counter()
        engine = None
        if kind == "local":
            engine = LocalEngine(workers)  # a real pool even for one worker
            engine.check_started(engine.executor())
        elif kind == "dask":
            engine = open_engine("dask", workers)
        startup = time.perf_counter() - began
        try:
            plan = runner.plan(path, Path(tmp) / "out")
            client = getattr(engine, "client", None)  # Dask: its workers' CPU, before and after
            before = client.run(time.process_time) if client is not None else {}
            cpu = time.process_time()  # this process: the driver (and Dask's scheduler)
            start = time.perf_counter()
            manifest = runner.execute(plan, workers, quiet=True, executor=engine)
            wall = time.perf_counter() - start
            cpu = time.process_time() - cpu
            after = client.run(time.process_time) if client is not None else {}
            workers_cpu = sum(after[w] - before[w] for w in after if w in before)
        finally:
            if engine is not None:
                engine.close()
        # how long each run took inside its worker, as the worker timed it
        metas = [json.loads(p.read_text()) for p in (Path(tmp) / "out" / "runs").glob("*.json")]
        in_worker = sum(m["wall_seconds"] for m in metas) / max(len(metas), 1)
    # the Dask workers' CPU a run, the run included (beside ``in_worker``, which is wall
    # time: with the driver on the same 2 cores the difference mixes in waiting for a core)
    worker_cpu = workers_cpu / runs if workers_cpu else float("nan")
    assert manifest["runs_done"] == runs, manifest["runs_done"]
    return {
        "wall": wall,
        "startup": startup,
        "rows": runs * months,
        "driver_cpu": cpu / runs,
        "in_worker": in_worker,
        "worker_cpu": worker_cpu,
    }


def case_scheduler(tasks: int, workers: int, in_flight: int = 500) -> dict:
    """No-op tasks per second through a Dask LocalCluster's executor, with as
    many in flight as a large cluster has (the runner keeps two per worker),
    so the figure is the scheduler's throughput, not one task's round trip."""
    from concurrent.futures import FIRST_COMPLETED, wait

    from sim.experiments.engines import open_engine

    engine = open_engine("dask", workers)
    try:
        ex = engine.executor()
        start = time.perf_counter()
        pending, done = set(), 0
        while done < tasks:
            while len(pending) < in_flight and done + len(pending) < tasks:
                pending.add(ex.submit(int, "1"))
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            done += len(finished)
        wall = time.perf_counter() - start
    finally:
        engine.close()
    return {"wall": wall, "tasks_per_s": tasks / wall}


def driver_write_seconds(months: int, scale: float, n: int = 400) -> float:
    """What storing one run costs the driver, as it stores them (its table and
    record, each flushed to disk and renamed, on the writer's threads), on
    this machine's disk."""
    from sim.experiments import runner, worker
    from sim.experiments.store import RunStore, Writer

    spec = {"name": "w", "months": months, "parameters": {"scale": scale}, "replications": n}
    with tempfile.TemporaryDirectory(dir=".") as tmp:
        plan = runner.plan(spec, Path(tmp) / "out")
        tasks = list(plan.tasks(set()))
        result = worker.execute(tasks[0])
        store = RunStore(Path(tmp) / "out")
        store.prepare()
        writer = Writer(store, plan.loaded.run_hash, lambda r: None)
        start = time.perf_counter()
        for task in tasks:
            writer.put(dataclasses.replace(result, task=task))
        writer.drain()
        took = time.perf_counter() - start
        writer.close()
        return took / n


def one_full_run_seconds() -> float:
    """A default run (scale 1, 120 months): what a real design's runs cost."""
    from sim.evaluation import simulate_columns

    start = time.perf_counter()
    simulate_columns({}, 1, 120)
    return time.perf_counter() - start


def report(res: dict, runs: int, sched: dict, write_s: float, full_s: float) -> None:
    base = res["baseline", 1]["wall"] / runs  # seconds per run, one process
    print("throughput (runs per minute, sweep call; start-up apart):")
    for kind in ("local", "dask"):
        for w in (1, 2):
            r = res[kind, w]
            print(
                f"  {kind:<5} workers={w}: {60 * runs / r['wall']:7.0f} runs/min  "
                f"({r['wall']:.2f} s; start-up {r['startup']:.2f} s)"
            )
    print(
        f"  baseline (one process, no pool): {60 / base:7.0f} runs/min ({base * 1e3:.1f} ms a run)"
    )
    print("targets:")
    for kind in ("local", "dask"):
        eff = res[kind, 1]["wall"] / (2 * res[kind, 2]["wall"])
        strict = res["baseline", 1]["wall"] / (2 * res[kind, 2]["wall"])
        print(
            f"  parallel efficiency at 2 workers, {kind}: {eff:.1%} of its own 1-worker time "
            f"{'MET' if eff >= 0.85 else 'NOT MET'} (>= 85 %); {strict:.1%} of the baseline's"
        )
    for w in (1, 2):
        over = (res["dask", w]["wall"] - res["local", w]["wall"]) / runs
        print(
            f"  Dask overhead per run at {w} worker(s): {over * 1e3:+.2f} ms = {over / base:+.1%} "
            f"of a baseline run {'MET' if over / base < 0.10 else 'NOT MET'} (< 10 %)"
        )
    print(
        "the same overhead in CPU, which a busy shared machine moves far less than wall "
        "time (best of the repeats):"
    )
    for w in (1, 2):
        local, dask = res["local", w], res["dask", w]
        driver = dask["driver_cpu"] - local["driver_cpu"]
        inside = dask["in_worker"] - local["in_worker"]
        total = driver + inside
        print(
            f"  {w} worker(s): the driver's CPU a run {local['driver_cpu'] * 1e3:.1f} ms local, "
            f"{dask['driver_cpu'] * 1e3:.1f} ms Dask ({driver * 1e3:+.1f}); a run inside its "
            f"worker {local['in_worker'] * 1e3:.1f} ms local, {dask['in_worker'] * 1e3:.1f} ms "
            f"Dask ({inside * 1e3:+.1f}); together {total * 1e3:+.1f} ms = "
            f"{total / base:+.1%} of a baseline run {'MET' if total / base < 0.10 else 'NOT MET'} "
            f"(< 10 %); the Dask workers' CPU a run, the run included, "
            f"{dask['worker_cpu'] * 1e3:.1f} ms"
        )
    print(
        f"for the projection: driver stores a run in {write_s * 1e3:.2f} ms "
        f"({1 / write_s:,.0f} runs/s at most); the scheduler passes {sched['tasks_per_s']:,.0f} "
        f"no-op tasks/s (LocalCluster, 2 workers, 500 in flight); a default run (scale 1, 120 months) takes "
        f"{full_s:.2f} s here"
    )
    project(base, full_s, res, runs, sched["tasks_per_s"], write_s)


def project(base: float, full_s: float, res: dict, runs: int, sched: float, write_s: float) -> None:
    over = max(0.0, (res["dask", 2]["wall"] - res["local", 2]["wall"]) / runs * 2)  # per worker-run
    n = 100_000
    print(f"projection: a {n:,}-run Sobol design of default runs ({full_s:.2f} s each):")
    for workers in (100, 1000):
        compute = n * (full_s + over) / workers
        driver = n * write_s
        scheduler = n / sched
        limit = max(
            ("the runs themselves", compute),
            ("the driver's writes", driver),
            ("the scheduler", scheduler),
            key=lambda kv: kv[1],
        )
        print(
            f"  {workers:>5} workers: compute {compute / 60:6.1f} min, driver writes "
            f"{driver / 60:5.1f} min, scheduler {scheduler / 60:5.1f} min -> about "
            f"{limit[1] / 60:.0f} min, limited by {limit[0]}"
        )
    print(
        "  (the three overlap: the driver writes while workers compute, so the largest one "
        "bounds the sweep; measured on this 2-core machine, where a cluster node's cores and disk "
        "differ)"
    )
