"""Births, deaths and moves: founders enter, fail, quit and exit; spaces open and
close; founders take and leave desks; angels come and go.

These are the only places agents are created or removed, so the books
(ledger, cohort log, counts per region, the record of every space) are kept
in one place. An agent that leaves hands on what it holds first: a venture
that ends pays its cash out to its shareholders, an angel that leaves sells
its stakes, so no money is ever owed to a closed account.
"""

from __future__ import annotations

import pandas as pd

from sim.agents.angel import AngelInvestor
from sim.agents.entrepreneur import EXITED, FAILED, INSTITUTION, QUIT, SEED, Entrepreneur
from sim.agents.makerspace import GOVERNMENT, Makerspace
from sim.ledger import WORLD
from sim.markets import finance, subsidy, tenancy
from sim.regions import FOUNDER_TYPES, OPERATOR_TYPES, REGIONS

# services each operator type tends to offer (probabilities, in SERVICES order)
SERVICE_ODDS = (
    (0.5, 0.5, 0.4, 0.5, 0.3),  # private
    (0.2, 0.8, 0.2, 0.4, 0.5),  # university
    (0.6, 0.5, 0.3, 0.5, 0.4),  # corporate
    (0.2, 0.4, 0.2, 0.3, 0.2),  # government-led
)
EQUITY_SOURCES = ("angel", "guidance", "crowd")  # rounds that buy a share of the venture


