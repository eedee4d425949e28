"""The economy before the spin-up: prices by region, and the first agents.

The run does not start from this state: the model first lives through
``spin_up`` months under the levers of the start month (see
:meth:`sim.model.StartupEcosystem._spin_up`), so what a run starts from is
that economy's own steady state. This seed only has to be near it, so the
spin-up is short: China in January 2014 at 1:100 (docs/ODD.md,
initialisation), about 1,600 incubators serving 80,000 startups become 16
spaces serving some 800 ventures, beside ventures working from home, and a
small angel community concentrated in the hub.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from sim.agents.entrepreneur import GROWTH, IDEA, SEED
from sim.agents.makerspace import CORPORATE, GOVERNMENT, UNIVERSITY
from sim.regions import BASE_REVENUE, FOUNDER_TYPES, REGIONS

INITIAL_VENTURES = 2_000  # at scale 1
INITIAL_ANGELS = 150
INCUBATOR_SEATS = 110
STAGE_MIX = (0.35, 0.50, 0.15)  # idea, seed, growth
WANT_DESK = 0.4  # share of the initial ventures looking for a desk: about 800 of 2,000


@dataclass(frozen=True, slots=True)
class RegionNow:
    wage: float
    market_rent: float
    market_value: float  # sales per unit of a venture's power, before rivals crowd it
    cost: float
    price: float  # sales per unit of power this month, rivals counted
    growth_mark: float  # monthly sales that mark the growth stage here


def region_prices(model) -> list[RegionNow]:
    """This month's wage, rent and market prices in each region."""
    # prices and wages grow with the market, so growth is nominal, not a free lunch
    growth = (1.0 + model.lever("demand_growth")) ** (model.month / 12.0)
    wage = model.lever("monthly_wage")
    rent = model.lever("market_rent")
    k = model.k
    out = []
    for r, region in enumerate(REGIONS):
        value = BASE_REVENUE * region.market * growth
        reference = k.market_reference_ventures * region.talent * model.scale
        rivals = max(1.0, model.trading[r])
        crowding = (reference / rivals) ** k.market_crowding
        out.append(
            RegionNow(
                wage * region.cost * growth,
                rent * region.cost * growth,
                value,
                region.cost * growth,
                value * crowding,
                k.growth_revenue * region.cost * growth,
            )
        )
    return out


def _scaled(model, n: float) -> int:
    """Scale a count, rounding at random so small scales keep the right mean."""
    x = n * model.scale
    whole = int(x)
    return whole + (1 if model.random.random() < x - whole else 0)


def populate(model) -> None:
    n = len(REGIONS)
    model.spaces_by_region = [[] for _ in range(n)]
    model.open_count = [0] * n
    model.angels_by_region = [[] for _ in range(n)]
    model.seekers = [[] for _ in range(n)]
    model.space_seekers = [[] for _ in range(n)]
    model.episodes = {}
    model.housed_funded = set()
    model.cohort_log = []
    model.space_log = []
    model.angel_outcomes = []
    model.grant_paid_share = deque(maxlen=24)  # payout rate of the last graduate grants
    model.mentorship_paid = model.lever("mentorship")
    model._init_signals()
    rnd = model.random
    for r, region in enumerate(REGIONS):
        for _ in range(_scaled(model, region.incubators)):
            operator = rnd.choices((GOVERNMENT, UNIVERSITY, CORPORATE), (0.5, 0.4, 0.1))[0]
            seats = int(INCUBATOR_SEATS * rnd.lognormvariate(0.0, 0.3))
            space = model.open_space(r, operator, seats, idle=False, planned=0.8)
            space.opened = model.month - 36  # incubators predate the run: no new-space subsidy
    for r, region in enumerate(REGIONS):
        for _ in range(_scaled(model, INITIAL_VENTURES * region.talent)):
            _initial_venture(model, r)
        for _ in range(_scaled(model, INITIAL_ANGELS * region.investors)):
            capital = model.k.angel_capital * rnd.lognormvariate(0.0, model.k.angel_capital_spread)
            angel = model.add_angel(r, capital, rnd.uniform(0.2, 0.9))
            angel.last_deal = model.month - rnd.randint(0, 12)
    model.count.clear()
    from sim.markets.seats import allocate_seats

    allocate_seats(model)


def _initial_venture(model, region: int) -> None:
    rnd = model.random
    shares = [t.share for t in FOUNDER_TYPES]
    ftype = rnd.choices(range(len(FOUNDER_TYPES)), shares)[0]
    kind = FOUNDER_TYPES[ftype]
    quality = rnd.lognormvariate(kind.quality_mu + 0.2, 0.6)
    stage = rnd.choices((IDEA, SEED, GROWTH), STAGE_MIX)[0]
    age = rnd.randint(1, 36) if stage != IDEA else rnd.randint(0, 9)
    cash = kind.savings * REGIONS[region].cost * rnd.uniform(0.8, 2.0) * (1 + 2 * stage)
    v = model.new_venture(region, ftype, quality, min(0.9, kind.skill + 0.1), cash=cash)
    v.stage = stage
    v.cohort = model.month - age
    model.cohort_log[v.log_index][0] = v.cohort
    v.trading_from = model.month
    v.progress = rnd.random() if stage == IDEA else 1.0
    v.months_trading = age if stage != IDEA else 0
    v.months_loss = rnd.randint(0, 11) if stage != IDEA else 0  # not all in step
    v.staff = (0, rnd.randint(0, 2), rnd.randint(3, 7))[stage]
    v.seats_used = 1 + v.staff
    v.wants_space = rnd.random() < WANT_DESK  # 80,000 of 2014's startups were in incubators
    if not v.wants_space:
        model.space_seekers[region].pop()  # new_venture queued it last: O(1), not a search
