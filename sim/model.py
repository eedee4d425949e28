"""The startup-ecosystem model: wiring and the order of a month.

Read :meth:`StartupEcosystem._month` first: it is the whole schedule. What
happens to one agent is in :mod:`sim.agents`, what happens between agents in
:mod:`sim.markets`, births and deaths in :mod:`sim.lifecycle`, what agents
observe of the past in :mod:`sim.signals`, and the monthly outcomes in
:mod:`sim.reporters`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from types import SimpleNamespace
from typing import Any

import numpy as np
from mesa import DataCollector, Model
from mesa.experimental.scenarios import Scenario

from sim import draws, initial, reporters
from sim.agents import AngelInvestor, CrowdfundingPlatform, Entrepreneur, GovernmentFund, Makerspace
from sim.agents.entrepreneur import TEAM_TABLE
from sim.calendar import format_month, parse_month
from sim.ledger import Ledger
from sim.levers import BY_NAME, resolve
from sim.lifecycle import Lifecycle
from sim.markets import finance, seats, subsidy, supply, tenancy
from sim.population import FounderPool
from sim.regions import FOUNDER_TYPES, REGIONS
from sim.schedule import Schedule, value_at
from sim.signals import Signals


class EcosystemScenario(Scenario):
    """The parameters of one run, the Mesa 3.5 way:
    ``StartupEcosystem(scenario=EcosystemScenario(rng=42, mentorship=0.5))``.

    Any lever, uncertainty or constant of the catalogue; the model checks
    them and fills in the defaults, so a misspelt name fails there with the
    closest valid one.
    """


class StartupEcosystem(Lifecycle, Signals, Model):
    """Founders, makerspaces, angels, public funds and a crowdfunding platform.

    Every keyword is a lever, uncertainty or constant of the catalogue
    (``sim levers --all``); a lever may be a schedule ``{"YYYY-MM": value}``.
    ``rng`` seeds the run: the same parameters and seed give the same run.
    The same can come as a Mesa ``scenario`` (:class:`EcosystemScenario`)
    instead, as in Mesa's own examples; ``model.scenario`` holds them either
    way. ``collect=False`` leaves out Mesa's DataCollector: the batch runner
    keeps each month's ``model.outcomes`` itself, which is cheaper than
    calling one reporter per column every month.

    Before its first month the economy lives through ``spin_up`` months under
    the levers of the start month, so a run starts from that economy's own
    steady state rather than from a warm-up.
    """

    def __init__(
        self,
        rng: Any = None,
        *,
        scenario: Scenario | None = None,
        collect: bool = True,
        **params: Any,
    ):
        if scenario is None:
            scenario, rng = EcosystemScenario(rng=rng, **params), None
        elif params:
            raise TypeError(
                f"give parameters in the scenario or as keywords, not both (got {sorted(params)})"
            )
        else:
            params = {name: value for name, value in scenario if name != "rng"}
        super().__init__(rng=rng, scenario=scenario)
        self.rand = self.random.random  # bound once: the venture loop draws several a month
        self._spare_normals: list[float] = []
        self.params = resolve(params)
        # behavioural parameters hold for the whole run: read them once
        self.k = SimpleNamespace(
            **{n: v for n, v in self.params.items() if not BY_NAME[n].schedulable}
        )
        # most parameters are constants: only the scheduled ones are looked up monthly
        self._scheduled = [n for n, v in self.params.items() if isinstance(v, Schedule)]
        self._fixed_now = {n: v for n, v in self.params.items() if not isinstance(v, Schedule)}
        self.start_month = parse_month(self.params["start"])
        self.scale = self.params["scale"]
        self.month = -self.k.spin_up
        self._first_month = self.month + 1
        self.ledger = Ledger(journal=self.params["journal"])
        self.is_hardware = tuple(t.hardware for t in FOUNDER_TYPES)
        # sales of a team against a founder alone, and what one more hire adds, by staff
        self.team_powers = [(1.0 + n) ** self.k.team_elasticity for n in range(TEAM_TABLE)]
        self.team_gains = [self.team_gain(n) for n in range(TEAM_TABLE - 1)]
        self.exit_team_power = self.team_power(self.k.exit_team)
        self.trading = [self.k.market_reference_ventures * r.talent * self.scale for r in REGIONS]
        self.typical_quality = [1.0] * len(REGIONS)
        self.subsidy_claimed = [0.0] * len(REGIONS)
        self.subsidy_paid = [0.0] * len(REGIONS)
        self.cumulative = Counter()
        self.founders_in_spaces = 0
        self._track_target()
        self._set_clock()
        self.pool = FounderPool(self)
        self.central_fund = GovernmentFund(self, "central", None, 1.0)
        zeal = sum(r.zeal for r in REGIONS)
        self.local_funds = [
            GovernmentFund(self, "local", i, r.zeal / zeal) for i, r in enumerate(REGIONS)
        ]
        self.platform = CrowdfundingPlatform(self)
        initial.populate(self)
        self._spin_up()
        self.outcomes = reporters.measure(self)
        self.datacollector: DataCollector | None = None
        if collect:
            self.datacollector = DataCollector(model_reporters=reporters.model_reporters())
            self.datacollector.collect(self)

    # --- the month --------------------------------------------------------
    def step(self) -> None:
        self._month()
        if self.datacollector is not None:
            self.datacollector.collect(self)

    def _month(self) -> None:
        self.month += 1
        self._set_clock()
        if self.calendar_month == 1 or self.month == self._first_month:
            self._start_year()
        subsidy.pay_monthly_subsidies(self)
        self.mentorship_paid = finance.mentoring(self)
        self.refresh_spaces()
        self.enter_founders()
        seats.allocate_seats(self)
        finance.angel_round(self)
        finance.crowd_and_banks(self)
        finance.competition(self)
        self.platform.step()
        self.draw_normals()
        self.activate(Entrepreneur)
        self.activate(Makerspace)
        supply.open_spaces(self)
        self.activate(AngelInvestor)
        self.enter_angels()
        self.close_episodes()
        self.accumulate()
        self.outcomes = reporters.measure(self)
        self.remember(self.outcomes["_regions"])

    def _spin_up(self) -> None:
        """Live through the spin-up months, then open the run's books at zero."""
        while self.month < 0:
            self._month()
        self.cumulative = Counter()
        self.count = Counter()
        self.deals_before_run = len(self.angel_outcomes)
        for fund in (self.central_fund, *self.local_funds):
            fund.spent.clear()  # what the run spends is counted from its first month

    def accumulate(self) -> None:
        count = self.count
        cum = self.cumulative
        for name in (
            "founders_entered",
            "startups_failed",
            "startups_quit",
            "startups_exited",
            "makerspaces_opened",
            "makerspaces_closed",
        ):
            cum[name] += count[name]
        cum["public"] += sum(self.month_public.values())

    def draw_normals(self) -> None:
        """Standard normal shocks for this month's ventures, drawn in one numpy call
        (two per venture: market-fit drift and sales noise)."""
        ventures = self.agents_by_type.get(Entrepreneur)
        n = 2 * (len(ventures) if ventures is not None else 0) + 16
        self.normals = self.rng.standard_normal(n).tolist()

    def normal(self) -> float:
        """A standard normal draw, from a pool refilled in one numpy call (angels and
        operators judge many ventures a month)."""
        pool = self._spare_normals
        if not pool:
            pool.extend(self.rng.standard_normal(1024).tolist())
        return pool.pop()

    def activate(self, kind: type) -> None:
        """Step every agent of one kind in random order (none may exist yet).

        The order is ``AgentSet.shuffle_do``'s, draw for draw: the same
        ``random.shuffle`` (as :func:`sim.draws.shuffle`, that shuffle without
        its call per element), applied to positions rather than to the agents,
        so the shuffle touches small ints instead of tens of thousands of
        agents scattered in memory. Nor does it ask, agent by agent, whether
        the agent is still in the set, as ``shuffle_do`` does: a venture, a
        space or an angel is removed only in its own step, so every agent
        taken at the start is still there at its turn (tested in
        ``tests/test_model.py``)."""
        agents = self.agents_by_type.get(kind)
        if agents is None:
            return
        members = list(agents)
        order = list(range(len(members)))
        draws.shuffle(self.random, order)
        for i in order:
            members[i].step()

    # --- what a venture's month depends on ------------------------------------
    def team_power(self, staff: int) -> float:
        """Sales of a team with ``staff`` employees relative to a founder alone."""
        return (1.0 + staff) ** self.k.team_elasticity

    def team_gain(self, staff: int) -> float:
        """Share more a team sells with one more hire."""
        return self.team_power(staff + 1) / self.team_power(staff) - 1.0

    def team_loss(self, staff: int) -> float:
        """Share less a team sells with one hire fewer (``staff`` > 0)."""
        return 1.0 - self.team_power(staff - 1) / self.team_power(staff)

    def idea_speed(self, venture) -> float:
        """Progress per month towards a product, per unit of the venture's power."""
        speed = self.k.idea_speed
        if venture.hardware:
            speed *= self.hardware_speed
        space = venture.space
        if space is not None and space.maker:
            speed *= self.k.maker_speedup
        return speed

    def patent_wait(self, venture) -> float:
        """Months a venture must wait, from when it may trade, for the patent it
        launches under (hardware founders only)."""
        return self.patent_wait_months if venture.hardware else 0.0

    # --- the operator's reckoning (sim.markets.tenancy) ------------------------
    def outlook(self, space) -> float:
        return tenancy.outlook(self, space)

    def rent_floor(self, space) -> float:
        return tenancy.rent_floor(self, space)

    def tenant_bonus(self, space) -> float:
        return tenancy.tenant_bonus(self, space)

    def review_space(self, space) -> None:
        tenancy.review(self, space)

    # --- time and levers ----------------------------------------------------
    def _set_clock(self) -> None:
        """Fix this month's date, lever values and regional prices."""
        # step k is the k-th month from `start`; the initial state is the month before.
        # The spin-up months come before that, under the levers of the start month.
        self.abs_month = self.start_month + self.month - 1
        self.date = format_month(self.abs_month)
        self.calendar_month = self.abs_month % 12 + 1
        policy_month = max(self.abs_month, self.start_month)
        now = self._now = dict(self._fixed_now)  # a copy: callers may keep last month's
        for name in self._scheduled:
            now[name] = value_at(self.params[name], policy_month)
        self.ledger.new_month(self.month)
        self.month_public: defaultdict[str, float] = defaultdict(float)
        self.month_operator_cost = 0.0
        self.month_operator_subsidy = 0.0
        self.count: Counter[str] = Counter()
        self.published_cache = {}
        self.housed_funded = set()
        self.applied_quality = [0.0, 0, 0.0, 0]  # applicants with room: quality, count; admitted
        self.region_now = initial.region_prices(self)
        self.cost_levels = np.array([r.cost for r in self.region_now])
        k = self.k
        sharing = self._now["facility_sharing"]
        self.hardware_speed = 1.0 - k.hardware_prototype_drag * (1.0 - sharing)
        self.hardware_idea_speed = k.idea_speed * self.hardware_speed
        self.hardware_equipment = k.hardware_equipment_cost * (1.0 - sharing)
        fast = self._now["patent_fast_track"]
        self.patent_wait_months = k.fast_track_months if fast else k.patent_pendency_months
        self.seed_exit_hazard = k.exit_hazard * k.seed_exit_factor
        alpha = self._now["exit_tail"]
        self.exit_price_factor = 12.0 * k.exit_multiple * (1.0 + 1.0 / (alpha - 1.0))  # mean
        self.listings_open = self._now["regional_equity_market"] > 0.0
        # what investors take off a founder's venture for each failure on her record
        self.record_discount = 1.0 - k.investor_stigma * (1.0 - self._now["failure_tolerance"])

    def lever(self, name: str) -> Any:
        """The value of a lever, uncertainty or constant in the current month."""
        return self._now[name]

    def _start_year(self) -> None:
        """Budgets for the rest of the calendar year (a whole year from January)."""
        share = (13 - self.calendar_month) / 12
        self.central_fund.new_year(self.lever("central_budget") * self.scale * share)
        for fund in self.local_funds:
            fund.new_year(self.lever("local_budget") * self.scale * share)

    def _track_target(self) -> None:
        """Remember when a construction target was first set: the path starts there."""
        raw = self.params["local_target_spaces"]
        self.target_month = parse_month(self.params["local_target_date"])
        if isinstance(raw, Schedule):
            months = [parse_month(m) for m, v in raw.points.items() if v > 0]
            since = min(months) if months else None
        else:
            since = self.start_month if raw > 0 else None
        self.target_since = None if since is None else max(since, self.start_month)
