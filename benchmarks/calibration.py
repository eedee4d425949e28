"""The model's figures beside the stylized facts of the brief.

Runs the default economy (and, for crowdfunding, the same economy with the
pilot open) over several seeds and prints what the model produces next to
the published figure. Nothing here is fitted: it is a measurement.

    python benchmarks/calibration.py [--seeds 5] [--months 120] [--scale 1]
"""

from __future__ import annotations

import argparse

import numpy as np

from sim.cohorts import pooled_survival
from sim.model import StartupEcosystem

US_SURVIVAL = (79.6, 68.1, 60.6, 54.3, 49.6)


def run(seed: int, months: int, scale: float, **levers) -> StartupEcosystem:
    model = StartupEcosystem(rng=seed, scale=scale, **levers)
    for _ in range(months):
        model.step()
    return model


def angel_figures(models) -> tuple[float, float, float]:
    deals = np.array([d for m in models for d in m.angel_outcomes]).reshape(-1, 2)
    multiple = deals[:, 1] / deals[:, 0]
    payouts = np.sort(deals[:, 1])[::-1]
    top = payouts[: max(1, len(payouts) // 10)].sum() / max(payouts.sum(), 1.0)
    return float((multiple < 1).mean()), float((multiple > 10).mean()), float(top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--months", type=int, default=120)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    seeds = range(args.seeds)
    models = [run(s, args.months, args.scale) for s in seeds]
    survival = np.nanmean([pooled_survival(m) for m in models], axis=0) * 100
    print(f"default economy, {args.months} months, seeds 0-{args.seeds - 1}, scale {args.scale}")
    print("five-year survival of new ventures (%)   model          US 1994 cohort")
    for year, (ours, ref) in enumerate(zip(survival, US_SURVIVAL, strict=True), start=1):
        print(f"  after year {year}                          {ours:5.1f}          {ref:5.1f}")
    below, tenfold, top = angel_figures(models)
    print(f"angel deals returning < 1x               {below:6.1%}         more than half")
    print(f"angel deals returning > 10x              {tenfold:6.1%}         about 7 %")
    print(f"cash from the top tenth of payouts       {top:6.1%}         about 90 %")
    crowd = [run(s, args.months, args.scale, crowdfunding_enabled=True) for s in seeds]
    frames = [m.datacollector.get_model_vars_dataframe() for m in crowd]
    tried = sum(f["crowdfunding_campaigns"].sum() for f in frames)
    won = sum(f["crowdfunding_successes"].sum() for f in frames)
    print(
        f"crowdfunding campaigns reaching target   {won / max(tried, 1):6.1%}         fewer than 1 in 6 ({tried} campaigns)"
    )
    start = [len(m.cohort_log) for m in models]
    print(f"ventures ever alive per run              {np.mean(start):8.0f}")


if __name__ == "__main__":
    main()
