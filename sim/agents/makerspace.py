"""A makerspace and its operator.

Operators rent desks below the market, sell services and live on rent plus
subsidy. Each month an operator pays its lease, staff and the running cost
of the desks in use, sets its rent, and -- if it is private, university or
corporate -- weighs the space's future: the profit it expects over its
planning horizon (its occupancy so far, its rent, the subsidy schedule still
ahead of it) against what closing costs (the penalty for breaking its
lease). It closes when staying is worth less than leaving, when its lease
ends and renewing would not pay, or when its cash is gone. A government-led
space has its losses covered by the local budget, so it stays open while the
money lasts whatever its occupancy -- the "zombie" of the oversupply story.

Whom to admit and how much to spend on tenants are the operator's choices
too; they live in :mod:`sim.markets.tenancy`.
"""

from __future__ import annotations

from collections import deque

from mesa import Agent

from sim.ledger import WORLD
from sim.regions import OPERATOR_TYPES

PRIVATE, UNIVERSITY, CORPORATE, GOVERNMENT = range(4)
# Lease and staff per seat relative to a private space: universities use their own
# buildings, corporates share theirs (ODD, input data).
FIXED_COST_FACTOR = (1.0, 0.7, 0.9, 1.0)


class Makerspace(Agent):
    """A co-working space with seats, services and an operator's account."""

    def __init__(
        self,
        model,
        region: int,
        operator: int,
        seats: int,
        services: tuple[bool, bool, bool, bool, bool],
        idle_building: bool = False,
        lease_months: int = 36,
        planned_occupancy: float = 0.7,
    ):
        super().__init__(model)
        k = model.k
        self.region = region
        self.operator = operator
        self.seats = int(seats)
        self.used = 0
        self.occupants: dict = {}  # venture -> month it moved in (ordered: runs repeat)
        self.investment, self.training, self.media, self.professional, self.maker = services
        self.idle_building = idle_building
        market_rent = model.region_now[region].market_rent
        saving = k.idle_building_saving if idle_building else 0.0
        self.fixed_cost = (
            self.seats
            * market_rent
            * k.space_fixed_cost_share
            * FIXED_COST_FACTOR[operator]
            * (1.0 - saving)
        )
        share = k.government_rent_share if operator == GOVERNMENT else k.opening_rent_share
        self.rent = market_rent * share
        self.opened = model.month
        self.closed: int | None = None
        self.closed_because = ""
        self.lease_end = model.month + lease_months
        self.lease_months = lease_months
        self.planned_occupancy = planned_occupancy  # what its operator expected at opening
        self.smoothed_occupancy = planned_occupancy  # its running estimate of where it settles
        self.against_plan = 1.0  # occupancy against the plan's path, averaged with the prior
        self.account = model.ledger.open("makerspace")
        self.income = 0.0  # rent + subsidy received this month (for the outlook)
        self.subsidy_last = 0.0  # subsidy received last month
        self.accredited = True
        self.is_open = True
        self.learning = 0.0
        self.effort = 0  # service effort level chosen by the operator (0 = the basic services)
        self.screens = False  # whether it screens applicants this month
        self.month_spend = 0.0  # screening and services bought this month
        self.applications = 0  # founders who applied this month (room or not)
        self.departures = 0  # tenants who left this month
        self.applicant_rate = 0.0  # running estimates, per month
        self.departure_rate = 0.0
        self.applicant_values: deque[float] = deque(
            maxlen=30
        )  # what screened applicants were worth
        self.recent_occupancy: deque[float] = deque(maxlen=3)
        self.free_places_used = 0  # seats given rent-free to graduates
        self.funded_rewarded: set[int] = set()  # ventures already paid for under per_funded
        self.arrears = 0.0  # bills a government-led space could not pay yet (not money held)

    # --- what others see -------------------------------------------------
    def peer_quality(self) -> float:
        """Mean current quality of the ventures housed here (what peers are worth)."""
        occupants = self.occupants
        return sum(v.quality for v in occupants) / len(occupants) if occupants else 0.0

    @property
    def operator_name(self) -> str:
        return OPERATOR_TYPES[self.operator]

    @property
    def free(self) -> int:
        return self.seats - self.used

    @property
    def opened_in_run(self) -> bool:
        """Not one of the spaces the run starts with (those opened before it)."""
        return self.opened >= 1

    def age_years(self) -> int:
        return (self.model.month - self.opened) // 12

    def occupancy(self) -> float:
        return self.used / self.seats if self.seats else 0.0

    def monthly_cost(self) -> float:
        """Lease and staff, the broadband and software of the seats in use, the services
        and effort its tenants get, and the screening the operator chose to do."""
        m = self.model
        k = m.k
        per_tenant = (k.tenant_service_cost + self.effort * k.effort_cost) * (
            m.region_now[self.region].cost
        )
        return (
            self.fixed_cost
            + k.seat_running_cost * self.used
            + per_tenant * len(self.occupants)
            + self.month_spend
        )

    def refresh_learning(self, mentorship: float) -> None:
        """How much a founder here learns each month from mentors, training, peers and
        the operator's own effort."""
        k = self.model.k
        services = k.service_learning * (self.training + self.professional + self.investment)
        self.learning = (
            k.peer_learning
            + mentorship * k.mentor_learning * (1.0 + self.training)
            + services
            + self.effort * k.effort_learning
        )

    # --- tenants ---------------------------------------------------------
    def resize(self, venture, need: int) -> None:
        """A tenant's team grew or shrank within the room the space has."""
        delta = need - venture.seats_used
        self.used += delta
        if venture.free_place:
            self.free_places_used += delta
        venture.seats_used = need

    def collect(self, amount: float) -> None:
        """Book income (rent or subsidy) for this month's outlook."""
        self.income += amount

    # --- the month --------------------------------------------------------
    def step(self) -> None:
        if not self.is_open:
            return
        m = self.model
        ledger = m.ledger
        cost = self.monthly_cost()
        due = cost + self.arrears
        if self.operator == GOVERNMENT:
            gap = due - ledger.balance[self.account]
            if gap > 0.0 and self.accredited:
                m.local_funds[self.region].support_space(self, gap)
        paid = ledger.pay_up_to(self.account, WORLD, due, "operator_costs")
        m.month_operator_cost += paid
        short = due - paid > 1e-6
        occupancy = self.occupancy()
        self.recent_occupancy.append(occupancy)
        self._estimate_occupancy(occupancy)
        weight = m.k.occupancy_smoothing
        self.applicant_rate += weight * (self.applications - self.applicant_rate)
        self.departure_rate += weight * (self.departures - self.departure_rate)
        self.applications = self.departures = 0
        self.month_spend = 0.0
        self.income = 0.0
        self._set_price(occupancy)
        if self.operator == GOVERNMENT:
            # a public space may owe its bills for a while (the budget comes in January),
            # but not for ever: it closes when it owes a quarter's costs
            self.arrears = due - paid if short else 0.0
            if self.arrears > m.k.arrears_months * cost:
                m.close_space(self, "budget")
        elif short:
            m.close_space(self, "cash")
        else:
            self._weigh_future()

    def _estimate_occupancy(self, occupancy: float) -> None:
        """Where the space will settle. While it fills (a new space fills over
        ``ramp_up_months``) the operator holds to its plan, scaled by how the space
        has done against the plan's path, the plan counting as ``plan_confidence``
        months of evidence; after that it follows what the space shows."""
        k = self.model.k
        plan = self.planned_occupancy
        age = self.model.month - self.opened
        if plan <= 0.0 or age > 2 * k.ramp_up_months:
            weight = k.occupancy_smoothing
            self.smoothed_occupancy += weight * (occupancy - self.smoothed_occupancy)
            return
        path = plan * min(1.0, age / k.ramp_up_months)
        if path > 0.0:
            prior = k.plan_confidence
            self.against_plan += (occupancy / path - self.against_plan) / (prior + age)
            self.smoothed_occupancy = min(1.0, plan * self.against_plan)

    def _weigh_future(self) -> None:
        """Stay while the space is worth more open than closed."""
        m = self.model
        stay = m.outlook(self)
        if m.month >= self.lease_end:  # renew or walk away, at no penalty
            if stay < 0.0:
                m.close_space(self, "lease")
            else:
                self.lease_end = m.month + self.lease_months
            return
        penalty = m.k.lease_break_share * self.fixed_cost * (self.lease_end - m.month)
        if stay < -penalty:
            m.close_space(self, "outlook")

    def _set_price(self, occupancy: float) -> None:
        """Raise rent when desks are scarce, cut it when they stand empty, never below
        what a tenant costs the operator net of the subsidy she brings.

        How empty is "empty" depends on how the space is paid: the more subsidy a
        tenant brings against the rent she pays, the fuller the operator wants its
        space before it stops cutting (with no such subsidy, below
        ``price_down_occupancy``; when a tenant's subsidy matches her rent, below
        ``price_up_occupancy``)."""
        if self.operator == GOVERNMENT:
            return
        m = self.model
        k = m.k
        market_rent = m.region_now[self.region].market_rent
        filling = min(1.0, (m.month - self.opened) / k.ramp_up_months)  # a new space fills
        bonus = m.tenant_bonus(self)
        eager = min(1.0, bonus / self.rent) if self.rent > 0.0 else 1.0
        wanted = k.price_down_occupancy + (k.price_up_occupancy - k.price_down_occupancy) * eager
        if occupancy >= k.price_up_occupancy * filling:
            self.rent = min(self.rent * (1.0 + k.price_step), market_rent)
        elif occupancy < wanted * filling:
            self.rent *= 1.0 - k.price_step
        self.rent = max(self.rent, m.rent_floor(self))
