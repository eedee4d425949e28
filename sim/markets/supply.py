"""New makerspaces: operators who expect a profit, and local targets.

Would-be operators open a space when the profit they *expect* is positive,
subsidies included. They judge demand and price from the occupancy and rents
the statistics showed some months ago (plus founders turned away for lack of room), read
with noise and optimism. That lag is why supply overshoots: by the time
spaces open, many others have opened on the same old figures. Local
governments with a construction target build government-led spaces when the
count falls behind the path to the target; their losses are then covered
from the budget.
"""

from __future__ import annotations

import math

from sim.agents.makerspace import (
    FIXED_COST_SHARE,
    GOVERNMENT,
    IDLE_BUILDING_SAVING,
    SEAT_COST,
    UNIVERSITY,
)
from sim.regions import REGIONS

CANDIDATES = 1.5  # would-be operators per region and month at scale 1
OPERATOR_MIX = (0.6, 0.2, 0.2)  # private, university, corporate
SEATS_MEDIAN = 150
HURDLE = 0.05  # expected margin per seat, as a share of market rent
PLAN_YEARS = 3  # horizon over which operators average the subsidy taper
BUILD_COST_PER_SEAT = 3_000.0  # government construction and fit-out
CATCH_UP = 0.34  # share of the gap to the target path built in a month


def expected_subsidy_per_seat(model, occupancy: float, funded_rate: float) -> float:
    """What an operator expects to be paid per seat and month, averaged over the taper."""
    mode = model.lever("makerspace_subsidy_mode")
    rate = model.lever("makerspace_subsidy_rate")
    taper = model.lever("subsidy_taper")
    mean_taper = sum(taper[:PLAN_YEARS]) / PLAN_YEARS
    if mode == "per_seat":
        per_seat = rate
    elif mode == "per_occupied_seat":
        per_seat = rate * occupancy
    elif mode == "per_surviving_startup":
        per_seat = rate * occupancy * 0.3  # a team uses ~2 seats; ~60 % survive a year
    elif mode == "per_funded_startup":
        per_seat = rate * occupancy * 0.5 * funded_rate
    elif mode == "per_space":
        per_seat = rate / SEATS_MEDIAN
    else:
        per_seat = 0.0
    return per_seat * mean_taper


def open_spaces(model) -> None:
    """Would-be operators decide on expected profit; local governments chase targets."""
    rng = model.rng
    rnd = model.random
    optimism = model.lever("operator_optimism")
    idle_share = model.lever("idle_building_share")
    for r, region in enumerate(REGIONS):
        now = model.region_now[r]
        signal = model.demand_signal(r)
        funded = model.funded_rate(r)
        for _ in range(rng.poisson(CANDIDATES * model.scale * region.market)):
            operator = int(rng.choice(3, p=OPERATOR_MIX))
            idle = rnd.random() < idle_share
            occupancy = min(1.0, signal * (1.0 + optimism) * rnd.lognormvariate(0.0, 0.25))
            rent = model.observed_rent(r)
            fixed = FIXED_COST_SHARE[operator] * now.market_rent
            if idle:
                fixed *= 1.0 - IDLE_BUILDING_SAVING
            margin = (
                rent * occupancy
                - fixed
                - SEAT_COST * occupancy
                + expected_subsidy_per_seat(model, occupancy, funded)
            )
            if margin > HURDLE * now.market_rent:
                model.open_space(r, operator, _size(rnd), idle)
        _chase_target(model, r)


def _size(rnd) -> int:
    return max(20, int(SEATS_MEDIAN * rnd.lognormvariate(0.0, 0.5)))


def target_path(model, region: int) -> float:
    """Spaces the region's government wants open by now on the way to its target."""
    target = model.lever("local_target_spaces") * model.scale
    if target <= 0 or model.target_since is None:
        return 0.0
    share = REGIONS[region].zeal / sum(r.zeal for r in REGIONS)
    span = max(1, model.target_month - model.target_since + 1)
    progress = min(1.0, (model.abs_month - model.target_since + 1) / span)
    return target * share * progress


def _chase_target(model, region: int) -> None:
    gap = target_path(model, region) - model.open_count[region]
    if gap < 1.0:
        return
    fund = model.local_funds[region]
    for _ in range(math.ceil(gap * CATCH_UP)):
        seats = _size(model.random)
        operator = GOVERNMENT if model.random.random() < 0.7 else UNIVERSITY
        cost = BUILD_COST_PER_SEAT * seats
        running = FIXED_COST_SHARE[operator] * model.region_now[region].market_rent * seats
        if fund.balance - fund.reserve < cost + running * fund.months_left():
            return  # no money this year to build it and keep it open
        fund.reserve += running * fund.months_left()
        fund.spend(0, cost, "space_construction")
        idle = model.random.random() < model.lever("idle_building_share")
        model.open_space(region, operator, seats, idle)
