"""Makerspace subsidies: what local funds pay operators, and for what.

How a subsidy is paid is the lever the oversupply story turns on. Paid per
space or per seat, it rewards building; paid per occupied seat it rewards
filling desks; paid per startup that has stayed a year, or per startup that
raises money while housed, it rewards choosing and helping ventures that
last. Each space's subsidy tapers with its age and stops when the space
loses accreditation or the budget runs out.

The same rules price the subsidy in operators' expectations
(:func:`expected_per_month`, :func:`per_tenant_seat`), so what an operator
counts on is what the rule would pay it, read from published figures.
"""

from __future__ import annotations

PERFORMANCE_MODES = ("per_surviving_startup", "per_funded_startup")


def taper_at(model, age_months: int) -> float:
    """Share of the full rate paid to a space of this age (in months)."""
    taper = model.lever("subsidy_taper")
    year = age_months // 12
    return taper[year] if 0 <= year < len(taper) else 0.0


def taper_share(model, space) -> float:
    return taper_at(model, model.month - space.opened)


def taper_months(model, age_months: int, horizon: int) -> float:
    """Sum of the taper shares over the next ``horizon`` months of a space's life."""
    taper = model.lever("subsidy_taper")
    total, month, end = 0.0, age_months + 1, age_months + horizon
    while month <= end:
        year = month // 12
        if year >= len(taper):
            break
        last = min(end, 12 * (year + 1) - 1)
        total += taper[year] * (last - month + 1)
        month = last + 1
    return total


def accredit(model, space) -> None:
    """Spaces whose recent occupancy falls below the bar lose accreditation (and subsidy)."""
    bar = model.lever("accreditation_min_occupancy")
    if bar <= 0.0 or len(space.recent_occupancy) < 3:
        space.accredited = True
        return
    space.accredited = sum(space.recent_occupancy) / len(space.recent_occupancy) >= bar


def pay_monthly_subsidies(model) -> None:
    """Local funds pay every accredited space what this month's rule says it earned.

    Each fund first holds back what its government-led spaces will need to the
    end of the year; when the claims exceed the month's share of what is left,
    every claim is paid the same fraction (rationing, as budgets are in practice).
    """
    mode = model.lever("makerspace_subsidy_mode")
    rate = model.lever("makerspace_subsidy_rate")
    for r, (fund, spaces) in enumerate(zip(model.local_funds, model.spaces_by_region, strict=True)):
        for space in spaces:
            accredit(model, space)
            space.subsidy_last = 0.0
        fund.plan(spaces)
        if mode in ("none", "per_funded_startup") or rate <= 0.0:
            continue
        claims = [
            (space, rate * _units(model, space, mode) * taper_share(model, space))
            for space in spaces
            if space.accredited
        ]
        total = sum(amount for _, amount in claims)
        if total <= 0.0:
            continue
        share = min(1.0, fund.allowance() / total)
        model.subsidy_claimed[r] += total
        for space, amount in claims:
            _pay(model, space, amount * share)


def _units(model, space, mode: str) -> float:
    if mode == "per_seat":
        return space.seats
    if mode == "per_occupied_seat":
        return space.used
    if mode == "per_surviving_startup":
        return tenured(model, space)
    return 1.0  # per_space


def tenured(model, space) -> int:
    """Tenants that have stayed in the space for the rule's year."""
    since = model.month - model.k.survival_months
    return sum(1 for joined in space.occupants.values() if joined <= since)


def reward_funding(model, venture) -> None:
    """The per-funded-startup rule pays the space once for each venture of its that
    raises outside equity while housed there."""
    space = venture.space
    if space is None or model.lever("makerspace_subsidy_mode") != "per_funded_startup":
        return
    if not space.accredited or venture.unique_id in space.funded_rewarded:
        return
    space.funded_rewarded.add(venture.unique_id)
    amount = model.lever("makerspace_subsidy_rate") * taper_share(model, space)
    if amount <= 0.0:
        return
    fund = model.local_funds[space.region]
    model.subsidy_claimed[space.region] += amount
    _pay(model, space, min(amount, fund.allowance()))


def _pay(model, space, amount: float) -> None:
    if amount <= 0.0:
        return
    paid = model.local_funds[space.region].spend(space.account, amount, "makerspace_subsidy")
    space.collect(paid)
    space.subsidy_last += paid
    model.subsidy_paid[space.region] += paid
    model.month_operator_subsidy += paid


# --- what operators expect --------------------------------------------------
def expected_full_rate(model, region: int, seats: int, occupancy: float, space=None) -> float:
    """Subsidy a space of ``seats`` desks at ``occupancy`` expects per month at the full
    rate (before the taper), read from the published figures of its region: how many
    tenants a desk houses, how many of them have stayed a year, how often housed
    ventures raise money, and what share of claims the budget has paid."""
    mode = model.lever("makerspace_subsidy_mode")
    rate = model.lever("makerspace_subsidy_rate")
    if mode == "none" or rate <= 0.0:
        return 0.0
    bar = model.lever("accreditation_min_occupancy")
    if bar > 0.0 and occupancy < bar:
        return 0.0  # it would not keep its accreditation
    seen = model.published(region)
    if mode == "per_space":
        units = 1.0
    elif mode == "per_seat":
        units = seats
    elif mode == "per_occupied_seat":
        units = occupancy * seats
    elif mode == "per_surviving_startup":
        # an open space knows how many of its own tenants have stayed the year
        standing = seen.tenured_share
        if space is not None and space.occupants:
            standing = tenured(model, space) / len(space.occupants)
        units = occupancy * seats * seen.tenants_per_seat * standing
    else:  # per_funded_startup: one-off payments, as a monthly average
        units = occupancy * seats * seen.tenants_per_seat * seen.funded_per_tenant_month
    return rate * units * seen.payout_ratio


def per_tenant_seat(model, region: int) -> float:
    """Subsidy one more occupied desk brings this month, after the taper is applied by
    the caller (the operator's margin on a tenant): nothing when the rule pays for
    capacity."""
    if model.lever("makerspace_subsidy_mode") in ("none", "per_seat", "per_space"):
        return 0.0
    return expected_full_rate(model, region, 1, 1.0)
