"""Monthly outcomes, measured once per step in a single pass.

``measure`` computes every outcome of :mod:`sim.outcomes` into
``model.outcomes``; the DataCollector's reporters just read that dict, so
collection costs one pass over the agents whatever the number of columns.
It also hands :mod:`sim.signals` the regional stocks the month's statistics
record, and the model the counts its prices depend on.
"""

from __future__ import annotations

from sim.agents.entrepreneur import IDEA, SEED, STAGE_NAMES, Entrepreneur
from sim.agents.makerspace import GOVERNMENT, OPERATOR_TYPES, PRIVATE
from sim.outcomes import NAMES
from sim.regions import REGIONS

NAN = float("nan")  # an occupancy with no seats is undefined, not zero
SUBSIDY_REASONS = (
    "makerspace_subsidy",
    "space_budget_support",
    "space_construction",
    "target_award",
)
GRANT_REASONS = ("graduate_grant", "competition_prize")


def _reader(name: str):
    def report(model) -> float:
        return model.outcomes[name]

    report.__name__ = name
    return report


def model_reporters() -> dict:
    """Reporter functions for Mesa's DataCollector: month, date and every outcome."""
    out = {"month": "month", "date": "date"}
    out.update({name: _reader(name) for name in NAMES})
    return out


def _admitted_ratio(applied) -> float:
    """Mean quality of the applicants spaces admitted this month over that of all who
    applied to a space with room: above 1 only when operators select."""
    quality, n, admitted, m = applied
    return admitted / m / (quality / n) if m and quality else NAN


def measure(model) -> dict:
    n_regions = len(REGIONS)
    by_stage = [0] * (len(STAGE_NAMES) * n_regions)  # ventures by stage and region
    sales = [0.0] * n_regions
    quality = [0.0] * n_regions
    staff = housed = 0
    housed_quality = 0.0
    # the set itself, not a copy: nothing changes while we count, and a copy
    # would be one more pass over every venture's memory. The pass is as short
    # as it can be, as it touches every venture: an idea's revenue is 0.0, so
    # adding it leaves the sum as it was, and counts are split at the end.
    for v in model.agents_by_type.get(Entrepreneur, ()):
        r = v.region
        q = v.quality
        quality[r] += q
        by_stage[v.stage * n_regions + r] += 1
        staff += v.staff
        sales[r] += v.revenue
        if v.space is not None:
            housed += 1
            housed_quality += q
    stage_counts = [by_stage[i : i + n_regions] for i in range(0, len(by_stage), n_regions)]
    alive = [sum(column) for column in zip(*stage_counts, strict=True)]
    trading = [a - idea for a, idea in zip(alive, stage_counts[IDEA], strict=True)]
    seed = sum(stage_counts[SEED])
    growth = sum(trading) - seed
    jobs = sum(alive) + staff
    seats_by = [0] * len(OPERATOR_TYPES)
    used_by = [0] * len(OPERATOR_TYPES)
    stocks = []
    government_spaces = new_spaces = 0
    since = model.month - model.k.survival_months
    paid_for = 12 * len(model.lever("subsidy_taper"))
    for r, spaces in enumerate(model.spaces_by_region):
        seats = used = tenants = tenured = paid_tenants = 0
        private_seats = private_rent = 0.0
        for s in spaces:
            seats_by[s.operator] += s.seats
            used_by[s.operator] += s.used
            seats += s.seats
            used += s.used
            tenants += len(s.occupants)
            if model.month - s.opened < paid_for:  # a space the taper still pays for
                paid_tenants += len(s.occupants)
                tenured += sum(1 for joined in s.occupants.values() if joined <= since)
            if s.operator == PRIVATE:
                private_seats += s.seats
                private_rent += s.rent * s.seats
            government_spaces += s.operator == GOVERNMENT
            new_spaces += s.opened_in_run
        market_rent = model.region_now[r].market_rent
        ratio = private_rent / private_seats / market_rent if private_seats else 0.0
        stocks.append(
            (seats, used, tenants, tenured, paid_tenants, ratio, alive[r], trading[r], sales[r])
        )
    model.trading = trading
    model.typical_quality = [q / n if n else 1.0 for q, n in zip(quality, alive, strict=True)]
    count = model.count
    month = model.ledger.month_totals
    public = sum(model.month_public.values())
    cum = model.cumulative
    n_alive = sum(alive)
    seats, used = sum(seats_by), sum(used_by)
    model.founders_in_spaces = housed
    mean_quality = sum(quality) / n_alive if n_alive else 0.0
    out = {
        "founders_entered": count["founders_entered"],
        "founders_reentered": count["founders_reentered"],
        "researchers_entered": count["researchers_entered"],
        "failed_founders_reentered": count["failed_founders_reentered"],
        "startups_alive": n_alive,
        "startups_seed": seed,
        "startups_growth": growth,
        "startups_failed": count["startups_failed"],
        "startups_quit": count["startups_quit"],
        "startups_exited": count["startups_exited"],
        "listings": count["listings"],
        "cumulative_founded": cum["founders_entered"],
        "cumulative_failed": cum["startups_failed"],
        "cumulative_quit": cum["startups_quit"],
        "cumulative_exited": cum["startups_exited"],
        "jobs": jobs,
        "jobs_in_exited": cum["jobs_in_exited"],
        "revenue": sum(sales),
        "makerspaces_open": sum(model.open_count),
        "makerspaces_new": new_spaces,
        "makerspaces_opened": count["makerspaces_opened"],
        "makerspaces_closed": count["makerspaces_closed"],
        "makerspaces_opened_total": cum["makerspaces_opened"],
        "makerspaces_closed_total": cum["makerspaces_closed"],
        "makerspaces_government": government_spaces,
        "seats": seats,
        "seats_occupied": used,
        "empty_seats": seats - used,
        "founders_in_makerspaces": housed,
        "tenant_quality_ratio": housed_quality / housed / mean_quality if housed else NAN,
        "applicants_rejected": count["applicants_rejected"],
        "admitted_quality_ratio": _admitted_ratio(model.applied_quality),
        "occupancy_rate": used / seats if seats else NAN,
        "operator_revenue": month["seat_rent"],
        "operator_subsidy": model.month_operator_subsidy,
        "operator_cost": model.month_operator_cost,
        "angels_active": sum(len(a) for a in model.angels_by_region),
        "angel_deals": count["angel_deals"],
        "angel_investment": month["angel_investment"],
        "guidance_fund_investment": month["guidance_coinvestment"],
        "crowdfunding_campaigns": count["crowdfunding_campaigns"],
        "crowdfunding_successes": count["crowdfunding_successes"],
        "crowdfunding_raised": month["crowdfunding_pledges"],
        "seed_funded": count["seed_funded"],
        "bank_lending": month["bank_loan"],
        "grants_paid": sum(model.month_public[r] for r in GRANT_REASONS),
        "subsidies_paid": sum(model.month_public[r] for r in SUBSIDY_REASONS),
        "public_spending": public,
        "cumulative_public_spending": cum["public"],
        "spending_per_surviving_startup": cum["public"] / n_alive if n_alive else 0.0,
        "spending_per_job": cum["public"] / jobs if jobs else 0.0,
        "hub_share_of_startups": alive[0] / n_alive if n_alive else 0.0,
        "inland_share_of_startups": alive[-1] / n_alive if n_alive else 0.0,
    }
    for i, name in enumerate(OPERATOR_TYPES):
        out[f"occupancy_rate_{name}"] = used_by[i] / seats_by[i] if seats_by[i] else NAN
    out["_regions"] = stocks
    return out
