"""Uncertainties of makerspace operators and of founders' choice of a desk.

How operators form expectations and enter (:mod:`sim.markets.supply`), run
and close a space (:mod:`sim.agents.makerspace`), choose tenants and effort
(:mod:`sim.markets.tenancy`), and how founders choose among spaces
(:mod:`sim.markets.seats`).
"""

from __future__ import annotations

from sim.parameter import uncertainty

COBWEB = "Ezekiel (1938), 'The cobweb theorem', QJE 52(2)"
HISTORY = "Calibrated: makerspace counts of 2015-2017 (benchmarks/history.py)"


def _e(name, unit, default, low, high, description, source, **kw):
    return uncertainty(
        name, unit, default, low, high, description, source, group="operator entry", **kw
    )


def _o(name, unit, default, low, high, description, source, **kw):
    return uncertainty(name, unit, default, low, high, description, source, group="operators", **kw)


def _d(name, unit, default, low, high, description, source, **kw):
    return uncertainty(
        name, unit, default, low, high, description, source, group="desk choice", **kw
    )


ENTRY = (
    _e(
        "observation_lag",
        "months",
        6,
        0,
        36,
        "Age of the desk statistics would-be operators read (occupancy, founders turned "
        "away, seats, rents, subsidy paid).",
        f"Assumption: statistics are published months late; the lag of {COBWEB}",
        type="integer",
    ),
    _e(
        "pipeline_visibility",
        "share",
        0.5,
        0.0,
        1.0,
        "Share of the seats opened (and closed) since those statistics that a would-be "
        "operator hears of: at 1 the lag hides only demand, below 1 it hides rivals too.",
        "Assumption: openings are announced unevenly; chains announce, small operators do not",
    ),
    _e(
        "operator_trend_weight",
        "share",
        0.5,
        0.0,
        1.0,
        "How far operators extrapolate the year's growth of desks in use to the time their "
        "space will have filled.",
        "Assumption: extrapolative expectations, which amplify cobweb cycles (Hommes 1994, "
        "JEBO 24(3))",
    ),
    _e(
        "entrant_learning",
        "elasticity",
        0.3,
        0.0,
        1.0,
        "How strongly operators correct their forecasts by how recent entrants fared "
        "against their plans (1: fully each month such figures come out).",
        "Assumption: adaptive expectations (Nerlove 1958)",
    ),
    _e(
        "entrant_maturity",
        "months",
        12,
        3,
        36,
        "Age at which operators judge an entrant's occupancy against its plan.",
        "Assumption: a space is judged after its first year",
        type="integer",
    ),
    _e(
        "operator_optimism",
        "share",
        0.1,
        -0.5,
        1.0,
        "How far would-be operators over-read the occupancy they forecast.",
        "Camerer and Lovallo (1999), 'Overconfidence and excess entry', AER 89(1)",
        schedulable=True,
    ),
    _e(
        "operator_noise",
        "log sd",
        0.25,
        0.0,
        1.0,
        "Spread of would-be operators' private readings of their forecast.",
        "Assumption",
    ),
    _e(
        "operator_candidates",
        "per region and month at scale 1",
        6.0,
        0.1,
        50.0,
        "Would-be operators weighing a space in a region of market size 1 each month.",
        HISTORY,
    ),
    _e(
        "operator_hurdle",
        "share of fit-out",
        0.2,
        0.0,
        2.0,
        "Profit over the horizon, beyond paying back the fit-out, an operator needs to open.",
        "Assumption: a modest required return on the fit-out",
    ),
    _e(
        "operator_horizon",
        "months",
        36,
        6,
        120,
        "Months over which an operator reckons a space's profit, opening or staying.",
        "Assumption: a typical lease term",
        type="integer",
    ),
    _e(
        "seats_median",
        "seats",
        150,
        20,
        1000,
        "Median size of a new space.",
        "Assumption: Torch Center counts of seats per makerspace (about 180 in 2017)",
        type="integer",
    ),
    _e("seats_dispersion", "log sd", 0.5, 0.0, 1.5, "Spread of new spaces' sizes.", "Assumption"),
    _e(
        "target_award_share",
        "share of the fit-out",
        1.0,
        0.0,
        2.0,
        "Share of a new space's fit-out a local government behind its target path pays a "
        "private operator who opens (0: targets are met only by government-led building).",
        "Assumption after the one-off awards local governments gave newly recognised "
        "makerspaces while chasing their targets (the encyclopedia article's Tianjin and "
        "Suzhou)",
    ),
    _e(
        "target_catch_up",
        "share per month",
        0.34,
        0.0,
        1.0,
        "Share of the gap to its target path a local government builds in a month.",
        "Assumption: a construction programme catches up within a quarter",
    ),
)

