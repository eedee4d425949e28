"""New makerspaces: operators who expect a profit, and local targets.

A would-be operator opens a space when the profit it *expects* over its
planning horizon pays for fitting the space out. It forecasts its occupancy
from what it can know: desks in use and founders turned away as the
statistics showed them ``observation_lag`` months ago (grown by the trend
of the year before, as far as it extrapolates), set against the desks that
existed then plus the openings since that it has heard of
(``pipeline_visibility``), times a correction it has learned from how the
spaces that opened a year ago fared against their own plans, and its own
optimism. Rent is what private spaces charged then; the subsidy is what
the rule would pay at that occupancy, tapered and rationed as published.

Supply overshoots for three reasons, each of which can be switched off:
stale figures and unheard openings (the lag, with visibility below one)
let many operators enter on the same gap; a subsidy that pays for capacity
makes a space worth opening whatever its occupancy; and local governments
with a construction target, while behind the path to it, pay private
operators to open (an award towards the fit-out) and build government-led
spaces for the rest, whether or not founders come. The learned correction
brings entry back once the entrants' disappointments are published.
"""

from __future__ import annotations

import math

from sim import draws
from sim.agents.makerspace import FIXED_COST_FACTOR, GOVERNMENT
from sim.markets import subsidy
from sim.regions import REGIONS

OPERATOR_MIX = (0.6, 0.2, 0.2)  # would-be operators: private, university, corporate
_operator_type = draws.chooser(OPERATOR_MIX)
PER_SURVIVING = "per_surviving_startup"


def expected_occupancy(model, region: int, seats: int) -> float:
    """Occupancy a new space of ``seats`` desks expects in its region (before noise)."""
    k = model.k
    seen = model.published(region)
    ahead = (model.lever("observation_lag") + k.ramp_up_months) / 12.0
    trend = (1.0 + max(-0.5, min(1.0, seen.growth))) ** (k.operator_trend_weight * ahead)
    demand = (seen.occupied + seen.unmet) * trend
    supply = max(1.0, seen.seats + seen.seats_since) + seats
    return min(1.0, demand / supply * model.entry_belief[region])


def expected_profit(model, region: int, operator: int, seats: int, idle: bool, occ: float):
    """Expected profit over the horizon, less fit-out, of a new space at occupancy ``occ``."""
    k = model.k
    now = model.region_now[region]
    rent = model.published(region).rent_ratio * now.market_rent
    fixed = k.space_fixed_cost_share * FIXED_COST_FACTOR[operator] * now.market_rent
    if idle:
        fixed *= 1.0 - k.idle_building_saving
    served = k.tenant_service_cost * now.cost * model.published(region).tenants_per_seat
    margin = (occ * (rent - k.seat_running_cost - served) - fixed) * seats
    full = subsidy.expected_full_rate(model, region, seats, occ)
    horizon = k.operator_horizon
    fitout = k.fitout_per_seat * now.cost * seats
    # per surviving startup, a new space earns nothing until its first tenants stay a year
    wait = k.survival_months if model.lever("makerspace_subsidy_mode") == PER_SURVIVING else 0
    paid = subsidy.taper_months(model, wait, max(0, horizon - wait))
    return horizon * margin + full * paid - fitout


def open_spaces(model) -> None:
    """Would-be operators decide on expected profit; local governments chase targets."""
    rng = model.rng
    rnd = model.random
    k = model.k
    optimism = model.lever("operator_optimism")
    idle_share = model.lever("idle_building_share")
    for r, region in enumerate(REGIONS):
        fund = model.local_funds[r]
        for _ in range(rng.poisson(k.operator_candidates * model.scale * region.market)):
            operator = _operator_type(rng)
            idle = rnd.random() < idle_share
            seats = _size(model)
            occ = expected_occupancy(model, r, seats)
            occ = min(1.0, occ * (1.0 + optimism) * rnd.lognormvariate(0.0, k.operator_noise))
            profit = expected_profit(model, r, operator, seats, idle, occ)
            fitout = k.fitout_per_seat * model.region_now[r].cost * seats
            award = _target_award(model, r, fitout)
            if profit + award > k.operator_hurdle * fitout:
                space = model.open_space(r, operator, seats, idle, planned=occ)
                if award > 0.0:
                    fund.spend(space.account, award, "target_award")
        _chase_target(model, r)


def _target_award(model, region: int, fitout: float) -> float:
    """What a local government behind its target path pays a private operator who opens
    now (a share of the fit-out), if its free budget can pay it."""
    share = model.k.target_award_share
    if share <= 0.0 or target_path(model, region) - model.open_count[region] < 1.0:
        return 0.0
    fund = model.local_funds[region]
    award = share * fitout
    return award if fund.balance - fund.reserve >= award else 0.0


def _size(model) -> int:
    k = model.k
    return max(20, int(k.seats_median * model.random.lognormvariate(0.0, k.seats_dispersion)))


def target_path(model, region: int) -> float:
    """Spaces the region's government wants open by now on the way to its target."""
    target = model.lever("local_target_spaces") * model.scale
    if target <= 0 or model.target_since is None:
        return 0.0
    share = REGIONS[region].zeal / sum(r.zeal for r in REGIONS)
    span = max(1, model.target_month - model.target_since + 1)
    progress = min(1.0, (model.abs_month - model.target_since + 1) / span)
    return target * share * max(0.0, progress)


def _chase_target(model, region: int) -> None:
    gap = target_path(model, region) - model.open_count[region]
    if gap < 1.0:
        return
    k = model.k
    fund = model.local_funds[region]
    for _ in range(math.ceil(gap * k.target_catch_up)):
        seats = _size(model)
        operator = GOVERNMENT  # built and kept by the local budget
        now = model.region_now[region]
        cost = k.fitout_per_seat * now.cost * seats
        running = k.space_fixed_cost_share * FIXED_COST_FACTOR[operator] * now.market_rent * seats
        if fund.balance - fund.reserve < cost + running * fund.months_left():
            return  # no money this year to build it and keep it open
        fund.reserve += running * fund.months_left()
        fund.spend(0, cost, "space_construction")
        idle = model.random.random() < model.lever("idle_building_share")
        model.open_space(region, operator, seats, idle, planned=0.0)
