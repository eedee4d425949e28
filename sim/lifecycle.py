"""Births, deaths and moves: founders enter, fail and exit; spaces open and
close; founders take and leave desks; angels come and go.

These are the only places agents are created or removed, so the books
(ledger, cohort log, counts per region) are kept in one place.
"""

from __future__ import annotations

from sim.agents.angel import AngelInvestor
from sim.agents.entrepreneur import EXITED, FAILED, Entrepreneur
from sim.agents.makerspace import GOVERNMENT, START_CAPITAL_MONTHS, Makerspace
from sim.ledger import WORLD
from sim.markets import finance, subsidy
from sim.regions import FOUNDER_TYPES

# services each operator type tends to offer (probabilities, in SERVICES order)
SERVICE_ODDS = (
    (0.5, 0.5, 0.4, 0.5, 0.3),  # private
    (0.2, 0.8, 0.2, 0.4, 0.5),  # university
    (0.6, 0.5, 0.3, 0.5, 0.4),  # corporate
    (0.2, 0.4, 0.2, 0.3, 0.2),  # government-led
)
EXIT_MULTIPLE = 4.0  # years of revenue a buyer pays, before the heavy tail


class Lifecycle:
    """Mixed into :class:`sim.model.StartupEcosystem`."""

    # --- founders -----------------------------------------------------------
    def ventures(self) -> list[Entrepreneur]:
        agents = self.agents_by_type.get(Entrepreneur)
        return list(agents) if agents is not None else []

    def enter_founders(self) -> None:
        """Draw this month's founders from the pool and give each a venture."""
        for region, ftype, quality, skill, attempt in self.pool.draw_entrants(
            self, self.attractions()
        ):
            self.new_venture(region, ftype, quality, skill, attempt)

    def new_venture(
        self,
        region: int,
        ftype: int,
        quality: float,
        skill: float,
        attempt: int = 1,
        cash: float | None = None,
    ) -> Entrepreneur:
        v = Entrepreneur(self, region, ftype, quality, skill, attempt)
        savings = (
            FOUNDER_TYPES[ftype].savings * self.region_now[region].cost if cash is None else cash
        )
        self.ledger.transfer(WORLD, v.account, savings, "founder_savings")
        if cash is None:
            self.ledger.pay_up_to(
                v.account, WORLD, self.lever("registration_cost"), "registration_fee"
            )
            v.trading_from = self.month + round(self.lever("registration_delay"))
            finance.graduate_grant(self, v)
            self.count["founders_entered"] += 1
            if attempt > 1:
                self.count["founders_reentered"] += 1
        v.log_index = len(self.cohort_log)
        self.cohort_log.append([v.cohort, -1, 0])
        self.space_seekers[region].append(v)
        return v

    def record_funding(
        self, v: Entrepreneur, source: str, amount: float, seed: bool | None = None
    ) -> None:
        v.note_funding(self.month, source, amount)
        v.last_funded = self.month
        if source in ("angel", "crowd") and (v.stage <= 1 if seed is None else seed):
            self.count["seed_funded"] += 1
        self.month_funded[v.region] += 1
        subsidy.reward_funding(self, v)

    def fail(self, v: Entrepreneur) -> None:
        """The money is gone: the venture closes and the founder may try again later."""
        v.stage = FAILED
        self._end_venture(v, FAILED)
        self.angel_outcomes.extend((invested, 0.0) for _, invested in v.angel_stakes)
        self.ledger.close(v.account, "wind_up")
        self.pool.add_failed(v.region, v.skill)
        self.count["startups_failed"] += 1
        v.remove()

    def exit(self, v: Entrepreneur, revenue: float) -> None:
        """A buyer or a listing pays for the venture; shareholders are paid their stakes."""
        v.stage = EXITED
        self._end_venture(v, EXITED)
        tail = self.rng.pareto(self.lever("exit_tail"))
        value = 12.0 * revenue * EXIT_MULTIPLE * (1.0 + tail)
        for holder, share in v.equity.items():
            if holder != WORLD:
                self.ledger.transfer(WORLD, holder, value * share, "exit_proceeds")
        angel_total: dict = {}
        for angel, invested in v.angel_stakes:
            angel_total[angel] = angel_total.get(angel, 0.0) + invested
        for angel, invested in v.angel_stakes:
            payout = value * v.equity.get(angel.account, 0.0) * invested / angel_total[angel]
            self.angel_outcomes.append((invested, payout))
            angel.returned += payout
        self.ledger.close(v.account, "acquired_cash")
        self.count["startups_exited"] += 1
        self.count[("exit", v.region)] += 1
        v.remove()

    def _end_venture(self, v: Entrepreneur, kind: int) -> None:
        if v.space is not None:
            self.leave_space(v)
        row = self.cohort_log[v.log_index]
        row[1], row[2] = self.month, kind

    # --- desks --------------------------------------------------------------
    def join_space(self, v: Entrepreneur, space: Makerspace, free: bool = False) -> None:
        v.space = space
        v.free_place = free
        space.occupants[v] = None
        space.used += v.seats_used
        space.quality_sum += v.quality
        if free:
            space.free_places_used += v.seats_used

    def leave_space(self, v: Entrepreneur) -> None:
        space = v.space
        if space is None:
            return
        space.occupants.pop(v, None)
        space.used -= v.seats_used
        space.quality_sum -= v.quality
        if v.free_place:
            space.free_places_used -= v.seats_used
        v.space = None
        v.free_place = False

    # --- spaces -------------------------------------------------------------
    def open_space(self, region: int, operator: int, seats: int, idle: bool) -> Makerspace:
        rnd = self.random
        services = tuple(rnd.random() < p for p in SERVICE_ODDS[operator])
        space = Makerspace(self, region, operator, seats, services, idle)
        space.refresh_learning(self.mentorship_paid)
        if operator != GOVERNMENT:
            self.ledger.transfer(
                WORLD, space.account, START_CAPITAL_MONTHS * space.fixed_cost, "operator_capital"
            )
        self.spaces_by_region[region].append(space)
        self.open_count[region] += 1
        self.count["makerspaces_opened"] += 1
        return space

    def close_space(self, space: Makerspace) -> None:
        """Evict the founders, hand back what is left to the owner, close the doors."""
        for v in list(space.occupants):
            self.leave_space(v)
            v.wants_space = True
            self.space_seekers[v.region].append(v)
        space.is_open = False
        self.ledger.close(space.account, "operator_withdrawal")
        self.spaces_by_region[space.region].remove(space)
        self.open_count[space.region] -= 1
        self.count["makerspaces_closed"] += 1
        space.remove()

    def open_spaces(self) -> list[Makerspace]:
        return [s for spaces in self.spaces_by_region for s in spaces]

    def refresh_spaces(self) -> None:
        for space in self.open_spaces():
            space.refresh_learning(self.mentorship_paid)

    # --- angels -------------------------------------------------------------
    def add_angel(self, region: int, capital: float, skill: float) -> AngelInvestor:
        angel = AngelInvestor(self, region, capital, skill)
        self.angels_by_region[region].append(angel)
        return angel

    def angel_leaves(self, angel: AngelInvestor) -> None:
        angel.active = False
        self.ledger.close(angel.account, "angel_capital_out")
        self.angels_by_region[angel.region].remove(angel)
        angel.remove()

    def enter_angels(self) -> None:
        """Wealthy individuals start investing when recent angel returns look good."""
        for region, n in enumerate(self.angel_entrants()):
            for _ in range(n):
                capital = 2_000_000.0 * self.random.lognormvariate(0.0, 0.6)
                self.add_angel(region, capital, self.random.uniform(0.2, 0.9))

    def expected_grant(self) -> float:
        """The graduate grant founders count on: announced amount x recent payout rate."""
        paid = self.grant_paid_share
        rate = sum(paid) / len(paid) if paid else 1.0
        return self.lever("graduate_grant") * rate
