"""The operator's decisions inside a space: whom to admit, how much to spend on
tenants, how low rent may go, and what the space is worth if it stays open.

What a tenant is worth to an operator depends on how the space is paid.
Under rent alone, or a subsidy per seat or per occupied seat, every tenant
who pays the rent is worth the same, so screening applicants would be money
thrown away and helping them earns nothing. When the subsidy pays per
startup that stays a year, or per startup that raises money, a tenant's
worth depends on its prospects: the operator then pays to screen applicants
(a noisy view of their idea beside their accounts), turns away those who
would cost more than they bring, and spends on mentoring when the extra
survival it buys earns more subsidy than it costs. Each of these follows
from the operator's expected profit; none is switched on by the mode itself.
"""

from __future__ import annotations

from math import exp, log

from sim import prospects
from sim.agents.entrepreneur import IDEA
from sim.markets import subsidy


def outlook(model, space) -> float:
    """Profit the operator expects over its planning horizon if the space stays open.

    Occupancy is where the operator now expects the space to settle: its plan,
    scaled by how the space has done against the plan's path so far; the subsidy
    follows the taper still ahead of the space."""
    k = model.k
    horizon = k.operator_horizon
    age = model.month - space.opened
    occ = space.smoothed_occupancy
    full = subsidy.expected_full_rate(model, space.region, space.seats, occ, space)
    return horizon * margin(model, space, occ) + full * subsidy.taper_months(model, age, horizon)


def margin(model, space, occ: float, with_subsidy: bool = False) -> float:
    """Monthly profit of the space at occupancy ``occ`` before subsidy (or with this
    month's share of it)."""
    k = model.k
    seats = space.seats
    out = occ * seats * (space.rent - k.seat_running_cost) - space.fixed_cost
    out -= tenant_cost(model, space) * occ * seats * _tenants_per_seat(space)
    if with_subsidy:
        full = subsidy.expected_full_rate(model, space.region, seats, occ, space)
        out += full * subsidy.taper_share(model, space)
    return out


def _tenants_per_seat(space) -> float:
    return len(space.occupants) / space.used if space.used else 0.8


def effort_cost(model, space) -> float:
    """What one level of service effort costs per tenant and month (mentors' time)."""
    return model.k.effort_cost * model.region_now[space.region].cost


def tenant_cost(model, space, effort: int | None = None) -> float:
    """What a tenant costs its operator each month beyond its desk: the services every
    member gets, and the chosen level of extra effort."""
    level = space.effort if effort is None else effort
    k = model.k
    return (k.tenant_service_cost + level * k.effort_cost) * model.region_now[space.region].cost


def tenant_bonus(model, space) -> float:
    """Subsidy one more occupied desk brings this space this month (nothing when the
    rule pays for capacity)."""
    return subsidy.per_tenant_seat(model, space.region) * subsidy.taper_share(model, space)


def rent_floor(model, space) -> float:
    """The lowest rent per desk worth charging: what a tenant's desk costs the
    operator, net of the subsidy a tenant brings."""
    k = model.k
    cost = k.seat_running_cost + tenant_cost(model, space) * _tenants_per_seat(space)
    return max(0.0, cost - tenant_bonus(model, space))


# --- screening and effort ---------------------------------------------------------
def review(model, space) -> None:
    """Once a quarter, decide whether to screen applicants and how much to spend on
    tenants, by what each would add to the space's expected profit."""
    mode = model.lever("makerspace_subsidy_mode")
    paid = (
        mode in subsidy.PERFORMANCE_MODES
        and model.lever("makerspace_subsidy_rate") > 0.0
        and subsidy.taper_share(model, space) > 0.0
        and space.accredited
    )
    space.screens = paid and model.k.operators_screen
    space.effort = _best_effort(model, space, mode) if paid and model.k.operators_help else 0


