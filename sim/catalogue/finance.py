"""Uncertainties of angels, the crowd, banks, prizes and mentoring.

How angels judge, price and leave (:mod:`sim.agents.angel`,
:mod:`sim.markets.finance`), how backers pledge (:mod:`sim.agents.crowdfunding`),
what loans, prizes and mentors cost and bring.
"""

from __future__ import annotations

from sim.parameter import uncertainty

ANGELS = "Calibrated: angel exits (Wiltbank and Boeker 2007, Returns to angel investors in groups)"
CROWD = "Calibrated: fewer than one in six equity-crowdfunding campaigns reach their target"
MOLLICK = "Mollick (2014), 'The dynamics of crowdfunding', J. Business Venturing 29(1)"


def _a(name, unit, default, low, high, description, source, **kw):
    return uncertainty(name, unit, default, low, high, description, source, group="angels", **kw)


def _c(name, unit, default, low, high, description, source, **kw):
    return uncertainty(
        name, unit, default, low, high, description, source, group="crowd and banks", **kw
    )


def _p(name, unit, default, low, high, description, source, **kw):
    return uncertainty(
        name, unit, default, low, high, description, source, group="programmes", **kw
    )


ANGEL_MARKET = (
    _a(
        "angel_capital",
        "yuan",
        2_000_000.0,
        1e5,
        1e8,
        "Median capital of a new angel.",
        "Assumption: a wealthy individual's angel allocation",
    ),
    _a("angel_capital_spread", "log sd", 0.6, 0.0, 2.0, "Spread of angels' capital.", "Assumption"),
    _a(
        "cheque_share",
        "share of capital",
        0.15,
        0.01,
        1.0,
        "An angel's usual cheque, as a share of its starting capital.",
        "Assumption: a portfolio of six to ten deals",
    ),
    _a(
        "angel_min_cheque",
        "share of the usual cheque",
        0.3,
        0.0,
        1.0,
        "An angel with less cash than this share of its cheque stops investing.",
        "Assumption",
    ),
    _a(
        "deals_seen",
        "ventures per month",
        3,
        1,
        30,
        "Ventures an angel looks at in a month.",
        "Assumption",
        type="integer",
    ),
    _a(
        "angel_judgement_noise",
        "log sd",
        0.9,
        0.0,
        3.0,
        "How far an unskilled angel misjudges a venture's idea (less with skill).",
        ANGELS,
    ),
    _a(
        "angel_judgement_floor",
        "log sd",
        0.1,
        0.0,
        1.0,
        "The error even the most skilled angel makes.",
        ANGELS,
    ),
    _a(
        "angel_required_multiple",
        "times the cheque, after tax",
        3.0,
        0.5,
        20.0,
        "Multiple an angel must expect on a deal, after tax credits, before investing.",
        "Assumption: angels ask for a few times their money because most deals fail; " + ANGELS,
    ),
    _a(
        "investor_horizon",
        "months",
        60,
        12,
        180,
        "Months over which an investor reckons a venture's chance to be sold.",
        "Assumption: angels expect exits within five years",
        type="integer",
    ),
    _a(
        "valuation_idea",
        "yuan at quality 1",
        300_000.0,
        1e4,
        1e8,
        "Pre-money valuation of an idea-stage venture of quality 1.",
        "Assumption",
    ),
    _a(
        "valuation_seed",
        "yuan at quality 1",
        800_000.0,
        1e4,
        1e8,
        "Pre-money valuation of a seed-stage venture of quality 1.",
        "Assumption",
    ),
    _a(
        "valuation_growth",
        "yuan at quality 1",
        5_000_000.0,
        1e4,
        1e9,
        "Pre-money valuation of a growth-stage venture of quality 1 (or 12 months of "
        "sales, if more).",
        "Assumption",
    ),
    _a(
        "potential_angels",
        "people at scale 1",
        1500,
        0,
        1_000_000,
        "Wealthy individuals who could become angels.",
        "Assumption",
        type="integer",
    ),
    _a(
        "angel_consider_rate",
        "share per month",
        0.01,
        0.0,
        0.2,
        "Share of them who weigh starting to invest each month.",
        "Assumption",
    ),
    _a(
        "angel_entry_base",
        "logit",
        -2.0,
        -10.0,
        5.0,
        "Propensity to start investing when recent deals returned their money after tax.",
        "Calibrated: about 150 angels at scale 1 (the 2014 seed economy)",
    ),
    _a(
        "angel_return_pull",
        "logit per unit of multiple",
        1.0,
        0.0,
        10.0,
        "How strongly better recent after-tax returns draw new angels.",
        "Assumption",
    ),
    _a(
        "angel_multiple_cap",
        "times",
        3.0,
        1.0,
        20.0,
        "Recent multiples beyond this draw no more angels (a few lucky exits do not make a "
        "market).",
        "Assumption",
    ),
    _a(
        "angel_idle_months",
        "months",
        18,
        1,
        120,
        "Months without a deal after which an angel short of money or returns leaves.",
        "Assumption",
        type="integer",
    ),
    _a(
        "angel_poor_return",
        "share returned",
        0.5,
        0.0,
        2.0,
        "Returns below this share of what it invested count as poor.",
        "Assumption",
    ),
    _a(
        "angel_retire_rate",
        "per month",
        0.003,
        0.0,
        0.1,
        "Monthly chance an angel stops for reasons of its own.",
        "Assumption",
    ),
    _a(
        "guidance_buyback_share",
        "share of the fund's gain",
        1.0,
        0.0,
        1.0,
        "Share of the gain on the guidance fund's stake that the angel investing beside it "
        "keeps, by buying the stake at cost when the venture is sold (0: the fund keeps its "
        "upside, and co-investment only stretches angels' capital).",
        "Assumption after the 'profit concession' rules of Chinese angel guidance funds, "
        "which let co-investors buy the public stake at cost within a few years",
    ),
    _a(
        "secondary_discount",
        "share",
        0.9,
        0.0,
        1.0,
        "Discount on its valuation at which a departing angel sells a stake.",
        "Assumption: secondary sales of private stakes trade at deep discounts",
    ),
)

