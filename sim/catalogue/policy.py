"""The policy levers: what a government controls, each with the sentence of the
seed documents it comes from.

Each lever acts through a decision of some agent (the ODD, section 7, says
whose): a founder's value of founding, an operator's expected profit or
tenant value, an angel's after-tax multiple, a backer's pledge. A lever
that only acts when another is set names it in ``needs``.
"""

from __future__ import annotations

from sim.parameter import lever

GUIDELINE = "State Council Guideline on Developing Makerspaces (2015)"
MOST = "MOST: Develop Makerspaces and Facilitate Mass Innovation (2015)"
WIKI = "Encyclopedia article 'Mass entrepreneurship and innovation'"

SUBSIDY_MODES = (
    "none",
    "per_space",
    "per_seat",
    "per_occupied_seat",
    "per_surviving_startup",
    "per_funded_startup",
)

MAKERSPACES = (
    lever(
        "makerspace_subsidy_mode",
        "categorical",
        "-",
        "per_occupied_seat",
        "What a makerspace is paid subsidy for: each space, each seat built, each seat "
        "occupied, each startup that has stayed a year in it (paid monthly), or each startup "
        "that raises outside equity while housed (once per startup). Operators expect what "
        "the rule would pay them, and under the last two screen applicants and spend on "
        "mentoring when that pays. It matters in proportion to the rate.",
        f"{GUIDELINE}: 'providing makerspaces with subsidies for expenses on property "
        "lease, broadband network and public software'",
        choices=SUBSIDY_MODES,
        needs=("makerspace_subsidy_rate",),
        group="makerspaces",
    ),
    lever(
        "makerspace_subsidy_rate",
        "real",
        "yuan per unit per month",
        150.0,
        "Subsidy per unit of the chosen mode each month (per_space: per space; "
        "per_funded_startup: a one-off amount per funded startup). The default is the "
        "support incubators had before the 2015 Guideline, paid per occupied desk at a "
        "tenth of the hub's desk rent.",
        f"{GUIDELINE}: 'subsidies for expenses on property lease, broadband network and "
        "public software'; the pre-2015 rate is an assumption (ODD 7)",
        min=0.0,
        max=20000.0,
        needs=("makerspace_subsidy_mode",),
        group="makerspaces",
    ),
    lever(
        "subsidy_taper",
        "fractions",
        "share of full rate by year of a space's age",
        (1.0, 0.7, 0.3),
        "Share of the full subsidy paid in each year after a space opens; zero after the "
        "list ends. Operators know the taper ahead of them when they open and when they "
        "weigh closing.",
        "Local rent-subsidy practice of Chinese cities after 2015: 100 % / 70 % / 30 % over "
        "three years (the model brief's stylized fact)",
        min=0.0,
        max=1.0,
        schedulable=False,
        needs=("makerspace_subsidy_rate",),
        group="makerspaces",
    ),
    lever(
        "local_target_spaces",
        "integer",
        "makerspaces (at scale 1)",
        0,
        "Makerspaces local governments aim to have open by the target date, summed over "
        "regions and split by each region's zeal; shortfalls are built by government-led "
        "operators while the local budget can pay for them.",
        f"{WIKI}: 'Tianjin proposed to build 100 co-working spaces ... Suzhou planned to "
        "establish 300'",
        min=0,
        max=100000,
        group="makerspaces",
    ),
    lever(
        "local_target_date",
        "month",
        "YYYY-MM",
        "2020-12",
        "Month by which the local construction target should be met (built up linearly "
        "from the month the target is first set).",
        f"{WIKI}: 'Suzhou planned to establish 300 co-working spaces ... by 2020'",
        schedulable=False,
        needs=("local_target_spaces",),
        group="makerspaces",
    ),
    lever(
        "idle_building_share",
        "real",
        "share of new spaces",
        0.0,
        "Share of would-be operators offered a converted idle building, whose lease and "
        "upkeep cost less: more spaces are worth opening, and they last longer.",
        f"{MOST}: 'providing low-cost workplaces based on idle buildings such as factory "
        "workshops'",
        min=0.0,
        max=1.0,
        group="makerspaces",
    ),
    lever(
        "accreditation_min_occupancy",
        "real",
        "share of seats",
        0.0,
        "Occupancy below which a space loses accreditation and with it all subsidy and "
        "budget support (0 = no test); operators who cannot expect to meet it do not count "
        "on the subsidy.",
        f"{WIKI}: 'guiding the sustainable and healthy development of makerspaces became "
        "an urgent task'",
        min=0.0,
        max=1.0,
        group="makerspaces",
    ),
)

