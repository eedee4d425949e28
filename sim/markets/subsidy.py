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
    """Local funds pay every accredited space what this month's rule says it earned."""
    mode = model.lever("makerspace_subsidy_mode")
    rate = model.lever("makerspace_subsidy_rate")
    for space in model.open_spaces():
        accredit(model, space)
        if mode in ("none", "per_funded_startup") or rate <= 0.0 or not space.accredited:
            continue
        share = taper_share(model, space)
        if share <= 0.0:
            continue
        if mode == "per_seat":
            units = space.seats
        elif mode == "per_occupied_seat":
            units = space.used
        elif mode == "per_surviving_startup":
            units = sum(1 for v in space.occupants if model.month - v.cohort >= SURVIVAL_MONTHS)
        else:  # per_space
            units = 1
        _pay(model, space, rate * units * share)


def reward_funding(model, venture) -> None:
    """The per-funded-startup rule pays the space when one of its ventures raises money."""
    space = venture.space
    if space is None or model.lever("makerspace_subsidy_mode") != "per_funded_startup":
        return
    if not space.accredited:
        return
    share = taper_share(model, space)
    _pay(model, space, model.lever("makerspace_subsidy_rate") * share)


def _pay(model, space, amount: float) -> None:
    if amount <= 0.0:
        return
    paid = model.local_funds[space.region].spend(space.account, amount, "makerspace_subsidy")
    space.collect(paid)
    model.month_operator_subsidy += paid
