"""Speed and memory of sweeps: ``mesa.batch_run`` against our runner.

Usage::

    .venv/bin/python benchmarks/bench_sweep.py            # the full comparison
    .venv/bin/python benchmarks/bench_sweep.py --quick    # fewer runs, a smoke test

One script, one machine, one sitting. The same 200-run sweep of short runs
(a 4-point grid x 50 seeds, ``months`` steps at ``scale``) goes through
``mesa.batch_run`` (every step collected, as our runner does) and through
``sim.run_experiment``, each with 1 and 2 worker processes; then our runner
does a 1,000-run sweep (and a 500-run one, to show memory does not grow
with the number of runs); ``batch_run`` does the 1,000-run sweep too, to
show how its memory grows with the results it holds.

How memory is measured: each case runs in a fresh child interpreter; this
script samples the child's whole process tree (the child, its pool workers
and, for ours, the forkserver) every 50 ms with psutil and keeps the peak of
the *sum* over processes of RSS and of PSS. RSS counts pages shared between
forked processes once per process (so it overstates a forked tree); PSS
splits shared pages between the processes that share them (Linux only) and
is the fairer total. "main process" is the peak RSS of the child's own
process (``getrusage``): where ``batch_run`` keeps every result.

Wall time is measured inside the child around the sweep call only: the
model is imported before the clock starts wherever it runs in the main
process (always for ``batch_run``, which takes the class; for ours with one
worker); pool start-up (spawned workers for ``batch_run``, the forkserver
for ours) is included.
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

import psutil

HERE = Path(__file__).resolve()
POINTS = {"mentorship": [0.1, 0.3, 0.5, 0.7]}


def sweep_yaml(name: str, seeds: int, months: int, scale: float) -> str:
    values = ", ".join(str(v) for v in POINTS["mentorship"])
    return (
        f"name: {name}\nmonths: {months}\nreplications: {seeds}\nseed: 1\n"
        f"parameters: {{scale: {scale}}}\n"
        f"sweep:\n  design: grid\n  factors:\n    mentorship: [{values}]\n"
    )


# --- the cases, each run in a child interpreter --------------------------------
def case_batch_run(runs: int, workers: int, months: int, scale: float) -> dict:
    import mesa

    from sim.model import StartupEcosystem

    seeds = list(range(runs // len(POINTS["mentorship"])))
    start = time.perf_counter()
    rows = mesa.batch_run(
        StartupEcosystem,
        parameters={"scale": scale, **POINTS},
        rng=seeds,
        max_steps=months,
        number_processes=workers,
        data_collection_period=1,
        display_progress=False,
    )
    wall = time.perf_counter() - start
    return {"wall": wall, "rows": len(rows)}


def case_ours(runs: int, workers: int, months: int, scale: float) -> dict:
    import sim

    if workers == 1:  # runs in this process: import the model before the clock, as batch_run does
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


CASES = {"batch_run": case_batch_run, "ours": case_ours}


# --- the parent: launch, sample memory, report -----------------------------------
def tree_memory(proc: psutil.Process, full: bool) -> tuple[int, int]:
    """Sum of RSS (and of PSS when ``full``) over a process and its descendants."""
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
    stop.set()
    sampler.join()
    if child.returncode:
        raise SystemExit(f"{case} failed with status {child.returncode}")
    result = json.loads(out.strip().splitlines()[-1])
    result.update(
        case=case,
        runs=runs,
        workers=workers,
        rss_mb=peak["rss"] / 2**20,
        pss_mb=peak["pss"] / 2**20,
    )
    return result


def show(r: dict) -> None:
    print(
        f"  {r['case']:<9} runs={r['runs']:<5} workers={r['workers']}  wall {r['wall']:6.2f} s  "
        f"({r['runs'] / r['wall']:5.1f} runs/s)  peak RSS {r['rss_mb']:6.0f} MB  "
        f"peak PSS {r['pss_mb']:6.0f} MB  main process {r['main_mb']:5.0f} MB",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="40 and 200 runs instead of 200 and 1,000"
    )
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--scale", type=float, default=0.2)
    parser.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        case, runs, workers, months, scale = args.child
        result = CASES[case](int(runs), int(workers), int(months), float(scale))
        result["main_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return
    small, large = (40, 200) if args.quick else (200, 1000)
    print(
        f"sweep: {small} runs = 4 points x {small // 4} seeds, {args.months} months at scale "
        f"{args.scale}; {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    res = {}
    for workers in (1, 2):
        for case in ("batch_run", "ours"):
            res[case, workers] = r = measure(case, small, workers, args.months, args.scale)
            show(r)
    for runs in (large // 2, large):
        res["ours", 2, runs] = r = measure("ours", runs, 2, args.months, args.scale)
        show(r)
    # for comparison: how batch_run's memory grows when it holds 5x the results
    res["batch_run", 2, large] = r = measure("batch_run", large, 2, args.months, args.scale)
    show(r)
    print("ratios:")
    for w in (1, 2):
        b, o = res["batch_run", w], res["ours", w]
        print(
            f"  workers={w}: ours is {b['wall'] / o['wall']:.2f}x the speed of batch_run; "
            f"batch_run peak / ours: RSS {b['rss_mb'] / o['rss_mb']:.2f}x, PSS "
            f"{b['pss_mb'] / o['pss_mb']:.2f}x, main process {b['main_mb'] / o['main_mb']:.2f}x"
        )
    for case in ("batch_run", "ours"):
        speedup = res[case, 1]["wall"] / res[case, 2]["wall"]
        print(f"  {case}: 2 workers give {speedup:.2f}x the throughput of 1")
    half, full = res["ours", 2, large // 2], res["ours", 2, large]
    print(
        f"  ours, {large} runs: peak PSS {full['pss_mb']:.0f} MB (RSS {full['rss_mb']:.0f} MB); "
        f"{large // 2} runs: {half['pss_mb']:.0f} MB; growth {full['pss_mb'] - half['pss_mb']:+.0f} MB"
    )
    b_small, b_large = res["batch_run", 2], res["batch_run", 2, large]
    print(
        f"  main process from {small} to {large} runs: batch_run {b_small['main_mb']:.0f} -> "
        f"{b_large['main_mb']:.0f} MB, ours {res['ours', 2]['main_mb']:.0f} -> {full['main_mb']:.0f} MB"
    )


if __name__ == "__main__":
    main()
