"""The founder and the venture, one agent.

A venture lives on its cash: each month it earns what its quality, the
founder's skill and its team can sell in a market it shares with its
rivals, pays wages, rent, tools and (for hardware) equipment, and when the
cash will not last it asks for money. It fails when the money is gone and
nobody funds it; its founder may also quit for a wage, which closes the
venture without a failure on her record. Everything that can be a decision
of the founder is here; what happens between agents (seats, deals,
campaigns, exits) is in :mod:`sim.markets`.
"""

from __future__ import annotations

from math import exp
from types import MappingProxyType
from typing import TYPE_CHECKING

from mesa import Agent

from sim.ledger import WORLD

if TYPE_CHECKING:
    from sim.agents.makerspace import Makerspace

IDEA, SEED, GROWTH, EXITED, FAILED, QUIT = range(6)
STAGE_NAMES = ("idea", "seed", "growth", "exited", "failed", "quit")
NO_INVESTORS = MappingProxyType({})  # read-only: a venture gets its own dict on its first round
INSTITUTION = -1  # cap-table key of the research institution that claims a share of R&D ventures
TEAM_TABLE = 64  # staff sizes whose sales power the model tabulates (a month's lookup, not a pow)


class _VentureMonth(Agent):
    """The state a venture's month reads and writes, laid out first.

    CPython lays slots out in sorted order, class by class from the base, so
    the fields of the monthly step sit together here (three cache lines with
    the object's header) and the rest of the venture after them. With tens
    of thousands of ventures stepped in random order the loop waits on
    memory, and every line a step touches counts. ``model`` (set by Mesa's
    ``Agent``, with ``unique_id`` and ``pos``, which are slots of the
    venture below) is a slot too, so a venture has no attribute dict to
    follow.
    """

    __slots__ = (
        "account",
        "cohort",
        "costs",
        "free_place",
        "hardware",
        "last_funded",
        "loan_payment",
        "model",
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


class Entrepreneur(_VentureMonth):
    """A founder and the venture they run."""

    # the rest of a venture: read by the markets, at its rounds, exit or end
    __slots__ = (
        "angel_stakes",
        "attempt",
        "coinvested",
        "equity",
        "failures",
        "ftype",
        "funding",
        "loan",
        "log_index",
        "pos",
        "unique_id",
        "visible_until",
    )

    def __init__(
        self,
        model,
        region: int,
        ftype: int,
        quality: float,
        skill: float,
        attempt: int = 1,
        failures: int = 0,
    ):
        super().__init__(model)
        self.region = region
        self.ftype = ftype
        self.hardware = model.is_hardware[ftype]
        self.quality = quality
        self.skill = skill
        self.attempt = attempt
        self.failures = failures  # failed ventures on the founder's record before this one
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
        self.equity: dict[int, float] = NO_INVESTORS  # account -> share held by others
        self.angel_stakes: list[tuple] | tuple = ()  # (angel, yuan invested, tax credit)
        self.coinvested: list[tuple] | tuple = ()  # (angel, fund yuan, fund share at issue)
        self.funding: list[tuple[int, str, float]] | tuple = ()  # (month, source, yuan)
        self.last_funded = -99
        self.visible_until = -99  # a prize puts the venture in front of more investors
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
        k = m.k
        region = m.region_now[self.region]
        ledger = m.ledger
        space = self.space
        rand = m.rand
        stage = self.stage
        staff = self.staff

        learn = k.base_learning + (space.learning if space is not None else 0.0)
        skill = self.skill = self.skill + learn * (1.0 - self.skill)
        if stage:  # trading: market fit drifts
            drift = k.drift_mu + k.skill_drift_relief * skill + k.drift_sigma * m.normals.pop()
            self.quality *= exp(drift)
        power = self.quality * (1.0 + skill)

        revenue = 0.0
        if stage == IDEA:
            if m.month >= self.trading_from:
                speed = m.hardware_idea_speed if self.hardware else k.idea_speed
                if space is not None and space.maker:
                    speed *= k.maker_speedup
                self.progress += power * speed * (0.5 + rand())
                if self.progress >= 1.0 and (
                    not self.hardware or m.month - self.trading_from >= m.patent_wait_months
                ):
                    self.stage = stage = SEED
        else:
            self.months_trading += 1
            ramp = self.months_trading / k.ramp_months
            revenue = region.price * power * (ramp if ramp < 1.0 else 1.0)
            powers = m.team_powers
            team = powers[staff] if staff < TEAM_TABLE else m.team_power(staff)
            revenue *= team * exp(k.sales_noise * m.normals.pop())
        self.revenue = revenue

        wage = region.wage
        stipend = (k.idea_stipend_share if stage == IDEA else k.stipend_share) * wage
        cash = ledger.balance[self.account] + revenue  # nothing moves it before the books below
        if cash < k.frugal_months * self.costs:
            stipend = k.frugal_stipend_share * wage  # short of money, the founder lives on little
        outgoings = stipend + staff * wage + k.tools_per_person * (1 + staff)
        if self.hardware:
            outgoings += m.hardware_equipment
        rent = 0.0
        if space is not None:
            if not self.free_place:
                rent = space.rent * self.seats_used
        elif 1 + staff > k.home_seats:
            rent = region.market_rent * (1 + staff)
        costs = outgoings + rent + self.loan_payment
        self.costs = costs

        if cash < costs:
            if revenue > 0.0:
                ledger.transfer(WORLD, self.account, revenue, "sales")
            if rent > 0.0 and space is not None:
                space.collect(ledger.pay_up_to(self.account, space.account, rent, "seat_rent"))
            ledger.pay_up_to(self.account, WORLD, outgoings, "wages_and_costs")
            m.fail(self)
            return
        if rent > 0.0:
            landlord = space.account if space is not None else WORLD
            ledger.trade(self.account, revenue, outgoings, rent, landlord)
            if space is not None:
                space.income += rent
        else:
            ledger.trade(self.account, revenue, outgoings)
        if self.loan_payment > 0.0:
            self._repay()
        cash -= costs

        self.months_loss = self.months_loss + 1 if revenue < costs else 0
        quit_odds = k.wage_pull * (1.0 - stipend / wage)
        if self.months_loss >= k.give_up_months:
            quit_odds += k.give_up_odds * self._discouragement()
        if rand() < quit_odds:
            m.quit(self)
            return
        if stage:
            if revenue > 0.0:  # hire or fire (inlined: it runs for every trading venture)
                gains = m.team_gains
                gain = gains[staff] if staff < TEAM_TABLE - 1 else m.team_gain(staff)
                grow = self.wants_to_grow = revenue * gain > k.hire_margin * wage
                if grow and cash > k.hire_cash_months * costs:
                    self.staff += 1
                    self._seat_team()
                elif staff > 0 and cash < k.frugal_months * costs:
                    self._maybe_fire(revenue, wage)
            mark = region.growth_mark
            if stage == SEED:
                if revenue >= mark:
                    self.stage = stage = GROWTH
                hazard = m.seed_exit_hazard
            else:
                hazard = k.exit_hazard
            scale = revenue / mark
            hazard *= scale if scale < k.exit_scale_cap else k.exit_scale_cap
            if rand() < hazard:
                m.sell(self)
                return
            if m.listings_open and stage == GROWTH and m.try_listing(self, hazard):
                return
        if m.month - self.last_funded > 2 and (cash < k.seek_months * costs or self.wants_to_grow):
            m.seek_money(self)
        if space is None:
            if self.wants_space is False and rand() < k.desk_recheck:
                self.wants_space = True
            if (
                self.wants_space
                and self.seats_used <= k.max_seats_in_space
                and (self.cohort != m.month)
            ):
                m.space_seekers[self.region].append(self)
        elif rand() < k.look_around:
            m.space_seekers[self.region].append(self)  # is there a better space now?

    # --- decisions ----------------------------------------------------------
    def _maybe_fire(self, revenue: float, wage: float) -> None:
        """Money is short: let the last hire go if it does not sell its wage."""
        if revenue * self.model.team_loss(self.staff) < wage:
            self.staff -= 1
            self._seat_team()

    def _seat_team(self) -> None:
        space = self.space
        need = 1 + self.staff
        if space is None:
            self.seats_used = need
            return
        if need > self.model.k.max_seats_in_space or need - self.seats_used > space.free:
            self.model.leave_space(self)
            self.seats_used = need
            self.wants_space = need <= self.model.k.max_seats_in_space
            return
        space.resize(self, need)

    def _discouragement(self) -> float:
        """A founder quits sooner the less the venture sells against its costs."""
        return 1.0 - min(1.0, self.revenue / self.costs) if self.costs > 0 else 0.0

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

    def _own_cap_table(self) -> dict[int, float]:
        if self.equity is NO_INVESTORS:
            self.equity = {}
        return self.equity

    def sell_equity(self, investor_account: int, amount: float, pre_money: float) -> float:
        """Issue new shares worth ``amount`` at ``pre_money``; dilute everyone else."""
        share = amount / (pre_money + amount)
        keep = 1.0 - share
        equity = self._own_cap_table()
        for holder in equity:
            equity[holder] *= keep
        equity[investor_account] = equity.get(investor_account, 0.0) + share
        return share

    def grant_claim(self, holder: int, share: float) -> None:
        """A claim on the venture given, not bought (a research institution's share)."""
        if share > 0.0:
            self._own_cap_table()[holder] = share

    def hand_on(self, holder: int, to: int) -> float:
        """Move a holder's shares to another holder (a departing investor's stake)."""
        share = self.equity.pop(holder, 0.0) if self.equity else 0.0
        if share > 0.0:
            self.equity[to] = self.equity.get(to, 0.0) + share
        return share

    def note_funding(self, month: int, source: str, amount: float) -> None:
        """Add a round to the venture's funding history."""
        if not self.funding:
            self.funding = []
        self.funding.append((month, source, amount))

    def note_angel(self, angel, amount: float, credit: float) -> None:
        """Remember an angel's stake, to book the deal's return when the venture ends."""
        if not self.angel_stakes:
            self.angel_stakes = []
        self.angel_stakes.append((angel, amount, credit))

    def note_coinvestment(self, angel, amount: float, share: float) -> None:
        """Remember the guidance fund's stake beside an angel: the angel may buy it at
        cost when the venture is sold."""
        if not self.coinvested:
            self.coinvested = []
        self.coinvested.append((angel, amount, share))

    def valuation(self) -> float:
        """Pre-money valuation investors agree on: stage, revenue and perceived quality."""
        k = self.model.k
        base = (k.valuation_idea, k.valuation_seed, k.valuation_growth)[self.stage]
        return max(base * self.quality, 12.0 * self.revenue)

    def needs(self) -> float:
        """Money the venture asks for: about a year and a half of costs."""
        k = self.model.k
        return max(k.round_months * self.costs, k.round_minimum)