CROWD_AND_BANKS = (
    _c(
        "campaign_cost",
        "yuan (hub prices)",
        2000.0,
        0.0,
        500000.0,
        "What preparing and running a campaign costs a founder (video, documents, legal "
        "review, her time).",
        "Assumption",
    ),
    _c(
        "crowd_prior_success",
        "share",
        0.15,
        0.0,
        1.0,
        "Success rate founders assume before the platform has published one.",
        CROWD,
    ),
    _c(
        "crowd_prior_weight",
        "campaigns at scale 1",
        200.0,
        0.0,
        10000.0,
        "How many campaigns' worth of evidence that belief counts for against the "
        "success rate the platform publishes.",
        "Assumption: a belief formed by the pilot's publicity, revised as campaigns close",
    ),
    _c("campaign_months", "months", 2, 1, 12, "Months a campaign runs.", MOLLICK, type="integer"),
    _c(
        "crowd_size",
        "yuan per month (market of size 1)",
        7000.0,
        0.0,
        1e7,
        "What a typical campaign draws in its first month.",
        CROWD,
    ),
    _c(
        "backer_noise",
        "log sd",
        0.9,
        0.0,
        3.0,
        "How dimly backers see a venture's quality.",
        MOLLICK,
    ),
    _c(
        "reference_target",
        "yuan",
        300000.0,
        1e3,
        1e8,
        "Target at which a campaign draws the typical crowd.",
        "Assumption",
    ),
    _c(
        "ask_elasticity",
        "elasticity",
        0.25,
        0.0,
        1.0,
        "How much more a larger ask draws (less than in proportion: small backers balk).",
        MOLLICK,
    ),
    _c(
        "second_month_pledges",
        "share of the first month",
        0.8,
        0.0,
        2.0,
        "Pledges in a campaign's second month, before momentum.",
        MOLLICK,
    ),
    _c(
        "momentum_threshold",
        "share of target",
        0.3,
        0.0,
        1.0,
        "Share of its target a campaign must raise in month one to draw the crowd.",
        MOLLICK,
    ),
    _c(
        "momentum_boost",
        "factor",
        2.5,
        1.0,
        10.0,
        "How many times more such a campaign draws in its second month.",
        MOLLICK,
    ),
    _c(
        "reach_growth",
        "share per success",
        0.002,
        0.0,
        0.05,
        "How much each success widens the platform's reach.",
        "Assumption",
    ),
    _c("reach_cap", "times", 1.5, 1.0, 10.0, "The widest the platform's reach gets.", "Assumption"),
    _c(
        "loan_months",
        "months",
        24,
        1,
        120,
        "Term of a technology loan.",
        "Assumption",
        type="integer",
    ),
    _c(
        "loan_rate",
        "per month",
        0.006,
        0.0,
        0.05,
        "Monthly interest on a technology loan.",
        "Assumption: about the People's Bank of China's lending rates of 2015",
    ),
)

PROGRAMMES = (
    _p(
        "mentoring_cost",
        "yuan per housed founder per month at full reach",
        400.0,
        0.0,
        10000.0,
        "What the public tutorship system pays per housed founder.",
        "Assumption",
    ),
    _p(
        "prize_winners",
        "share of young ventures",
        0.05,
        0.001,
        0.5,
        "Share of idea- and seed-stage ventures that win a prize.",
        "Assumption",
    ),
    _p(
        "judges_noise",
        "log sd",
        0.5,
        0.0,
        2.0,
        "How far competition judges misjudge a venture.",
        "Assumption",
    ),
    _p(
        "camp_skill",
        "skill",
        0.05,
        0.0,
        0.5,
        "Business skill a winner gains from the training camp.",
        "Assumption",
    ),
    _p(
        "prize_visibility",
        "factor",
        2.0,
        1.0,
        10.0,
        "How many times more often investors see a prize winner in the year after.",
        "Assumption: competitions are showcases for investors",
    ),
    _p(
        "housed_visibility",
        "factor",
        1.3,
        1.0,
        5.0,
        "How much more often investors see a venture in a makerspace.",
        "Assumption",
    ),
    _p(
        "investment_visibility",
        "factor",
        1.5,
        0.0,
        10.0,
        "...more with investment services.",
        "Assumption",
    ),
    _p(
        "media_visibility",
        "factor",
        0.5,
        0.0,
        10.0,
        "...more with media services (also widens a campaign's backers).",
        "Assumption",
    ),
    _p(
        "effort_visibility",
        "factor per level",
        0.3,
        0.0,
        5.0,
        "...more per level of the operator's effort (investor matchmaking).",
        "Assumption",
    ),
)

BEHAVIOUR = ANGEL_MARKET + CROWD_AND_BANKS + PROGRAMMES
