"""The model's figures beside the stylized facts of the brief.

Runs the default economy (and, for crowdfunding, the same economy with the
pilot open) over several seeds and prints what the model produces next to
the published figure. Nothing here is fitted: it is a measurement.

    python benchmarks/calibration.py [--seeds 5] [--months 120] [--scale 1]
"""

from __future__ import annotations

import argparse
from concurrent.futures import ProcessPoolExecutor
from functools import partial

import numpy as np

from sim import stylized
from sim.model import StartupEcosystem

US_SURVIVAL = (79.6, 68.1, 60.6, 54.3, 49.6)


def run(seed: int, months: int, scale: float, crowd: bool = False) -> dict:
    model = StartupEcosystem(rng=seed, scale=scale, crowdfunding_enabled=crowd)
    for _ in range(months):
        model.step()
    out = stylized.run_figures(model)
    out["frame"] = model.datacollector.get_model_vars_dataframe()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--months", type=int, default=120)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    seeds = range(args.seeds)
    with ProcessPoolExecutor(2) as pool:
        models = list(pool.map(partial(run, months=args.months, scale=args.scale), seeds))
        crowd = list(
            pool.map(partial(run, months=args.months, scale=args.scale, crowd=True), seeds)
        )
    survival = np.nanmean([m["survival"] for m in models], axis=0) * 100
    print(f"default economy, {args.months} months, seeds 0-{args.seeds - 1}, scale {args.scale}")
    print("five-year survival of new ventures (%)   model          US 1994 cohort")
    for year, (ours, ref) in enumerate(zip(survival, US_SURVIVAL, strict=True), start=1):
        print(f"  after year {year}                          {ours:5.1f}          {ref:5.1f}")
    angels = stylized.angel_figures(m["deals"] for m in models)
    print(
        f"angel deals returning < 1x               {angels['below_1x']:6.1%}         more than half"
    )
    print(f"angel deals returning > 10x              {angels['above_10x']:6.1%}         about 7 %")
    print(
        f"cash from the top tenth of payouts       {angels['top_tenth_cash']:6.1%}         about 90 %"
    )
    tried, rate = stylized.crowd_success([m["frame"] for m in crowd])
    print(
        f"crowdfunding campaigns reaching target   {rate:6.1%}         fewer than 1 in 6 "
        f"({tried:.0f} campaigns)"
    )
    print(f"angel deals resolved in the runs         {angels['deals']:8.0f}")
    start = [m["ventures"] for m in models]
    print(f"ventures ever alive per run              {np.mean(start):8.0f}")


if __name__ == "__main__":
    main()
