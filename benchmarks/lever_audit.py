"""Every lever of the catalogue from its minimum to its maximum: what moves.

For each lever (with the levers it ``needs`` set to a value that lets it act,
as ``sim levers --json`` lists them), the default economy runs at the lever's
lowest and highest value on the same seeds, and every summary outcome whose
two sides differ (two-sided Mann-Whitney p < 0.05) is printed with its change.
A lever that moves nothing but public spending is reported as having no
behavioural effect. Nothing is tuned here; it is a measurement.

    .venv/bin/python benchmarks/lever_audit.py [--seeds 8] [--months 72] [--lever NAME ...]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _paired import Side, average, compare, final, run_sides, total  # noqa: E402

from sim.levers import LEVERS  # noqa: E402

# values that let a lever act when it needs another (what `needs` names)
ENABLE = {
    "makerspace_subsidy_mode": "per_occupied_seat",
    "makerspace_subsidy_rate": 600.0,
    "local_target_spaces": 100,
    "crowdfunding_enabled": True,
}
# the two ends of a lever that is not a plain number
ENDS = {
    "subsidy_taper": ([0.0], [1.0] * 10),
    "local_target_date": ("2014-12", "2021-12"),
    "makerspace_subsidy_mode": ("none", "per_seat"),
}
SPENDING = {"cumulative public spending", "grants paid", "subsidies paid"}
MEASURES = [
    ("founders entered", total("founders_entered")),
    ("researchers entered", total("researchers_entered")),
    ("failed founders back", total("failed_founders_reentered")),
    ("startups alive (end)", final("startups_alive")),
    ("startups failed", total("startups_failed")),
    ("startups quit", total("startups_quit")),
    ("exits", total("startups_exited")),
    ("listings", total("listings")),
    ("jobs (end)", final("jobs")),
    ("jobs in exited ventures", final("jobs_in_exited")),
    ("monthly revenue (mean)", average("revenue")),
    ("hub share of startups (end)", final("hub_share_of_startups")),
    ("makerspaces open (end)", final("makerspaces_open")),
    ("makerspaces closed", total("makerspaces_closed")),
    ("seats (end)", final("seats")),
    ("occupancy (mean)", average("occupancy_rate")),
    ("government-led occupancy (mean)", average("occupancy_rate_government")),
    ("ventures housed (end)", final("founders_in_makerspaces")),
    ("angels active (end)", final("angels_active")),
    ("angel deals", total("angel_deals")),
    ("seed rounds", total("seed_funded")),
    ("crowdfunding successes", total("crowdfunding_successes")),
    ("bank lending", total("bank_lending")),
    ("cumulative public spending", final("cumulative_public_spending")),
    ("grants paid", total("grants_paid")),
    ("subsidies paid", total("subsidies_paid")),
]


def ends(p):
    if p.name in ENDS:
        return ENDS[p.name]
    if p.type == "boolean":
        return False, True
    return p.min, p.max


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=8)
    parser.add_argument("--months", type=int, default=72)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--lever", action="append", help="only these levers (repeat)")
    args = parser.parse_args()
    levers = [p for p in LEVERS if not args.lever or p.name in args.lever]
    seeds = tuple(range(args.seeds))
    sides, plan = [], []
    for p in levers:
        base = {name: ENABLE[name] for name in p.needs if name in ENABLE}
        low, high = ends(p)
        plan.append((p, base, low, high))
        sides += [Side({**base, p.name: low}, args.months, seeds),
                  Side({**base, p.name: high}, args.months, seeds)]  # fmt: skip
    runs = run_sides(sides, args.workers)
    print(f"scale 0.5, {args.months} months, {args.seeds} seeds a side; two-sided Mann-Whitney")
    print("p < 0.05; change = mean at the maximum against mean at the minimum")
    dead = []
    for i, (p, base, low, high) in enumerate(plan):
        lo, hi = runs[2 * i], runs[2 * i + 1]
        needs = f"  (needs {', '.join(f'{n}={v}' for n, v in base.items())})" if base else ""
        print(f"\n{p.name}: {low} -> {high}{needs}")
        moved = []
        for name, fn in MEASURES:
            a, b, pval = compare([fn(f) for f in lo], [fn(f) for f in hi])
            if pval < 0.05:
                change = f"{(b - a) / abs(a):+.0%}" if a else f"{a:,.3g} -> {b:,.3g}"
                moved.append(name)
                print(f"  {name:34s} {a:14,.3f} -> {b:14,.3f}  {change:>8s}  p = {pval:.4f}")
        if not set(moved) - SPENDING:
            dead.append(p.name)
            print("  no behavioural outcome moves")
    print(f"\nlevers with no behavioural effect: {', '.join(dead) if dead else 'none'}")


if __name__ == "__main__":
    main()
