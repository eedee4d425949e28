"""The founder and the venture, one agent.

A venture lives on its cash: each month it earns what its quality, the
founder's skill and its team can sell, pays wages, rent and tools, and when
the cash will not last it asks for money. It fails when the money is gone
and nobody funds it. Everything that can be a decision of the founder is
here; what happens between agents (seats, deals, campaigns) is in
:mod:`sim.markets`.
"""

from __future__ import annotations

from math import exp
from types import MappingProxyType
from typing import TYPE_CHECKING

from mesa import Agent

from sim.ledger import WORLD

if TYPE_CHECKING:
    from sim.agents.makerspace import Makerspace

IDEA, SEED, GROWTH, EXITED, FAILED = 0, 1, 2, 3, 4
NO_INVESTORS = MappingProxyType({})  # read-only: a venture gets its own dict on its first round
STAGE_NAMES = ("idea", "seed", "growth", "exited", "failed")

# Behavioural constants (ODD, submodels: "venture month"). Money in yuan at hub prices.
STIPEND_SHARE = 0.4  # founders pay themselves this share of the regional wage
IDEA_STIPEND_SHARE = 0.25  # ... and less before there is a product
FRUGAL_STIPEND_SHARE = 0.1  # ... and almost nothing when the money is running out
GIVE_UP_MONTHS = 12  # months of losses before a founder weighs quitting for a wage
GIVE_UP_ODDS = 0.12  # monthly chance a founder with such a record quits
WAGE_PULL = 0.006  # monthly chance a founder paid nothing takes a job (less with a stipend)
TOOLS = 1_200.0  # broadband, software, equipment per team member per month
HOME_SEATS = 2  # a founder and one hire can work from home; more need an office
IDEA_SPEED = 0.12  # progress per month towards a product at quality 1
RAMP_MONTHS = 12  # months for a new product to reach its full market
GROWTH_REVENUE = 50_000.0  # monthly revenue that marks the growth stage
MAX_SEATS_IN_SPACE = 8
TEAM_ELASTICITY = 0.7  # sales grow with team size to this power: hiring has falling returns
DRIFT_SIGMA = 0.06  # monthly shock to a venture's market fit (tastes, rivals, luck)
DRIFT_MU = -0.015  # markets erode a product's fit unless it keeps improving
BASE_LEARNING = 0.004  # monthly skill gain of a founder outside any makerspace
LOOK_AROUND = 0.03  # monthly chance a housed founder compares spaces again
SEEK_MONTHS = 4  # look for money when cash covers fewer months than this
EXIT_HAZARD = 0.02  # monthly chance a growth venture at the revenue mark finds a buyer


