"""Which mechanism produces which pattern: each switched off in turn.

For every pattern of docs/ODD.md the model is run with the mechanism the ODD
names and without it, on the same seeds, and the difference is printed with a
two-sided Mann-Whitney p-value (the lag's dose-response with a one-sided
Spearman test). Nothing is tuned here; it is a measurement.

    .venv/bin/python benchmarks/mechanisms.py [--seeds 8] [--workers 2]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scipy.stats import spearmanr

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _paired import Side, average, compare, final, peak, run_sides, total  # noqa: E402

from sim.stories import BOOM_ENDS, PERFORMANCE, SUBSIDY_MONEY  # noqa: E402

# the Guideline's capacity push switched on in 2015, as scenarios/oversupply_capacity_subsidy
# has it: a subsidy per seat and a local target from then on (a lever set for the whole
# run would have been in force through the spin-up too: a steady state, not a wave)
SWITCH_ON = {
    "makerspace_subsidy_mode": {"2014-01": "per_occupied_seat", "2015-03": "per_seat"},
    "makerspace_subsidy_rate": {"2014-01": 150.0, "2015-03": 1200.0},
    "local_budget": {"2014-01": 30e6, "2015-03": 150e6},
    "local_target_spaces": {"2014-01": 0, "2015-06": 60},
    "local_target_date": "2016-12",
}


def vacancy(frame) -> float:
    """Largest share of seats empty in any month after the boom ends (2018 on)."""
    return float(1.0 - frame["occupancy_rate"].iloc[48:].min())


# (pattern, mechanism, with it, without it, months, [(measure name, function)])
EXPERIMENTS = [
    (
        "oversupply when a founding boom ends",
        "operators read desk figures 18 months old (against current figures)",
        {**BOOM_ENDS, "observation_lag": 18},
        {**BOOM_ENDS, "observation_lag": 0},
        96,
        [("largest share of seats empty", vacancy), ("peak seats", peak("seats", 12))],
    ),
    (
        "oversupply when a founding boom ends",
        "operators hear of half the openings since (against all of them), lag 18",
        {**BOOM_ENDS, "observation_lag": 18, "pipeline_visibility": 0.5},
        {**BOOM_ENDS, "observation_lag": 18, "pipeline_visibility": 1.0},
        96,
        [("largest share of seats empty", vacancy)],
    ),
    (
        "oversupply when a founding boom ends",
        "operators learn from how entrants fared (against not learning), lag 18",
        {**BOOM_ENDS, "observation_lag": 18},
        {**BOOM_ENDS, "observation_lag": 18, "entrant_learning": 0.0},
        96,
        [("largest share of seats empty", vacancy)],
    ),
    (
        "oversupply under capacity pay",
        "subsidy per seat built (against per occupied seat), same rate and budget",
        {"makerspace_subsidy_mode": "per_seat", **SUBSIDY_MONEY},
        {"makerspace_subsidy_mode": "per_occupied_seat", **SUBSIDY_MONEY},
        72,
        [
            ("mean occupancy, months 13-72", average("occupancy_rate", 12)),
            ("most spaces open", peak("makerspaces_open")),
            ("public money per surviving startup", final("spending_per_surviving_startup")),
        ],
    ),
    (
        "oversupply from local targets",
        "a target of 60 spaces by 2015-12 (against none)",
        {"local_target_spaces": 60, "local_target_date": "2015-12"},
        {"local_target_spaces": 0},
        72,
        [
            ("most spaces open", peak("makerspaces_open")),
            ("mean occupancy, months 13-72", average("occupancy_rate", 12)),
        ],
    ),
    (
        "closure wave after the taper",
        "a capacity push from 2015 tapering 100/70/30 % (against paid in full for ten years)",
        SWITCH_ON,
        {**SWITCH_ON, "subsidy_taper": [1.0] * 10},
        84,
        [
            ("spaces closed, months 37-84", total("makerspaces_closed", 36)),
            ("spaces open at the end", final("makerspaces_open")),
        ],
    ),
    (
        "performance pay selects",
        "operators paid per surviving startup may screen (against not)",
        PERFORMANCE,
        {**PERFORMANCE, "operators_screen": False},
        72,
        [
            ("quality admitted / applied, months 13-72", average("admitted_quality_ratio", 12)),
            ("quality housed / all, months 13-72", average("tenant_quality_ratio", 12)),
            ("applicants turned away", total("applicants_rejected")),
            ("startups alive at the end", final("startups_alive")),
        ],
    ),
    (
        "performance pay against capacity pay",
        "subsidy per surviving startup (against per seat), same rate and budget",
        PERFORMANCE,
        {"makerspace_subsidy_mode": "per_seat", **SUBSIDY_MONEY},
        72,
        [
            ("public money per surviving startup", final("spending_per_surviving_startup")),
            ("mean occupancy, months 13-72", average("occupancy_rate", 12)),
            ("startups alive at the end", final("startups_alive")),
        ],
    ),
    (
        "an unsubsidised market settles at an ordinary occupancy",
        "no subsidy and no target (against the default pre-2015 subsidy)",
        {"makerspace_subsidy_mode": "none"},
        {},
        120,
        [("mean occupancy, months 13-120", average("occupancy_rate", 12))],
    ),
    (
        "entry responds to the wage",
        "a hub wage of 6,000 yuan (against 12,000)",
        {"monthly_wage": 6000.0},
        {"monthly_wage": 12000.0},
        24,
        [("founders entered", total("founders_entered"))],
    ),
]

LAGS = (0, 6, 12, 18, 24)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    seeds = tuple(range(args.seeds))
    sides = [
        Side(levers, months, seeds) for _, _, a, b, months, _ in EXPERIMENTS for levers in (a, b)
    ]
    sides += [Side({**BOOM_ENDS, "observation_lag": lag}, 96, seeds) for lag in LAGS]
    runs = run_sides(sides, args.workers)
    print(
        f"scale 0.5, {args.seeds} seeds a side (the same seeds both sides); two-sided Mann-Whitney"
    )
    for i, (pattern, mechanism, _, _, _, measures) in enumerate(EXPERIMENTS):
        on, off = runs[2 * i], runs[2 * i + 1]
        print(f"\n{pattern}: {mechanism}")
        for name, fn in measures:
            a, b, p = compare([fn(f) for f in on], [fn(f) for f in off])
            print(f"  {name:44s} {a:14,.3f} vs {b:14,.3f}   p = {p:.4f}")
    closure = next(i for i, e in enumerate(EXPERIMENTS) if e[0].startswith("closure"))
    wave = runs[2 * closure]
    government = [float(f["occupancy_rate_government"].iloc[-12:].mean()) for f in wave]
    private = [float(f["occupancy_rate_private"].iloc[-12:].mean()) for f in wave]
    a, b, p = compare(government, private)
    print("\nzombies: after the taper, government-led spaces live on their budget")
    print(
        f"  occupancy in the last year, government-led {a:8.3f} vs private {b:8.3f}   p = {p:.4f}"
    )
    share = [
        float(f["makerspaces_government"].iloc[-1] / f["makerspaces_open"].iloc[-1]) for f in wave
    ]
    before = [
        float(f["makerspaces_government"].iloc[12] / f["makerspaces_open"].iloc[12]) for f in wave
    ]
    a, b, p = compare(share, before)
    print(
        f"  government-led share of spaces open, end {a:8.3f} vs a year in {b:8.3f}   p = {p:.4f}"
    )
    lagged = runs[2 * len(EXPERIMENTS) :]
    dose = [lag for lag, frames in zip(LAGS, lagged, strict=True) for _ in frames]
    measured = [vacancy(f) for frames in lagged for f in frames]
    means = ", ".join(
        f"lag {lag}: {sum(vacancy(f) for f in frames) / len(frames):.3f}"
        for lag, frames in zip(LAGS, lagged, strict=True)
    )
    p = spearmanr(dose, measured, alternative="greater").pvalue
    print("\noversupply when a founding boom ends, by the age of operators' figures")
    print(f"  largest share of seats empty: {means}; one-sided Spearman p = {p:.4f}")


if __name__ == "__main__":
    main()