OPERATORS = (
    _o(
        "space_fixed_cost_share",
        "share of market rent per seat",
        0.38,
        0.1,
        1.5,
        "Lease and staff of a private space per seat and month (universities x0.7, "
        "corporates x0.9).",
        "Assumption: co-working packs desks densely, so the lease per desk is below the "
        "market rent of a desk",
    ),
    _o(
        "seat_running_cost",
        "yuan per occupied seat per month",
        150.0,
        0.0,
        2000.0,
        "Broadband and public software of a desk in use.",
        "Assumption: the costs the Guideline's subsidies name",
    ),
    _o(
        "tenant_service_cost",
        "yuan per tenant per month (hub prices)",
        250.0,
        0.0,
        5000.0,
        "What the services every member gets (community staff, events, help with "
        "registration and accounts) cost an operator per tenant.",
        "Assumption: a share of a community manager's time per team",
    ),
    _o(
        "fitout_per_seat",
        "yuan per seat (hub prices)",
        3000.0,
        0.0,
        30000.0,
        "Fit-out an operator (or a local government) pays to open a space.",
        "Assumption",
    ),
    _o(
        "idle_building_saving",
        "share of fixed cost",
        0.5,
        0.0,
        0.9,
        "Lease and upkeep saved in a converted idle building.",
        "Assumption: idle factory floors let far below office rents",
    ),
    _o(
        "opening_rent_share",
        "share of market rent",
        0.75,
        0.1,
        1.0,
        "Rent per desk a new private space asks at first (and what would-be operators "
        "expect before any private space exists).",
        "Assumption: co-working desks let below office desks",
    ),
    _o(
        "government_rent_share",
        "share of market rent",
        0.3,
        0.0,
        1.0,
        "Rent per desk in government-led spaces (fixed by policy).",
        "Assumption",
    ),
    _o(
        "price_step",
        "share per month",
        0.03,
        0.0,
        0.2,
        "How much an operator moves its rent in a month.",
        "Assumption",
    ),
    _o(
        "price_up_occupancy",
        "share",
        0.9,
        0.5,
        1.0,
        "Occupancy above which an operator raises its rent.",
        "Assumption",
    ),
    _o(
        "price_down_occupancy",
        "share",
        0.6,
        0.0,
        0.9,
        "Occupancy below which it cuts its rent (never below what a tenant costs it).",
        "Assumption",
    ),
    _o(
        "occupancy_smoothing",
        "weight per month",
        0.3,
        0.01,
        1.0,
        "Weight of this month's occupancy in the operator's running estimate.",
        "Assumption",
    ),
    _o(
        "plan_confidence",
        "months of evidence",
        6.0,
        0.0,
        36.0,
        "How many months of occupancy figures an operator's plan counts for while the space "
        "fills: the more, the longer it holds to the plan against a slow start.",
        "Assumption: a prior belief averaged with the months observed",
    ),
    _o(
        "ramp_up_months",
        "months",
        12,
        1,
        36,
        "Months over which an operator's estimate moves from its plan to what the space "
        "shows (and the time it expects a space to fill).",
        "Assumption: a space is judged after its first year",
        type="integer",
    ),
    _o(
        "operator_capital_months",
        "months of fixed cost",
        6.0,
        0.0,
        36.0,
        "Median cash an operator brings beyond the fit-out.",
        "Assumption",
    ),
    _o(
        "operator_capital_spread",
        "log sd",
        0.6,
        0.0,
        1.5,
        "Spread of operators' cash: some can carry losses for long, some cannot.",
        "Assumption",
    ),
    _o(
        "lease_months_min",
        "months",
        12,
        1,
        120,
        "Shortest lease a space is opened on.",
        "Assumption: commercial leases in Chinese cities run one to five years",
        type="integer",
    ),
    _o(
        "lease_months_max",
        "months",
        60,
        1,
        120,
        "Longest lease a space is opened on.",
        "Assumption: commercial leases in Chinese cities run one to five years",
        type="integer",
    ),
    _o(
        "lease_break_share",
        "share of the lease left",
        0.5,
        0.0,
        1.0,
        "Penalty for closing before the lease ends, as a share of the fixed cost still owed.",
        "Assumption",
    ),
    _o(
        "arrears_months",
        "months of costs",
        3.0,
        0.0,
        24.0,
        "Unpaid bills a government-led space may run up before it closes.",
        "Assumption",
    ),
    _o(
        "screening_cost",
        "yuan per applicant (hub prices)",
        500.0,
        0.0,
        10000.0,
        "What reading an applicant's plan and accounts costs an operator.",
        "Assumption: a day of a manager's time",
    ),
    _o(
        "screening_noise",
        "log sd",
        0.5,
        0.0,
        2.0,
        "How far an operator's reading of an applicant's idea is off.",
        "Assumption: operators judge ideas about as well as average angels",
    ),
    _o(
        "effort_cost",
        "yuan per tenant per month per level (hub prices)",
        400.0,
        0.0,
        5000.0,
        "What one level of extra mentoring and investor matchmaking costs per tenant.",
        "Assumption: a few hours of a mentor's time a month",
    ),
    _o(
        "effort_learning",
        "per month per level",
        0.01,
        0.0,
        0.05,
        "Extra share of the gap to full skill a tenant closes each month per level of effort.",
        "Assumption: comparable to the public tutorship at full reach",
    ),
    _o(
        "effort_levels",
        "levels",
        2,
        0,
        5,
        "Highest level of effort an operator can choose.",
        "Assumption",
        type="integer",
    ),
    _o(
        "runway_doubt",
        "log months",
        0.5,
        0.05,
        2.0,
        "How unsure an operator is of a tenant's runway when it reckons the tenant's "
        "chance of staying a year.",
        "Assumption",
    ),
    _o(
        "peer_learning",
        "per month",
        0.006,
        0.0,
        0.03,
        "Learning any housed founder gets from peers.",
        "Assumption",
    ),
    _o(
        "mentor_learning",
        "per month at full mentorship",
        0.02,
        0.0,
        0.1,
        "Learning from the public tutorship system (more with training services).",
        "Assumption",
    ),
    _o(
        "service_learning",
        "per month per service",
        0.004,
        0.0,
        0.03,
        "Learning from each of the training, professional and investment services.",
        "Assumption",
    ),
)