FOUNDERS = (
    lever(
        "registration_cost",
        "real",
        "yuan",
        5000.0,
        "Money a founder pays to register a company (fees, capital, agents): it is paid "
        "out of her savings, so it both lowers the value of founding and keeps out those "
        "whose savings do not cover it.",
        f"{GUIDELINE}: 'lower the threshold ... by deepening commercial system reform, "
        "facilitating startup registration'",
        min=0.0,
        max=200000.0,
        group="founders",
    ),
    lever(
        "registration_delay",
        "real",
        "months",
        2.0,
        "Months between deciding to found and being able to trade: months of savings "
        "spent before any sale.",
        f"{GUIDELINE}: 'facilitating startup registration'",
        min=0.0,
        max=24.0,
        group="founders",
    ),
    lever(
        "graduate_grant",
        "real",
        "yuan per graduate founder",
        0.0,
        "One-off start-up grant paid to each graduate founder by the central fund while "
        "its budget lasts; graduates count on it at the rate recent grants were paid.",
        f"{GUIDELINE}: 'providing places, public services and financial support for "
        "graduates to start their own businesses'",
        min=0.0,
        max=500000.0,
        group="founders",
    ),
    lever(
        "graduate_free_places",
        "real",
        "share of government-led seats",
        0.0,
        "Share of government-led makerspace seats given rent-free to graduate founders: "
        "cheaper desks draw graduates into spaces, where they learn and are seen by "
        "investors; the rent they do not pay is a cost to the local budget. It acts in "
        "proportion to the government-led seats there are (the seed's incubators, or "
        "those a local target builds).",
        f"{GUIDELINE}: 'introducing graduate entrepreneurship guidance plans and providing places'",
        min=0.0,
        max=1.0,
        needs=("local_target_spaces",),
        group="founders",
    ),
    lever(
        "rd_stock_options",
        "real",
        "share of the institution's claim handed to the researcher",
        0.0,
        "Stock-option and achievement-use reform: the share of her institution's claim on "
        "an R&D founder's venture (institution_share) that she keeps instead. It raises "
        "her share of an exit, and so the value of founding for researchers.",
        f"{GUIDELINE}: 'accelerating pilot reforms of R&D achievement use, disposal and "
        "benefit management ... improving the entrepreneurship stock option incentive "
        "mechanism for R&D personnel'",
        min=0.0,
        max=1.0,
        group="founders",
    ),
    lever(
        "failure_tolerance",
        "real",
        "0 (stigma) to 1 (tolerated)",
        0.3,
        "How far a failed founder is spared the stigma of failure (stigma_months of wage "
        "per failure on her record): raises both entry and the chance a former founder "
        "tries again.",
        f"{GUIDELINE}: 'advocate an innovation culture where pioneers are encouraged and "
        "failures tolerated'",
        min=0.0,
        max=1.0,
        group="founders",
    ),
    lever(
        "entrepreneurship_promotion",
        "real",
        "0 to 1",
        0.0,
        "Publicity, innovation weeks and maker culture: more potential founders weigh "
        "founding at all each month (promotion_reach); it changes who considers, not "
        "what founding is worth.",
        f"{GUIDELINE}: 'vigorously foster the entrepreneurial spirit and the maker culture'",
        min=0.0,
        max=1.0,
        group="founders",
    ),
)

