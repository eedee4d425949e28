"""The outcomes the model reports every month: names, units and meaning.

These column names are a contract: the runner writes them, the plots label
their axes from the units here, and other tools read them. ``direction``
follows the EMA Workbench (maximise, minimise, info).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Outcome:
    name: str
    unit: str
    description: str
    direction: str = "info"
    flow: bool = False  # True when the value is this month's flow, not a stock


OUTCOMES: tuple[Outcome, ...] = (
    Outcome("founders_entered", "founders", "New ventures registered this month", flow=True),
    Outcome(
        "founders_reentered",
        "founders",
        "Former founders (failed or quit) who founded again this month",
        flow=True,
    ),
    Outcome(
        "researchers_entered",
        "founders",
        "R&D personnel among this month's new founders (the stock-option reform's target)",
        flow=True,
    ),
    Outcome(
        "failed_founders_reentered",
        "founders",
        "Founders with a failure on their record who founded again this month",
        flow=True,
    ),
    Outcome("startups_alive", "startups", "Ventures trading or preparing to trade", "maximize"),
    Outcome("startups_seed", "startups", "Ventures at the seed stage"),
    Outcome("startups_growth", "startups", "Ventures at the growth stage"),
    Outcome("startups_failed", "startups", "Ventures failed this month", "minimize", flow=True),
    Outcome(
        "startups_quit",
        "startups",
        "Ventures wound up this month because their founder took a job (not failures)",
        flow=True,
    ),
    Outcome(
        "startups_exited", "startups", "Ventures sold or listed this month", "maximize", flow=True
    ),
    Outcome(
        "listings",
        "startups",
        "Ventures listed on the regional equity market this month",
        flow=True,
    ),
    Outcome("cumulative_founded", "startups", "Ventures founded since the start"),
    Outcome("cumulative_failed", "startups", "Ventures failed since the start"),
    Outcome(
        "cumulative_quit", "startups", "Ventures wound up by a founder who quit, since the start"
    ),
    Outcome("cumulative_exited", "startups", "Ventures exited since the start"),
    Outcome("jobs", "jobs", "Founders and employees of living ventures", "maximize"),
    Outcome(
        "jobs_in_exited",
        "jobs",
        "Founders and employees of the ventures sold or listed since the start, at their exit",
        "maximize",
    ),
    Outcome("revenue", "yuan", "Sales of all ventures this month", "maximize", flow=True),
    Outcome("makerspaces_open", "makerspaces", "Makerspaces open"),
    Outcome(
        "makerspaces_new",
        "makerspaces",
        "Makerspaces open that opened during the run (the initial incubators excluded)",
    ),
    Outcome("makerspaces_opened", "makerspaces", "Makerspaces opened this month", flow=True),
    Outcome("makerspaces_closed", "makerspaces", "Makerspaces closed this month", flow=True),
    Outcome("makerspaces_opened_total", "makerspaces", "Makerspaces opened since the start"),
    Outcome("makerspaces_closed_total", "makerspaces", "Makerspaces closed since the start"),
    Outcome("makerspaces_government", "makerspaces", "Government-led makerspaces open"),
    Outcome("seats", "seats", "Desks in open makerspaces"),
    Outcome("seats_occupied", "seats", "Desks used by ventures"),
    Outcome("empty_seats", "seats", "Desks in open makerspaces that nobody uses", "minimize"),
    Outcome("founders_in_makerspaces", "startups", "Ventures housed in a makerspace"),
    Outcome(
        "tenant_quality_ratio",
        "ratio",
        "Mean quality of housed ventures / mean quality of all living ventures (NaN when "
        "none is housed): above 1 when operators or founders select",
    ),
    Outcome(
        "admitted_quality_ratio",
        "ratio",
        "Mean quality of the desk applicants admitted this month / mean quality of all who "
        "applied to a space with room (NaN when none did): 1 unless operators select",
    ),
    Outcome(
        "applicants_rejected",
        "founders",
        "Desk applications operators turned down after screening this month",
        flow=True,
    ),
    Outcome(
        "occupancy_rate",
        "share",
        "Seats occupied / seats (NaN when there are no seats)",
        "maximize",
    ),
    Outcome("occupancy_rate_private", "share", "Occupancy of private spaces"),
    Outcome("occupancy_rate_university", "share", "Occupancy of university spaces"),
    Outcome("occupancy_rate_corporate", "share", "Occupancy of corporate spaces"),
    Outcome("occupancy_rate_government", "share", "Occupancy of government-led spaces"),
    Outcome("operator_revenue", "yuan", "Operators' rent and service income this month", flow=True),
    Outcome("operator_subsidy", "yuan", "Operators' subsidy income this month", flow=True),
    Outcome("operator_cost", "yuan", "Operators' running cost this month", flow=True),
    Outcome("angels_active", "angels", "Angel investors in the market"),
    Outcome("angel_deals", "deals", "Angel investments made this month", flow=True),
    Outcome("angel_investment", "yuan", "Money invested by angels this month", flow=True),
    Outcome(
        "guidance_fund_investment", "yuan", "Guidance-fund co-investment this month", flow=True
    ),
    Outcome("crowdfunding_campaigns", "campaigns", "Campaigns closed this month", flow=True),
    Outcome(
        "crowdfunding_successes",
        "campaigns",
        "Campaigns that reached their target this month",
        flow=True,
    ),
    Outcome(
        "crowdfunding_raised", "yuan", "Money raised by successful campaigns this month", flow=True
    ),
    Outcome(
        "seed_funded",
        "startups",
        "Seed-stage ventures that raised outside money this month",
        "maximize",
        flow=True,
    ),
    Outcome("bank_lending", "yuan", "Technology loans paid out this month", flow=True),
    Outcome("grants_paid", "yuan", "Founder grants and prizes paid this month", flow=True),
    Outcome(
        "subsidies_paid",
        "yuan",
        "Makerspace subsidies and budget support paid this month",
        flow=True,
    ),
    Outcome(
        "public_spending",
        "yuan",
        "Grants, prizes, subsidies and co-investment this month",
        "minimize",
        flow=True,
    ),
    Outcome("cumulative_public_spending", "yuan", "Public spending since the start", "minimize"),
    Outcome(
        "spending_per_surviving_startup",
        "yuan per startup",
        "Cumulative public spending / ventures alive",
        "minimize",
    ),
    Outcome("spending_per_job", "yuan per job", "Cumulative public spending / jobs", "minimize"),
    Outcome("hub_share_of_startups", "share", "Share of living ventures in the hub region"),
    Outcome("inland_share_of_startups", "share", "Share of living ventures in the inland region"),
)

BY_NAME = {o.name: o for o in OUTCOMES}
NAMES = tuple(o.name for o in OUTCOMES)