DESKS = (
    _d(
        "spaces_compared",
        "spaces",
        4,
        1,
        20,
        "Spaces with room a founder looks at when choosing a desk.",
        "Assumption",
        type="integer",
    ),
    _d(
        "space_appeal",
        "logit units",
        -2.5,
        -3.0,
        3.0,
        "Value of working among other founders at all.",
        "Assumption",
    ),
    _d(
        "w_price",
        "logit units per monthly wage of rent",
        2.5,
        0.0,
        10.0,
        "Weight founders put on desk rent against their wage.",
        "Assumption",
    ),
    _d(
        "w_investment",
        "logit units",
        0.5,
        0.0,
        3.0,
        "Value of investment services (access to investors).",
        "Assumption",
    ),
    _d(
        "w_training",
        "logit units per level",
        0.35,
        0.0,
        3.0,
        "Value of training services and of each level of the operator's effort.",
        "Assumption",
    ),
    _d("w_media", "logit units", 0.25, 0.0, 3.0, "Value of media services.", "Assumption"),
    _d(
        "w_professional",
        "logit units",
        0.3,
        0.0,
        3.0,
        "Value of professional services.",
        "Assumption",
    ),
    _d(
        "w_maker",
        "logit units",
        0.3,
        0.0,
        3.0,
        "Value of maker-incubation services to hardware founders.",
        "Assumption",
    ),
    _d(
        "w_peers",
        "logit units per log peer quality",
        0.4,
        0.0,
        3.0,
        "Value of good peers (mean quality of the space's ventures).",
        "Assumption",
    ),
    _d(
        "switch_cost",
        "logit units",
        0.5,
        0.0,
        5.0,
        "What moving out of a space costs a housed founder in effort and ties.",
        "Assumption",
    ),
)

BEHAVIOUR = ENTRY + OPERATORS + DESKS
