"""Makerspace subsidies: what local funds pay operators, and for what.

How a subsidy is paid is the lever the oversupply story turns on. Paid per
space or per seat, it rewards building; paid per occupied seat, per venture
that survives its first year or per venture that raises money, it rewards
filling desks with ventures that last. Each space's subsidy tapers with its
age and stops when the space loses accreditation or the budget runs out.
"""

from __future__ import annotations

SURVIVAL_MONTHS = 12  # a venture counts as surviving after a year


def taper_share(model, space) -> float:
    taper = model.lever("subsidy_taper")
    age = space.age_years()
    return taper[age] if age < len(taper) else 0.0


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
    for fund, spaces in zip(model.local_funds, model.spaces_by_region, strict=True):
        for space in spaces:
            accredit(model, space)
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
        for space, amount in claims:
            _pay(model, space, amount * share)


def _units(model, space, mode: str) -> float:
    if mode == "per_seat":
        return space.seats
    if mode == "per_occupied_seat":
        return space.used
    if mode == "per_surviving_startup":
        return sum(1 for v in space.occupants if model.month - v.cohort >= SURVIVAL_MONTHS)
    return 1.0  # per_space


def reward_funding(model, venture) -> None:
    """The per-funded-startup rule pays the space when one of its ventures raises money."""
    space = venture.space
    if space is None or model.lever("makerspace_subsidy_mode") != "per_funded_startup":
        return
    if not space.accredited:
        return
    amount = model.lever("makerspace_subsidy_rate") * taper_share(model, space)
    _pay(model, space, min(amount, model.local_funds[space.region].allowance()))


def _pay(model, space, amount: float) -> None:
    if amount <= 0.0:
        return
    paid = model.local_funds[space.region].spend(space.account, amount, "makerspace_subsidy")
    space.collect(paid)
    model.month_operator_subsidy += paid