class Entrepreneur(Agent):
    """A founder and the venture they run."""

    # Slots keep a venture small (a third of the memory of an attribute dict),
    # which keeps the monthly loop over many thousands of ventures cache-friendly.
    __slots__ = (
        "account",
        "angel_stakes",
        "attempt",
        "cohort",
        "costs",
        "equity",
        "free_place",
        "ftype",
        "funding",
        "last_funded",
        "loan",
        "loan_payment",
        "log_index",
        "months_loss",
        "months_trading",
        "progress",
        "quality",
        "region",
        "revenue",
        "seats_used",
        "skill",
        "space",
        "staff",
        "stage",
        "trading_from",
        "wants_space",
        "wants_to_grow",
    )

    def __init__(
        self, model, region: int, ftype: int, quality: float, skill: float, attempt: int = 1
    ):
        super().__init__(model)
        self.region = region
        self.ftype = ftype
        self.quality = quality
        self.skill = skill
        self.attempt = attempt
        self.stage = IDEA
        self.account = model.ledger.open("venture")
        self.staff = 0
        self.seats_used = 1
        self.revenue = 0.0
        self.progress = 0.0
        self.months_trading = 0
        self.cohort = model.month
        self.trading_from = model.month
        self.space: Makerspace | None = None
        self.free_place = False
        self.wants_space = True
        # most ventures never raise money: these start as shared empty values and
        # become a dict / lists on the first round (see sell_equity, note_funding)
        self.equity: dict[int, float] = NO_INVESTORS  # account -> share held by investors
        self.angel_stakes: list[tuple] | tuple = ()  # (angel, yuan invested)
        self.funding: list[tuple[int, str, float]] | tuple = ()  # (month, source, yuan)
        self.last_funded = -99
        self.loan = 0.0
        self.loan_payment = 0.0
        self.costs = 0.0
        self.months_loss = 0
        self.wants_to_grow = False  # sales would pay for another hire, but cash is short

    # --- the month --------------------------------------------------------
    def step(self) -> None:
        m = self.model
        if self.stage >= EXITED:
            return
        region = m.region_now[self.region]
        ledger = m.ledger
        space = self.space

        learn = BASE_LEARNING + (space.learning if space is not None else 0.0)
        self.skill += learn * (1.0 - self.skill)
        if self.stage >= SEED:
            self.quality *= exp(DRIFT_MU + 0.006 * self.skill + DRIFT_SIGMA * m.normals.pop())
        power = self.quality * (1.0 + self.skill)

        revenue = 0.0
        if self.stage == IDEA:
            if m.month >= self.trading_from:
                speed = IDEA_SPEED * m.idea_speed_factor
                if space is not None and space.maker:
                    speed *= 1.25
                self.progress += power * speed * m.random.uniform(0.5, 1.5)
                if self.progress >= 1.0:
                    self.stage = SEED
        else:
            self.months_trading += 1
            ramp = min(1.0, self.months_trading / RAMP_MONTHS)
            revenue = (
                region.market_value
                * power
                * ramp
                * (1.0 + self.staff) ** TEAM_ELASTICITY
                * exp(0.25 * m.normals.pop())
            )
        self.revenue = revenue

        wage = region.wage
        people = 1 + self.staff
        tools = TOOLS * people * (m.tools_factor if m.is_hardware[self.ftype] else 1.0)
        stipend = (IDEA_STIPEND_SHARE if self.stage == IDEA else STIPEND_SHARE) * wage
        if ledger.balance[self.account] + revenue < 3.0 * self.costs:
            stipend = FRUGAL_STIPEND_SHARE * wage  # short of money, the founder lives on little
        outgoings = stipend + self.staff * wage + tools
        rent = 0.0
        if space is not None:
            if not self.free_place:
                rent = space.rent * self.seats_used
        elif people > HOME_SEATS:
            rent = region.market_rent * people
        costs = outgoings + rent + self.loan_payment
        self.costs = costs

        if revenue > 0.0:
            ledger.transfer(WORLD, self.account, revenue, "sales")
        cash = ledger.balance[self.account]
        if cash < costs:
            if rent > 0.0 and space is not None:
                space.collect(ledger.pay_up_to(self.account, space.account, rent, "seat_rent"))
            ledger.pay_up_to(self.account, WORLD, outgoings, "wages_and_costs")
            m.fail(self)
            return
        if rent > 0.0:
            if space is not None:
                ledger.transfer(self.account, space.account, rent, "seat_rent")
                space.collect(rent)
            else:
                ledger.transfer(self.account, WORLD, rent, "office_rent")
        ledger.transfer(self.account, WORLD, outgoings, "wages_and_costs")
        if self.loan_payment > 0.0:
            self._repay()
        cash -= costs

        self.months_loss = self.months_loss + 1 if revenue < costs else 0
        quit_odds = WAGE_PULL * (1.0 - stipend / wage)
        if self.months_loss >= GIVE_UP_MONTHS:
            quit_odds += GIVE_UP_ODDS * self._discouragement()
        if m.random.random() < quit_odds:
            m.fail(self)
            return
        self._adjust_team(cash, costs, revenue, wage)
        if self.stage == SEED and revenue >= GROWTH_REVENUE * region.cost:
            self.stage = GROWTH
        if self.stage >= SEED and self._exit_found(revenue, region.cost):
            m.exit(self, revenue)
            return
        if m.month - self.last_funded > 2 and (cash < SEEK_MONTHS * costs or self.wants_to_grow):
            m.seekers[self.region].append(self)
        if space is None and self.wants_space is False and m.random.random() < 0.05:
            self.wants_space = True
        elif space is not None and m.random.random() < LOOK_AROUND:
            m.space_seekers[self.region].append(self)  # is there a better space now?
        if (
            space is None
            and self.wants_space
            and self.seats_used <= MAX_SEATS_IN_SPACE
            and self.cohort != m.month
        ):
            m.space_seekers[self.region].append(self)

    # --- decisions ----------------------------------------------------------
    def _adjust_team(self, cash: float, costs: float, revenue: float, wage: float) -> None:
        """Hire when the next employee should sell more than their wage and the cash
        can carry the risk; let one go when the last hire does not pay and money is short."""
        if self.stage < SEED or revenue <= 0.0:
            return
        n = 1.0 + self.staff
        gain = revenue * (((n + 1.0) / n) ** TEAM_ELASTICITY - 1.0)
        self.wants_to_grow = gain > 1.1 * wage
        if self.wants_to_grow and cash > 6.0 * costs:
            self.staff += 1
            self._seat_team()
        elif self.staff > 0 and cash < 3.0 * costs:
            loss = revenue * (1.0 - ((n - 1.0) / n) ** TEAM_ELASTICITY)
            if loss < wage:
                self.staff -= 1
                self._seat_team()

    def _seat_team(self) -> None:
        space = self.space
        need = 1 + self.staff
        if space is None:
            self.seats_used = need
            return
        if need > MAX_SEATS_IN_SPACE or need - self.seats_used > space.seats - space.used:
            self.model.leave_space(self)
            self.seats_used = need
            self.wants_space = need <= MAX_SEATS_IN_SPACE
            return
        space.used += need - self.seats_used
        self.seats_used = need

    def _discouragement(self) -> float:
        """A founder quits sooner the less the venture sells against its costs."""
        return 1.0 - min(1.0, self.revenue / self.costs) if self.costs > 0 else 0.0

    def _exit_found(self, revenue: float, cost: float) -> bool:
        m = self.model
        scale = revenue / (GROWTH_REVENUE * cost)
        hazard = EXIT_HAZARD * m.exit_liquidity * min(scale, 3.0)
        if self.stage == SEED:
            hazard *= 0.3
        return m.random.random() < hazard

    def _repay(self) -> None:
        ledger = self.model.ledger
        pay = min(self.loan_payment, self.loan, ledger.balance[self.account])
        if pay > 0.0:
            ledger.transfer(self.account, WORLD, pay, "loan_repayment")
            self.loan -= pay
        if self.loan <= 1e-6:
            self.loan = 0.0
            self.loan_payment = 0.0

    # --- helpers used by markets -------------------------------------------------
    @property
    def cash(self) -> float:
        return self.model.ledger.balance[self.account]

    @property
    def founder_share(self) -> float:
        return max(0.0, 1.0 - sum(self.equity.values()))

    def sell_equity(self, investor_account: int, amount: float, pre_money: float) -> float:
        """Issue new shares worth ``amount`` at ``pre_money``; dilute everyone else."""
        share = amount / (pre_money + amount)
        keep = 1.0 - share
        if self.equity is NO_INVESTORS:
            self.equity = {}
        for holder in self.equity:
            self.equity[holder] *= keep
        self.equity[investor_account] = self.equity.get(investor_account, 0.0) + share
        return share

    def note_funding(self, month: int, source: str, amount: float) -> None:
        """Add a round to the venture's funding history."""
        if not self.funding:
            self.funding = []
        self.funding.append((month, source, amount))

    def note_angel(self, angel, amount: float) -> None:
        """Remember an angel's stake, to book the deal's return when the venture ends."""
        if not self.angel_stakes:
            self.angel_stakes = []
        self.angel_stakes.append((angel, amount))

    def valuation(self) -> float:
        """Pre-money valuation investors agree on: stage, revenue and perceived quality."""
        base = (500_000.0, 1_500_000.0, 5_000_000.0)[self.stage]
        return max(base * self.quality, 12.0 * self.revenue)

    def needs(self) -> float:
        """Money the venture asks for: about a year and a half of costs."""
        return max(18.0 * self.costs, 100_000.0)