class Lifecycle:
    """Mixed into :class:`sim.model.StartupEcosystem`."""

    # --- founders -----------------------------------------------------------
    def ventures(self) -> list[Entrepreneur]:
        agents = self.agents_by_type.get(Entrepreneur)
        return list(agents) if agents is not None else []

    def enter_founders(self) -> None:
        """Draw this month's founders from the pool and give each a venture."""
        for region, ftype, quality, skill, attempt, failures, savings in self.pool.draw_entrants(
            self
        ):
            self.new_venture(
                region, ftype, quality, skill, attempt, savings, failures, founding=True
            )

    def new_venture(
        self,
        region: int,
        ftype: int,
        quality: float,
        skill: float,
        attempt: int = 1,
        cash: float = 0.0,
        failures: int = 0,
        founding: bool = False,
    ) -> Entrepreneur:
        """A venture with ``cash`` of its founder's savings; ``founding`` when it is
        registered now (fee, delay, grant), not one the run starts with."""
        v = Entrepreneur(self, region, ftype, quality, skill, attempt, failures)
        k = self.k
        self.ledger.transfer(WORLD, v.account, cash, "founder_savings")
        if founding:
            self.ledger.pay_up_to(
                v.account, WORLD, self.lever("registration_cost"), "registration_fee"
            )
            v.trading_from = self.month + round(self.lever("registration_delay"))
            finance.graduate_grant(self, v)
            self.count["founders_entered"] += 1
            if FOUNDER_TYPES[ftype].name == "researcher":
                self.count["researchers_entered"] += 1
            if attempt > 1:
                self.count["founders_reentered"] += 1
                if failures:
                    self.count["failed_founders_reentered"] += 1
        if FOUNDER_TYPES[ftype].name == "researcher":
            claim = k.institution_share * (1.0 - self.lever("rd_stock_options"))
            v.grant_claim(INSTITUTION, claim)
        v.log_index = len(self.cohort_log)
        self.cohort_log.append([v.cohort, -1, 0])
        self.space_seekers[region].append(v)
        return v

    def seek_money(self, v: Entrepreneur) -> None:
        """The venture asks for money this month (an episode lasts a few months)."""
        self.seekers[v.region].append(v)
        if v not in self.episodes:
            self.episodes[v] = [v.needs(), 0.0, self.month]

    def record_funding(
        self, v: Entrepreneur, source: str, amount: float, seed: bool | None = None
    ) -> None:
        v.note_funding(self.month, source, amount)
        v.last_funded = self.month
        if source in ("angel", "crowd") and (v.stage <= SEED if seed is None else seed):
            self.count["seed_funded"] += 1
        episode = self.episodes.get(v) if source != "prize" else None
        if episode is not None:
            episode[1] += amount
        if source in EQUITY_SOURCES:
            if v.space is not None and v.unique_id not in self.housed_funded:
                self.housed_funded.add(v.unique_id)
                self.tally[v.region].housed_funded += 1
            subsidy.reward_funding(self, v)

    def close_episodes(self) -> None:
        """Money-seeking episodes that have run their course feed the funding signal."""
        due = self.month - self.k.episode_months
        # a venture that ends ends its episode at once (_end_venture), so every
        # venture here still lives: reading its stage would only touch its memory
        ended = [
            v
            for v, (asked, raised, since) in self.episodes.items()
            if since <= due or raised >= asked
        ]
        for v in ended:
            self._end_episode(v)

    def _end_episode(self, v: Entrepreneur) -> None:
        asked, raised, _ = self.episodes.pop(v)
        t = self.tally[v.region]
        t.episodes += 1
        t.coverage += min(1.0, raised / asked) if asked > 0 else 1.0

    def fail(self, v: Entrepreneur) -> None:
        """The money is gone: the venture closes and the founder may try again later."""
        self._end_venture(v, FAILED)
        self.pool.add_former(v.region, v.ftype, v.skill, v.failures + 1)
        self.count["startups_failed"] += 1
        self.tally[v.region].failures += 1

    def quit(self, v: Entrepreneur) -> None:
        """The founder takes a job: the venture winds up, with no failure on her record."""
        self._end_venture(v, QUIT)
        self.pool.add_former(v.region, v.ftype, v.skill, v.failures)
        self.count["startups_quit"] += 1
        self.tally[v.region].quits += 1

    def sell(self, v: Entrepreneur) -> None:
        """A buyer found the venture: it pays years of sales, times a heavy tail."""
        tail = self.rng.pareto(self.lever("exit_tail"))
        self.exit(v, 12.0 * v.revenue * self.k.exit_multiple * (1.0 + tail))

    def try_listing(self, v: Entrepreneur, hazard: float) -> bool:
        """A listing may be open to a grown venture; its founder takes it when it beats
        waiting ``founder_horizon`` months for a buyer (at the buyer's median price)."""
        k = self.k
        mark = self.region_now[v.region].growth_mark
        if v.revenue < k.listing_threshold * mark:
            return False
        if self.rand() >= self.lever("regional_equity_market") * k.listing_rate:
            return False
        listing = 12.0 * v.revenue * k.listing_multiple
        odds = 1.0 - (1.0 - hazard) ** k.founder_horizon
        alpha = self.lever("exit_tail")
        waiting = 12.0 * v.revenue * k.exit_multiple * (2.0 ** (1.0 / alpha)) * odds
        if listing < waiting:
            return False
        self.count["listings"] += 1
        self.exit(v, listing)
        return True

    def exit(self, v: Entrepreneur, value: float) -> None:
        """A buyer or a listing pays for the venture; shareholders are paid their stakes."""
        t = self.tally[v.region]
        t.exits += 1
        t.exit_value += value
        t.exit_values.append(value)
        t.exit_investor_share += 1.0 - v.founder_share
        self.cumulative["jobs_in_exited"] += 1 + v.staff
        self.count["startups_exited"] += 1
        self._end_venture(v, EXITED, value)

    def _end_venture(self, v: Entrepreneur, kind: int, value: float = 0.0) -> None:
        """Close the books of a venture: the sale (or what cash is left) goes to its
        shareholders by their stakes, the founder's part and the crowd's to the world."""
        v.stage = kind
        if v in self.episodes:
            self._end_episode(v)
        if v.space is not None:
            self.leave_space(v)
        row = self.cohort_log[v.log_index]
        row[1], row[2] = self.month, kind
        ledger = self.ledger
        if value <= 0.0:  # a wind-up: what is left in the account is shared out
            value = ledger.balance[v.account]
            source = v.account
        else:
            source = WORLD
        paid_to = {}
        for holder, share in v.equity.items():
            if holder > WORLD and share > 0.0:
                amount = value * share
                ledger.transfer(source, holder, amount, "exit_proceeds")
                paid_to[holder] = amount
        if kind == EXITED and v.coinvested:
            self._buy_back(v, paid_to)
        by_angel: dict = {}
        for angel, invested, _ in v.angel_stakes:
            by_angel[angel] = by_angel.get(angel, 0.0) + invested
        for angel, invested, credit in v.angel_stakes:
            payout = paid_to.get(angel.account, 0.0) * invested / by_angel[angel]
            self.angel_outcomes.append((invested, payout, credit))
            angel.returned += payout
            angel.portfolio.pop(v, None)
        ledger.close(v.account, "acquired_cash" if kind == EXITED else "wind_up")
        v.remove()

    def _buy_back(self, v: Entrepreneur, paid_to: dict) -> None:
        """Angels who invested beside the guidance fund buy its stake at cost when the
        venture is sold (the share of the gain ``guidance_buyback_share`` allows)."""
        fund = self.central_fund.account
        proceeds = paid_to.get(fund, 0.0)
        total = sum(amount for _, amount, _ in v.coinvested)
        ceded = self.k.guidance_buyback_share
        for angel, amount, _ in v.coinvested:
            if not angel.active or v not in angel.portfolio:
                continue  # it sold its stake when it left
            gain = ceded * (proceeds * amount / total - amount)
            if gain > 0.0:
                self.ledger.transfer(fund, angel.account, gain, "guidance_buyback")
                paid_to[angel.account] = paid_to.get(angel.account, 0.0) + gain

    # --- desks --------------------------------------------------------------
    def join_space(self, v: Entrepreneur, space: Makerspace, free: bool = False) -> None:
        v.space = space
        v.free_place = free
        space.occupants[v] = self.month
        space.used += v.seats_used
        if free:
            space.free_places_used += v.seats_used

    def leave_space(self, v: Entrepreneur) -> None:
        space = v.space
        if space is None:
            return
        del space.occupants[v]
        space.departures += 1
        space.used -= v.seats_used
        if v.free_place:
            space.free_places_used -= v.seats_used
        v.space = None
        v.free_place = False

    # --- spaces -------------------------------------------------------------
    def open_space(
        self, region: int, operator: int, seats: int, idle: bool, planned: float = 0.0
    ) -> Makerspace:
        rnd = self.random
        k = self.k
        services = tuple(rnd.random() < p for p in SERVICE_ODDS[operator])
        lease = rnd.randint(k.lease_months_min, k.lease_months_max)
        space = Makerspace(self, region, operator, seats, services, idle, lease, planned)
        space.refresh_learning(self.mentorship_paid)
        if operator != GOVERNMENT:
            # the owner funds the fit-out, the losses it plans while the space fills, and
            # a cushion of its own size
            fitout = k.fitout_per_seat * self.region_now[region].cost * seats
            filling = k.ramp_up_months * max(0.0, -tenancy.margin(self, space, planned / 2.0, True))
            buffer = k.operator_capital_months * rnd.lognormvariate(0.0, k.operator_capital_spread)
            self.ledger.transfer(
                WORLD,
                space.account,
                fitout + filling + buffer * space.fixed_cost,
                "operator_capital",
            )
            self.ledger.transfer(space.account, WORLD, fitout, "space_fitout")
        self.spaces_by_region[region].append(space)
        self.open_count[region] += 1
        self.count["makerspaces_opened"] += 1
        self.tally[region].seats_opened += seats
        return space

    def close_space(self, space: Makerspace, because: str) -> None:
        """Evict the founders, hand back what is left to the owner, close the doors."""
        for v in list(space.occupants):
            self.leave_space(v)
            v.wants_space = True
            self.space_seekers[v.region].append(v)
        space.is_open = False
        space.closed = self.month
        space.closed_because = because
        self.space_log.append(_record(space))
        self.ledger.close(space.account, "operator_withdrawal")
        self.spaces_by_region[space.region].remove(space)
        self.open_count[space.region] -= 1
        self.count["makerspaces_closed"] += 1
        self.tally[space.region].seats_closed += space.seats
        space.remove()

    def open_spaces(self) -> list[Makerspace]:
        return [s for spaces in self.spaces_by_region for s in spaces]

    def refresh_spaces(self) -> None:
        review = self.calendar_month % 3 == 1
        for space in self.open_spaces():
            if review:
                self.review_space(space)
            space.refresh_learning(self.mentorship_paid)

    def space_records(self) -> pd.DataFrame:
        """One row per makerspace that ever existed in the run (those of the spin-up
        included, opened before month 1): operator, region, seats, idle building,
        opened and closed (model months; NaN while open) and why it closed."""
        rows = self.space_log + [_record(s) for s in self.open_spaces()]
        frame = pd.DataFrame(
            rows,
            columns=["operator", "region", "seats", "idle_building", "opened", "closed",
                     "closed_because"],
        )  # fmt: skip
        frame["closed"] = frame["closed"].astype(float)
        return frame

    # --- angels -------------------------------------------------------------
    def add_angel(self, region: int, capital: float, skill: float) -> AngelInvestor:
        angel = AngelInvestor(self, region, capital, skill)
        self.angels_by_region[region].append(angel)
        return angel

    def angel_leaves(self, angel: AngelInvestor) -> None:
        """An angel stops investing: it sells its stakes to buyers outside the model
        at a discount on their valuation, and takes its money with it."""
        ledger = self.ledger
        for v, invested in list(angel.portfolio.items()):
            share = v.hand_on(angel.account, WORLD)
            price = share * v.valuation() * (1.0 - self.k.secondary_discount)
            credit = sum(c for a, _, c in v.angel_stakes if a is angel)
            if price > 0.0:
                ledger.transfer(WORLD, angel.account, price, "stake_sold")
            self.angel_outcomes.append((invested, price, credit))
            v.angel_stakes = [s for s in v.angel_stakes if s[0] is not angel]
        angel.portfolio.clear()
        angel.active = False
        ledger.close(angel.account, "angel_capital_out")
        self.angels_by_region[angel.region].remove(angel)
        angel.remove()

    def enter_angels(self) -> None:
        """Wealthy individuals start investing when recent angel returns look good."""
        k = self.k
        for region, n in enumerate(finance.angel_entrants(self)):
            for _ in range(n):
                capital = k.angel_capital * self.random.lognormvariate(0.0, k.angel_capital_spread)
                self.add_angel(region, capital, self.random.uniform(0.2, 0.9))

    def expected_grant(self) -> float:
        """The graduate grant founders count on: announced amount x recent payout rate."""
        paid = self.grant_paid_share
        rate = sum(paid) / len(paid) if paid else 1.0
        return self.lever("graduate_grant") * rate


def _record(space: Makerspace) -> tuple:
    return (
        OPERATOR_TYPES[space.operator],
        REGIONS[space.region].name,
        space.seats,
        space.idle_building,
        space.opened,
        space.closed,
        space.closed_because or None,
    )
