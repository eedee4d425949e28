"""A makerspace and its operator.

Operators rent desks below the market, sell services, and live on rent plus
subsidy. A private operator closes after sustained losses; a government-led
space has its losses covered by the local budget, so it stays open while the
money lasts whatever its occupancy -- the "zombie" of the oversupply story.
"""

from __future__ import annotations

from collections import deque

from mesa import Agent

from sim.ledger import WORLD
from sim.regions import OPERATOR_TYPES

PRIVATE, UNIVERSITY, CORPORATE, GOVERNMENT = range(4)

# Share of market rent a space's own lease and staff cost, per seat and month.
FIXED_COST_SHARE = (0.60, 0.40, 0.55, 0.60)
# Months of losses an owner tolerates before closing (government: budget decides).
PATIENCE = (12, 24, 18, 10_000)
SEAT_COST = 150.0  # broadband and public software per occupied seat per month
IDLE_BUILDING_SAVING = 0.5  # fixed cost saved in a converted idle building
START_CAPITAL_MONTHS = 6  # months of fixed cost an operator brings
ARREARS_MONTHS = 3  # months of unpaid bills a government-led space may run up
RAMP_UP_MONTHS = 12  # losses in a space's first year are expected; owners judge it after


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
    ):
        super().__init__(model)
        self.region = region
        self.operator = operator
        self.seats = int(seats)
        self.used = 0
        self.occupants: dict = {}  # ordered, so runs repeat exactly
        self.investment, self.training, self.media, self.professional, self.maker = services
        self.idle_building = idle_building
        market_rent = model.region_now[region].market_rent
        saving = IDLE_BUILDING_SAVING if idle_building else 0.0
        self.fixed_cost = self.seats * market_rent * FIXED_COST_SHARE[operator] * (1.0 - saving)
        discount = 0.3 if operator == GOVERNMENT else 0.7
        self.rent = market_rent * discount
        self.opened = model.month
        self.account = model.ledger.open("makerspace")
        self.months_loss = 0
        self.income = 0.0  # rent + subsidy received this month (for the profit test)
        self.accredited = True
        self.is_open = True
        self.learning = 0.0
        self.recent_occupancy: deque[float] = deque(maxlen=3)
        self.quality_sum = 0.0  # of the ventures housed here: what peers are worth
        self.free_places_used = 0  # seats given rent-free to graduates
        self.arrears = 0.0  # bills a government-led space could not pay yet (not money held)

    def peer_quality(self) -> float:
        return self.quality_sum / len(self.occupants) if self.occupants else 0.0

    @property
    def operator_name(self) -> str:
        return OPERATOR_TYPES[self.operator]

    @property
    def free(self) -> int:
        return self.seats - self.used

    @property
    def opened_in_run(self) -> bool:
        """Not one of the incubators the run starts with (those are dated before it)."""
        return self.opened >= 0

    def age_years(self) -> int:
        return (self.model.month - self.opened) // 12

    def monthly_cost(self) -> float:
        """Lease, staff and the broadband and software of the seats in use."""
        return self.fixed_cost + SEAT_COST * self.used

    def refresh_learning(self, mentorship: float) -> None:
        """How much a founder here learns each month from mentors, training and peers."""
        services = 0.004 * (self.training + self.professional + self.investment)
        self.learning = 0.006 + mentorship * 0.02 * (1.0 + self.training) + services

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
        occupancy = self.used / self.seats if self.seats else 0.0
        self.recent_occupancy.append(occupancy)
        profit = self.income - cost
        self.income = 0.0
        ramping_up = self.model.month - self.opened < RAMP_UP_MONTHS
        self.months_loss = self.months_loss + 1 if profit < 0.0 and not ramping_up else 0
        self._set_price(occupancy)
        if self.operator == GOVERNMENT:
            # a public space may owe its bills for a while (the budget comes in January),
            # but not for ever: it closes when it owes a quarter's costs
            self.arrears = due - paid if short else 0.0
            if self.arrears > ARREARS_MONTHS * cost:
                m.close_space(self)
        elif short or self.months_loss >= PATIENCE[self.operator]:
            m.close_space(self)

    def _set_price(self, occupancy: float) -> None:
        """Raise rent when desks are scarce, cut it when they stand empty."""
        if self.operator == GOVERNMENT:
            return
        market_rent = self.model.region_now[self.region].market_rent
        if occupancy > 0.9:
            self.rent = min(self.rent * 1.03, market_rent)
        elif occupancy < 0.6:
            self.rent = max(self.rent * 0.97, 0.25 * market_rent)

    def collect(self, amount: float) -> None:
        """Book income (rent or subsidy) for this month's profit test."""
        self.income += amount
