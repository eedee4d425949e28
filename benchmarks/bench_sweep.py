"""Speed and memory of sweeps: ``mesa.batch_run`` against our runner.

Usage::

    .venv/bin/python benchmarks/bench_sweep.py            # the full comparison
    .venv/bin/python benchmarks/bench_sweep.py --quick    # fewer runs, a smoke test
    .venv/bin/python benchmarks/bench_sweep.py --executors  # local pool against Dask

``--executors`` runs the comparison of ``executor_cases.py`` instead: the
local pool and a Dask ``LocalCluster`` at 1 and 2 workers on the same sweep,
parallel efficiency, Dask's overhead per run, and a projection of a
100,000-run design on 100 and 1,000 workers.

One script, one machine, one sitting. The same 200-run sweep (a 4-point
grid x 50 seeds, ``--months`` steps at ``--scale``) goes through
``mesa.batch_run`` (every step collected, ``data_collection_period=1``, as
our runner does) and through ``sim.run_experiment``, each with 1 and 2
worker processes; then our runner does a 500- and a 1,000-run sweep (to show
memory does not grow with the number of runs) and ``batch_run`` does the
1,000-run sweep too, to show how its memory grows with the results it holds.
Both runners get the very same runs: same parameters, same seeds
(``batch_run`` runs ``seeded_model.SeededEcosystem``, which seeds run
(point, replication) as our runner does), same steps, same data, same
workers.

Run length: 48 months at scale 0.2 (about 0.1 s a run). A run's fixed costs
(building the model, handing its data over) are small either way; what a
short run exaggerates is pool start-up, which with 2 workers is paid inside
the clock (about 0.65 s to import Mesa, pandas, SciPy and NetworkX in the
forkserver; ``batch_run`` pays the same imports in its spawned workers)
while the 1-worker cases import the model before the clock. At 24 months
start-up is ~10% of a 6 s sweep; at 48 months it is ~5%, closer to what a
real sweep (96-120 months, hundreds of runs) sees.

Each 200-run case runs ``--repeat`` times (default 2), interleaved, and
reports its fastest wall time and its highest memory peaks, the same rule for
both runners; the 500- and 1,000-run cases run once.

How memory is measured: each case runs in a fresh child interpreter; this
script samples the child's whole process tree (the child, its pool workers
and, for ours, the forkserver; a worker assembles the tables) every
50 ms (PSS every 250 ms) with psutil and keeps the peak of the *sum* over
processes of RSS and of PSS. RSS counts pages shared between forked
processes once per process (so it overstates a forked tree); PSS splits
shared pages between the processes that share them (Linux only) and is the
fairer total. "main" is the peak RSS of the child's own process
(``getrusage``): where ``batch_run`` keeps every result, and where our
runner only coordinates when it has a pool (with 1 worker both runners run
the model in the main process).

Two clocks. "wall" is measured inside the child around the sweep call
only: the runner's own module is imported before the clock (``mesa`` for
``batch_run``, ``sim.experiments.runner`` for ours), and so is the model
wherever it runs in the main process (always for ``batch_run``, which takes
the class; for ours with one worker); pool start-up (spawned workers for
``batch_run``, the forkserver for ours) is included. "whole process" is
measured by this script from starting the child to its exit: interpreter
start, every import, the sweep, and (ours) deleting the results folder.
Close other work first: on a 2-core machine one busy process elsewhere
halves the 2-worker figures.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve()
SEED = 1  # root seed of the sweep (seeded_model.SEED)
POINTS = {"mentorship": [0.1, 0.3, 0.5, 0.7]}  # (seeded_model.MENTORSHIP)


def sweep_yaml(name: str, seeds: int, months: int, scale: float) -> str:
    values = ", ".join(str(v) for v in POINTS["mentorship"])
    return (
        f"name: {name}\nmonths: {months}\nreplications: {seeds}\nseed: {SEED}\n"
        f"parameters: {{scale: {scale}}}\n"
        f"sweep:\n  design: grid\n  factors:\n    mentorship: [{values}]\n"
    )


# --- the cases, each run in a child interpreter --------------------------------
def case_batch_run(runs: int, workers: int, months: int, scale: float) -> dict:
    import mesa
    from seeded_model import MENTORSHIP, SeededEcosystem
    from seeded_model import SEED as MODEL_SEED

    assert (POINTS["mentorship"], SEED) == (MENTORSHIP, MODEL_SEED)
    replications = range(runs // len(POINTS["mentorship"]))
    start = time.perf_counter()
    rows = mesa.batch_run(
        SeededEcosystem,  # seeds run (point, replication) as our runner does: the same runs
        parameters={"scale": scale, **POINTS, "replication": replications},
        max_steps=months,
        number_processes=workers,
        data_collection_period=1,
        display_progress=False,
    )
    wall = time.perf_counter() - start
    return {"wall": wall, "rows": len(rows)}


def case_ours(runs: int, workers: int, months: int, scale: float) -> dict:
    import sim
    import sim.experiments.runner  # noqa: F401  (before the clock, as mesa is for batch_run)

    if workers == 1:  # runs in this process: import the model before the clock, as batch_run does
        import sim.evaluation  # noqa: F401
        import sim.model  # noqa: F401

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.yaml"
        path.write_text(sweep_yaml("bench", runs // len(POINTS["mentorship"]), months, scale))
        start = time.perf_counter()
        res = sim.run_experiment(
            path, out=Path(tmp) / "out", workers=workers, quiet=True, plots=False
        )
        wall = time.perf_counter() - start
        rows = res.manifest["runs_done"] * months
    return {"wall": wall, "rows": rows}


def _engine_case(kind: str) -> Any:
    def case(runs: int, workers: int, months: int, scale: float) -> dict:
        from executor_cases import case_engine

        yaml = sweep_yaml("bench", runs // len(POINTS["mentorship"]), months, scale)
        return case_engine(kind, runs, workers, months, scale, yaml)

    return case


CASES = {"batch_run": case_batch_run, "ours": case_ours}
CASES.update({kind: _engine_case(kind) for kind in ("baseline", "local", "dask")})


# --- the parent: launch, sample memory, report -----------------------------------
def tree_memory(proc: Any, full: bool) -> tuple[int, int]:
    """Sum of RSS (and of PSS when ``full``) over a process and its descendants."""
    import psutil  # in the measuring process only: the measured child never imports it

    rss = pss = 0
    try:
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0, 0
    for p in procs:
        try:
            info = p.memory_full_info() if full else p.memory_info()
        except psutil.Error:
            continue
        rss += info.rss
        pss += getattr(info, "pss", 0)
    return rss, pss


def measure(case: str, runs: int, workers: int, months: int, scale: float) -> dict:
    cmd = [
        sys.executable,
        str(HERE),
        "--child",
        case,
        str(runs),
        str(workers),
        str(months),
        str(scale),
    ]
    import psutil

    began = time.perf_counter()
    child = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    proc = psutil.Process(child.pid)
    peak = {"rss": 0, "pss": 0}
    stop = threading.Event()

    def sample() -> None:
        # RSS (cheap, /proc/PID/statm) every 50 ms; PSS (reads smaps_rollup, which
        # costs the sampled processes time) every 250 ms: on 2 cores a busier
        # sampler visibly slows the 2-worker cases
        tick = 0
        while not stop.is_set():
            rss, pss = tree_memory(proc, full=tick % 5 == 0)
            peak["rss"], peak["pss"] = max(peak["rss"], rss), max(peak["pss"], pss)
            tick += 1
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = child.communicate()
    whole = time.perf_counter() - began
    stop.set()
    sampler.join()
    if child.returncode:
        raise SystemExit(f"{case} failed with status {child.returncode}")
    result = json.loads(out.strip().splitlines()[-1])
    result.update(
        case=case,
        runs=runs,
        workers=workers,
        whole=whole,
        rss_mb=peak["rss"] / 2**20,
        pss_mb=peak["pss"] / 2**20,
    )
    return result


def show(r: dict) -> None:
    print(
        f"  {r['case']:<9} runs={r['runs']:<5} workers={r['workers']}  wall {r['wall']:6.2f} s  "
        f"({r['runs'] / r['wall']:5.1f} runs/s; whole process {r['whole']:6.2f} s)  "
        f"main {r['main_mb']:4.0f} MB  "
        f"tree: RSS {r['rss_mb']:4.0f} MB, PSS {r['pss_mb']:4.0f} MB",
        flush=True,
    )


def spread(repeats: dict, workers: int) -> str:
    """batch_run time / ours in each repeat (the cases run interleaved, so
    repeat i of both shared the machine's state)."""
    pairs = zip(repeats["batch_run", workers], repeats["ours", workers], strict=True)
    return ", ".join(f"{b['wall'] / o['wall']:.3f}" for b, o in pairs)


def best(results: list[dict]) -> dict:
    """Fastest wall time and highest memory peaks of repeats of one case."""
    out = dict(min(results, key=lambda r: r["wall"]))
    out["whole"] = min(r["whole"] for r in results)
    for key in ("main_mb", "rss_mb", "pss_mb"):
        out[key] = max(r[key] for r in results)
    return out


def verdict(ok: bool) -> str:
    return "MET" if ok else "NOT MET"


def report(res: dict, small: int, large: int, repeats: dict) -> None:
    b1, o1, b2, o2 = res["batch_run", 1], res["ours", 1], res["batch_run", 2], res["ours", 2]
    half, full, bfull = (
        res["ours", 2, large // 2],
        res["ours", 2, large],
        res["batch_run", 2, large],
    )
    print("targets:")
    print("  1. faster than batch_run at equal workers (batch_run time / ours):")
    for w, b, o in ((1, b1, o1), (2, b2, o2)):
        x, y = b["wall"] / o["wall"], b["whole"] / o["whole"]
        print(
            f"     workers={w}: sweep call {x:.3f}x  {verdict(x > 1)};  "
            f"whole process (imports included) {y:.3f}x  {verdict(y > 1)}"
        )
        print(f"        sweep call in each repeat: {spread(repeats, w)}")
    print("  2. at least 5x less peak memory (main-process peak RSS, batch_run / ours):")
    pairs = [(f"{small} runs, workers=1", b1, o1), (f"{small} runs, workers=2", b2, o2)]
    pairs.append((f"{large} runs, workers=2", bfull, full))
    for label, b, o in pairs:
        x = b["main_mb"] / o["main_mb"]
        print(
            f"     {label}: {b['main_mb']:.0f} / {o['main_mb']:.0f} MB = {x:.2f}x  {verdict(x >= 5)}"
            f"   (for comparison, summed PSS {b['pss_mb'] / o['pss_mb']:.2f}x, "
            f"summed RSS {b['rss_mb'] / o['rss_mb']:.2f}x)"
        )
    print(f"  3. {large:,}-run sweep (ours, 2 workers): peak under 300 MB, not growing with runs:")
    for label, key in (("main-process RSS", "main_mb"), ("summed PSS", "pss_mb")):
        print(
            f"     {label:<16}: {full[key]:4.0f} MB at {large} runs, {half[key]:4.0f} MB at "
            f"{large // 2}, growth {full[key] - half[key]:+4.0f} MB  {verdict(full[key] < 300)}"
        )
    print(
        f"     summed RSS      : {full['rss_mb']:4.0f} MB at {large} runs, {half['rss_mb']:4.0f} MB at "
        f"{large // 2}, growth {full['rss_mb'] - half['rss_mb']:+4.0f} MB  "
        f"{verdict(full['rss_mb'] < 300)}"
    )
    print(
        f"     (batch_run main process: {b2['main_mb']:.0f} MB at {small} runs -> "
        f"{bfull['main_mb']:.0f} MB at {large}; summed PSS {b2['pss_mb']:.0f} -> {bfull['pss_mb']:.0f} MB)"
    )
    print("  4. 2 workers at least 1.7x the throughput of 1 (time with 1 worker / with 2):")
    for case in ("ours", "batch_run"):
        x = res[case, 1]["wall"] / res[case, 2]["wall"]
        y = res[case, 1]["whole"] / res[case, 2]["whole"]
        mark = (lambda v: verdict(v >= 1.7)) if case == "ours" else (lambda v: "(comparison)")
        print(f"     {case}: sweep call {x:.2f}x  {mark(x)};  whole process {y:.2f}x  {mark(y)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="40 and 200 runs instead of 200 and 1,000"
    )
    parser.add_argument("--months", type=int, default=48)
    parser.add_argument("--scale", type=float, default=0.2)
    parser.add_argument("--repeat", type=int, default=2, help="repeats of each 200-run case")
    parser.add_argument(
        "--executors", action="store_true", help="local pool against Dask LocalCluster"
    )
    parser.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        case, runs, workers, months, scale = args.child
        result = CASES[case](int(runs), int(workers), int(months), float(scale))
        result["main_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return
    if args.executors:
        executors(args)
        return
    small, large = (40, 200) if args.quick else (200, 1000)
    print(
        f"sweep: {small} runs = 4 points x {small // 4} seeds, {args.months} months at scale "
        f"{args.scale}; {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    repeats: dict = {}
    for _ in range(args.repeat):
        for workers in (1, 2):
            for case in ("batch_run", "ours"):
                r = measure(case, small, workers, args.months, args.scale)
                repeats.setdefault((case, workers), []).append(r)
                show(r)
    res = {key: best(rs) for key, rs in repeats.items()}
    print(f"best of {args.repeat} (fastest wall, highest memory):")
    for key in repeats:
        show(res[key])
    for runs in (large // 2, large):
        res["ours", 2, runs] = r = measure("ours", runs, 2, args.months, args.scale)
        show(r)
    # for comparison: how batch_run's memory grows when it holds 5x the results
    res["batch_run", 2, large] = r = measure("batch_run", large, 2, args.months, args.scale)
    show(r)
    print(f"load average at the end {os.getloadavg()[0]:.2f}")
    report(res, small, large, repeats)


def executors(args: argparse.Namespace) -> None:
    """The executor comparison, every case in one sitting, interleaved."""
    import executor_cases as ec

    runs = 40 if args.quick else 200
    print(
        f"executors: {runs} runs = 4 points x {runs // 4} seeds, {args.months} months at scale "
        f"{args.scale}; {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    repeats: dict = {}
    for _ in range(args.repeat):
        for kind, workers in (
            ("baseline", 1),
            ("local", 1),
            ("local", 2),
            ("dask", 1),
            ("dask", 2),
        ):
            r = measure(kind, runs, workers, args.months, args.scale)
            repeats.setdefault((kind, workers), []).append(r)
            show(r)
    res = {key: best(rs) for key, rs in repeats.items()}
    for key, rs in repeats.items():  # start-up and CPU: the least of the repeats, as for wall
        for field in ("startup", "driver_cpu", "in_worker", "worker_cpu"):
            res[key][field] = min(r[field] for r in rs)
    sched = ec.case_scheduler(2000, 2)
    write_s = ec.driver_write_seconds(args.months, args.scale)
    full_s = ec.one_full_run_seconds()
    print(f"load average at the end {os.getloadavg()[0]:.2f}")
    ec.report(res, runs, sched, write_s, full_s)


if __name__ == "__main__":
    main()