FINANCE = (
    lever(
        "guidance_coinvest_ratio",
        "real",
        "yuan of public money per angel yuan",
        0.0,
        "Guidance-fund co-investment beside each angel cheque (1 = matched 1:1), on the "
        "same terms, while the central budget lasts: the round reaches what the venture "
        "needs with less of the angel's money.",
        f"{GUIDELINE}: 'strengthen the role of fiscal funding in guiding social capital "
        "through the market mechanism'",
        min=0.0,
        max=4.0,
        group="finance",
    ),
    lever(
        "angel_tax_credit",
        "real",
        "share of investment",
        0.0,
        "Share of an angel cheque the central fund credits back against the angel's tax: "
        "it lowers the after-tax cost of a deal, and raises the after-tax returns that "
        "draw new angels.",
        f"{GUIDELINE}: 'fostering angel investors'",
        min=0.0,
        max=0.7,
        group="finance",
    ),
    lever(
        "crowdfunding_enabled",
        "boolean",
        "-",
        False,
        "Whether the equity-crowdfunding pilot is open to seed-stage startups that angels "
        "passed over.",
        f"{GUIDELINE}: 'piloting Internet equity crowdfunding'",
        group="finance",
    ),
    lever(
        "crowdfunding_cap",
        "real",
        "yuan per campaign",
        1_000_000.0,
        "Most a single equity-crowdfunding campaign may raise: a lower cap makes targets "
        "easier to reach and campaigns less worth running.",
        f"{GUIDELINE}: 'piloting Internet equity crowdfunding'",
        min=10_000.0,
        max=50_000_000.0,
        needs=("crowdfunding_enabled",),
        group="finance",
    ),
    lever(
        "crowdfunding_fee",
        "real",
        "share of money raised",
        0.05,
        "Platform fee taken from a successful campaign: founders gross their target up so "
        "that what is left covers their need (a larger ask is harder to fill) and launch "
        "only when what they expect to keep pays for running the campaign.",
        f"{GUIDELINE}: 'piloting Internet equity crowdfunding'",
        min=0.0,
        max=0.3,
        needs=("crowdfunding_enabled",),
        group="finance",
    ),
    lever(
        "regional_equity_market",
        "real",
        "0 to 1",
        0.0,
        "Depth of the regional equity market for SMEs: the monthly chance (x listing_rate) "
        "that a listing is open to a grown venture; its founder takes it when the listing "
        "price beats waiting for a buyer.",
        f"{GUIDELINE}: 'regulating and developing regional equity markets for SMEs'",
        min=0.0,
        max=1.0,
        group="finance",
    ),
    lever(
        "bank_tech_lending",
        "real",
        "months of revenue lent",
        0.0,
        "Technology loans and IP-pledge lending to trading startups that angels passed "
        "over, as months of current revenue a bank will lend over two years.",
        f"{GUIDELINE}: 'encouraging banking and financial institutions to provide financial "
        "services for technology-based SMEs'",
        min=0.0,
        max=24.0,
        group="finance",
    ),
)

SERVICES = (
    lever(
        "competition_prize_pool",
        "real",
        "yuan per year (at scale 1)",
        0.0,
        "Prize money of innovation competitions and training camps, paid each October to "
        "the young ventures judges rate best (prize_winners): money, a training camp and a "
        "year in front of more investors (prize_visibility).",
        f"{GUIDELINE}: 'continuing to organize relevant competition and training events "
        "such as the China Innovation and Entrepreneurship Competition'",
        min=0.0,
        max=1e9,
        group="services",
    ),
    lever(
        "mentorship",
        "real",
        "0 to 1",
        0.2,
        "Reach of the entrepreneurship tutorship system, paid by the central fund per "
        "housed founder: how fast founders in makerspaces learn.",
        f"{GUIDELINE}: 'putting in place a sound entrepreneurship tutorship system'",
        min=0.0,
        max=1.0,
        group="services",
    ),
    lever(
        "facility_sharing",
        "real",
        "share of equipment cost saved",
        0.0,
        "Open sharing of S&T facilities: hardware founders (researchers, returnees) pay "
        "this share less for equipment and lose this share less time to prototyping.",
        f"{GUIDELINE}: 'promoting the openness and sharing of S&T facilities'",
        min=0.0,
        max=0.8,
        group="services",
    ),
    lever(
        "patent_fast_track",
        "boolean",
        "-",
        False,
        "Fast-track patent review: hardware ventures, which launch once their patent is "
        "granted, wait fast_track_months instead of patent_pendency_months.",
        f"{GUIDELINE}: 'providing fast tracks for small and micro-sized enterprises in "
        "patent review'",
        group="services",
    ),
)

BUDGETS = (
    lever(
        "central_budget",
        "real",
        "yuan per year (at scale 1)",
        20_000_000.0,
        "Yearly budget of the central fund: graduate grants, prizes, mentoring, "
        "guidance-fund co-investment and angel tax credits, each paid while it lasts.",
        f"{GUIDELINE}: 'substantially increasing capital investment'",
        min=0.0,
        max=1e11,
        group="budgets",
    ),
    lever(
        "local_budget",
        "real",
        "yuan per year (at scale 1)",
        30_000_000.0,
        "Yearly budget of all local funds (makerspace subsidies, building and running "
        "government-led spaces), split by regional zeal; subsidy claims beyond it are "
        "rationed, which operators see in the published payout ratio.",
        f"{GUIDELINE}: 'governments and departments at various levels should ... "
        "substantially increase capital investment'",
        min=0.0,
        max=1e11,
        group="budgets",
    ),
)

LEVERS = MAKERSPACES + FOUNDERS + FINANCE + SERVICES + BUDGETS
