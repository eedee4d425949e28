"""The ``history`` scenario beside the published counts of spaces, 2015-2017.

    python benchmarks/history.py [--seeds 5]

Runs ``scenarios/history.yaml`` (the Guideline timetable at 1:100, from
2014-01) and prints, at the end of each year, the spaces the model has open
beside the national counts divided by 100. The model does not tell a
"makerspace" from an "incubator": its 16 initial spaces stand for the 1,600
incubators of 2014, and every space opened during the run is new capacity of
either kind. So the comparisons are (a) all spaces against incubators plus
makerspaces, (b) spaces opened since 2014 against makerspaces plus the
incubators opened since 2014, (c) seats and ventures housed in spaces opened
since 2014 against makerspace seats and startups served by makerspaces.
Nothing is fitted to these figures: it is a measurement.

Published figures (national, divided by 100):

- makerspaces registered with the Torch Center: 2,345 (2015), 4,298 (2016),
  5,739 (2017), with over 1.05 million seats in 2017 (the brief; Torch
  Center, *2018 Report on Entrepreneurship and Incubation Development*);
- incubators: 1,600 in 2014 (the brief), 3,255 at the end of 2016, with
  1,787 of them opened in the three years before (Torch Center figures as
  reported by Xinhua, 19 Sep 2017, and People's Daily, 24 May 2017);
- makerspaces served about 204,000 startups and teams in 2016 (the brief).
"""

from __future__ import annotations

import argparse
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "history.yaml"
YEARS = ("2014-12", "2015-12", "2016-12", "2017-12", "2019-12", "2021-12")
PUBLISHED = {  # at 1:100; None where no figure was published
    "all spaces (incubators + makerspaces)": (None, None, 32.55 + 42.98, None, None, None),
    "spaces opened since 2014": (None, None, 17.87 + 42.98, None, None, None),
    "seats in spaces opened since 2014": (None, None, None, 10_500, None, None),
    "ventures housed in spaces opened since 2014": (None, None, 2_040, None, None, None),
}


def measure(model) -> dict[str, float]:
    new = [s for region in model.spaces_by_region for s in region if s.opened_in_run]
    return {
        "all spaces (incubators + makerspaces)": model.outcomes["makerspaces_open"],
        "spaces opened since 2014": model.outcomes["makerspaces_new"],
        "seats in spaces opened since 2014": sum(s.seats for s in new),
        "ventures housed in spaces opened since 2014": sum(len(s.occupants) for s in new),
    }


def run(seed: int) -> list[dict[str, float]]:
    from sim.experiments.loader import load_scenario
    from sim.levers import resolve
    from sim.model import StartupEcosystem

    scenario = load_scenario(SCENARIO).scenario
    model = StartupEcosystem(rng=seed, collect=False, **resolve(scenario.base_values()))
    rows = []
    for _ in range(scenario.months):
        model.step()
        if model.date in YEARS:
            rows.append(measure(model))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args()
    with ProcessPoolExecutor(2) as pool:
        runs = list(pool.map(run, range(args.seeds)))
    print(f"history scenario, seeds 0-{args.seeds - 1}: model mean (published / 100)")
    print(f"{'end of':46s}" + "".join(f"{y[:4]:>18s}" for y in YEARS))
    for name, published in PUBLISHED.items():
        cells = []
        for i, ref in enumerate(published):
            ours = np.mean([r[i][name] for r in runs])
            cells.append(f"{ours:,.0f} ({ref:,.0f})" if ref is not None else f"{ours:,.0f}")
        print(f"{name:46s}" + "".join(f"{c:>18s}" for c in cells))
    print(
        "registered makerspaces alone (published / 100):"
        "  < 0.5 (2014), 23 (2015), 43 (2016), 57 (2017)"
    )


if __name__ == "__main__":
    main()