def _best_effort(model, space, mode: str) -> int:
    tenants = list(space.occupants)
    if not tenants:
        return space.effort
    per_level = effort_cost(model, space) * len(tenants)
    best, best_value = 0, 0.0
    for level in range(1, model.k.effort_levels + 1):
        gain = sum(_subsidy_value(model, space, v, v.quality, level, mode) for v in tenants)
        gain -= sum(_subsidy_value(model, space, v, v.quality, 0, mode) for v in tenants)
        value = gain - level * per_level
        if value > best_value:
            best, best_value = level, value
    return best


def admits(model, space, venture) -> bool:
    """Whether the operator takes this applicant (always, when it does not screen).

    A screening operator takes an applicant worth more than she costs; and when
    applicants come faster than desks free up, only those worth more than the
    ones it expects to turn away (it keeps the seat for the better applicant to
    come: the top share that its free and freeing seats can take)."""
    if not space.screens:
        return True
    k = model.k
    space.month_spend += k.screening_cost * model.region_now[space.region].cost
    seen = venture.quality * exp(k.screening_noise * model.normal())
    mode = model.lever("makerspace_subsidy_mode")
    rent = 0.0 if venture.free_place else space.rent
    margin = (rent - k.seat_running_cost) * venture.seats_used - tenant_cost(model, space)
    value = margin + _subsidy_value(model, space, venture, seen, space.effort, mode)
    bar = 0.0
    values = space.applicant_values
    if len(values) >= 10 and space.applicant_rate > 0.0:
        takes = min(1.0, (space.free + space.departure_rate) / space.applicant_rate)
        bar = max(0.0, sorted(values)[int((1.0 - takes) * (len(values) - 1))])
    values.append(value)
    if value >= bar:
        return True
    model.count["applicants_rejected"] += 1
    return False


def _subsidy_value(model, space, venture, quality: float, effort: int, mode: str) -> float:
    """Subsidy per month a tenant of this (judged) quality is expected to bring."""
    k = model.k
    rate = model.lever("makerspace_subsidy_rate") * subsidy.taper_share(model, space)
    seen = model.published(space.region)
    rate *= seen.payout_ratio
    funded = model.founders_view(venture.region).funded_share
    if mode == "per_surviving_startup":
        # paid for each month after the first year that the tenant is still there:
        # the chance it lasts to the middle of that stretch, times its length
        horizon = k.operator_horizon
        middle = (k.survival_months + horizon) / 2.0
        stays = survival_odds(model, venture, quality, effort, middle, funded)
        return rate * stays * max(0.0, 1.0 - k.survival_months / horizon)
    if mode == "per_funded_startup":
        skill = venture.skill + effort * k.effort_learning * 6.0 * (1.0 - venture.skill)
        typical = model.typical_quality[venture.region]
        odds = min(1.0, funded * quality * (1.0 + skill) / typical) if typical > 0 else funded
        return rate * odds / 12.0
    return 0.0


def survival_odds(model, venture, quality: float, effort: int, months: int, funded: float) -> float:
    """Chance a venture of this (judged) quality is still going in ``months``: certain
    if its cash lasts that long on the forecast of :mod:`sim.prospects`, otherwise
    the chance that investors fill the gap."""
    k = model.k
    region = model.region_now[venture.region]
    skill = venture.skill + effort * k.effort_learning * months / 2.0 * (1.0 - venture.skill)
    full = region.price * quality * (1.0 + skill) * (1.0 + venture.staff) ** k.team_elasticity
    if venture.stage == IDEA:
        speed = model.idea_speed(venture) * quality * (1.0 + skill)
        until = max(0.0, (1.0 - venture.progress) / speed) if speed > 0 else 1e6
        until = max(until, model.patent_wait(venture) - (model.month - venture.trading_from))
        ramped = 0.0
    else:
        until, ramped = 0.0, min(k.ramp_months, venture.months_trading)
    cost = max(venture.costs, 1.0)
    months_left = prospects.runway(venture.cash, cost, cost, full, until, ramped, k.ramp_months)
    if months_left <= 0.0:
        return funded
    z = (log(months_left) - log(months)) / k.runway_doubt
    sure = 1.0 / (1.0 + 2.718281828459045 ** (-z))
    return sure + (1.0 - sure) * funded
