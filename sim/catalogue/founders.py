"""Uncertainties of the economy and of the choice to found.

What nobody controls: prices, wages and growth, how crowded a market gets,
and how would-be founders weigh founding against their wage. Each has a
range a sensitivity design may explore and the reason for its default;
"calibrated" means the default was set against a stylized fact named in
docs/ODD.md section 7.
"""

from __future__ import annotations

from sim.parameter import uncertainty

NBS = "National Bureau of Statistics of China"
HAMILTON = "Hamilton (2000), 'Does entrepreneurship pay?', J. Political Economy 108(3)"

ECONOMY = (
    uncertainty(
        "market_rent",
        "yuan per seat per month",
        1500.0,
        100.0,
        10000.0,
        "Market rent of a desk outside makerspaces in the hub region (other regions by their "
        "cost level).",
        "Assumption: a desk in a first-tier city's office market in 2014, about what "
        "co-working desks there were let for",
        schedulable=True,
        group="economy",
    ),
    uncertainty(
        "monthly_wage",
        "yuan per month",
        8000.0,
        1000.0,
        50000.0,
        "Wage a potential founder gives up (times her type's wage factor), and pays each "
        "employee, in the hub region.",
        f"Assumption: a graduate-level wage in a first-tier city in 2014, above the national "
        f"urban average of about 4,700 yuan a month ({NBS}, 2014: 56,360 yuan a year)",
        schedulable=True,
        group="economy",
    ),
    uncertainty(
        "demand_growth",
        "per year",
        0.06,
        -0.2,
        0.3,
        "Nominal growth of the markets startups sell into, of rents and of wages.",
        f"{NBS}: real GDP growth of 6.9 % in 2015, the 'new normal' of the Guideline's statements",
        schedulable=True,
        group="economy",
    ),
    uncertainty(
        "market_crowding",
        "elasticity",
        0.25,
        0.0,
        0.8,
        "How much a venture's sales fall as rivals multiply in its region: prices scale "
        "with (reference ventures / trading ventures) to this power. It makes entry "
        "self-limiting: more founders, thinner markets.",
        "Assumption: monopolistic competition among small firms in a regional market; 0 "
        "would make the market unlimited",
        group="economy",
    ),
)

FOUNDING = (
    uncertainty(
        "consider_rate",
        "share of the pool per month",
        0.005,
        0.001,
        0.05,
        "Share of the potential founders who weigh founding in a given month.",
        "Assumption: a potential founder thinks it over about once in sixteen years",
        group="founding",
    ),
    uncertainty(
        "promotion_reach",
        "share more who consider",
        0.5,
        0.0,
        2.0,
        "How many more potential founders weigh founding each month at full promotion "
        "(entrepreneurship_promotion = 1).",
        "Assumption: publicity raises attention, not the value of founding",
        group="founding",
    ),
    uncertainty(
        "quality_dispersion",
        "log sd",
        0.7,
        0.2,
        1.5,
        "Dispersion of the quality of ideas (lognormal around each type's mean).",
        "Calibrated: the spread of five-year survival and the heavy tail of angel returns",
        group="founding",
    ),
    uncertainty(
        "self_assessment_noise",
        "log sd",
        0.4,
        0.0,
        1.5,
        "How far a would-be founder misjudges her own idea.",
        "Assumption: founders know their idea better than investors do (angel judgement "
        "noise is larger)",
        group="founding",
    ),
    uncertainty(
        "savings_dispersion",
        "log sd",
        0.8,
        0.1,
        1.5,
        "Dispersion of savings around each founder type's median.",
        "Assumption: household savings are lognormal with a wide spread",
        group="founding",
    ),
    uncertainty(
        "founder_horizon",
        "months",
        36,
        12,
        120,
        "Months over which a would-be founder weighs the venture against her wage (and a "
        "founder weighs a listing against waiting for a buyer).",
        "Assumption: the three years a founder gives an idea before judging it",
        type="integer",
        group="founding",
    ),
    uncertainty(
        "founding_taste_months",
        "months of wage",
        -50.0,
        -60.0,
        60.0,
        "Value of being one's own boss, beyond money, in months of the founder's wage "
        "(the intercept of the entry choice).",
        f"Calibrated: the default economy founds 30-40 ventures a month at scale 1, which "
        f"keeps the stock near its 2014 size; {HAMILTON} finds founders accept lower pay",
        group="founding",
    ),
    uncertainty(
        "taste_dispersion_months",
        "months of wage",
        24.0,
        2.0,
        60.0,
        "Spread of that taste across people (the logit scale): the smaller it is, the more "
        "every yuan of a policy moves entry.",
        "Calibrated: registration reforms raise firm entry by a fifth or less (Branstetter "
        "et al. 2014, Economic Journal 124(577), Portugal's 'On the spot firm')",
        group="founding",
    ),
    uncertainty(
        "stigma_months",
        "months of wage",
        12.0,
        0.0,
        36.0,
        "Cost a failure brings its founder (loss of face, of job offers), in months of her "
        "wage per failure on her record, before failure tolerance.",
        "Assumption after Landier (2005), 'Entrepreneurship and the stigma of failure' "
        "(SSRN working paper): stigma is a cost of failing that culture sets",
        group="founding",
    ),
    uncertainty(
        "investor_stigma",
        "share per failure",
        0.3,
        0.0,
        1.0,
        "How far investors mark down a venture for each failure on its founder's record, "
        "before failure tolerance (and a former founder expects as much of her funding "
        "chances).",
        "Assumption after Landier (2005): where failure is stigmatised, capital is dearer "
        "for those who failed",
        group="founding",
    ),
    uncertainty(
        "institution_share",
        "share of the venture",
        0.5,
        0.0,
        0.7,
        "Claim a researcher's institution holds on the venture she founds from its "
        "research, before the stock-option reform hands part of it to her.",
        "Assumption: universities and institutes commonly kept a large share of R&D "
        "achievements before the 2015 reforms the Guideline names",
        group="founding",
    ),
    uncertainty(
        "former_consider_rate",
        "share per month",
        0.05,
        0.0,
        0.3,
        "Share of former founders (failed or quit) who weigh founding again each month.",
        "Assumption: those who have founded think of it more often than others",
        group="founding",
    ),
    uncertainty(
        "former_leave_rate",
        "share per month",
        0.03,
        0.0,
        0.2,
        "Share of former founders who settle into a job for good each month.",
        "Assumption: about three years after a venture most former founders stop "
        "considering another",
        group="founding",
    ),
    uncertainty(
        "former_savings_share",
        "share of a first-time founder's savings",
        0.5,
        0.05,
        1.0,
        "Savings a former founder brings to her next venture, against a first-timer of her type.",
        "Assumption: a venture that ends usually takes its founder's savings with it",
        group="founding",
    ),
)

BEHAVIOUR = ECONOMY + FOUNDING
