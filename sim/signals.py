"""What agents can see of the past: the statistics of each region, month by month.

Decisions in the model rest on observations, not on the truth. Each month
every region's figures are written down once (:class:`Figures`): desks,
tenants, founders turned away, ventures alive and trading, sales, exits and
what they fetched, failures, money sought and raised, subsidy claimed and
paid, spaces opened and closed. Would-be operators read them as published
``observation_lag`` months ago (:meth:`Signals.published`), plus whatever
they hear of the spaces opened since; would-be founders read the last year
of their region (:meth:`Signals.founders_view`); would-be angels the
returns of the last three years. Keeping the memory in one place makes the
lags explicit and testable.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field, fields
from statistics import median

from sim.regions import REGIONS

MEMORY = 72  # months of regional history kept (the longest lag plus a year)
YEAR = 12
ANGEL_WINDOW = 36


@dataclass(slots=True)
class Figures:
    """One region's statistics for one month (flows are the month's, stocks its end)."""

    seats: int = 0
    occupied: int = 0
    tenants: int = 0
    tenured: int = 0  # tenants of a year's standing, in spaces the subsidy taper still pays
    paid_tenants: int = 0  # all tenants of those spaces
    unmet: int = 0  # desks wanted by founders who found no space with room
    housed_funded: int = 0  # housed ventures that raised outside equity
    claimed: float = 0.0  # subsidy claims
    paid: float = 0.0  # subsidy paid
    rent_ratio: float = 0.0  # seat-weighted private rent / market rent (0: no private space)
    seats_opened: int = 0
    seats_closed: int = 0
    matured: int = 0  # spaces reaching the age operators judge entrants at
    matured_ratio: float = 0.0  # sum over them of realised / planned occupancy
    alive: int = 0
    trading: int = 0
    revenue: float = 0.0  # sales of trading ventures
    exits: int = 0
    exit_value: float = 0.0
    exit_values: list[float] = field(default_factory=list)
    exit_investor_share: float = 0.0  # sum over exits of the share others held
    failures: int = 0
    quits: int = 0
    episodes: int = 0  # money-seeking episodes that ended
    coverage: float = 0.0  # sum over them of min(1, raised / asked)


FIELDS = tuple(f.name for f in fields(Figures))


@dataclass(frozen=True)
class Published:
    """What a would-be operator reads about a region's desks."""

    seats: float
    occupied: float
    unmet: float
    growth: float  # yearly growth of desks in use before the figures were taken
    seats_since: float  # seats opened minus closed since then that the operator heard of
    rent_ratio: float
    tenants_per_seat: float
    tenured_share: float  # of tenants in spaces still subsidised, those of a year's standing
    funded_per_tenant_month: float
    payout_ratio: float


@dataclass(frozen=True)
class FoundersView:
    """What a would-be founder knows of ventures like hers in her region, over a year."""

    funded_share: float  # of the money seekers asked for, the share they raised
    exit_rate: float  # exits per trading venture and month
    mean_revenue: float  # monthly sales of a trading venture
    exit_value: float  # what the median exit fetched (a founder cannot diversify)
    investor_share: float  # share of an exited venture held by others


class Signals:
    """Mixed into :class:`sim.model.StartupEcosystem`."""

    def _init_signals(self) -> None:
        n = len(REGIONS)
        self.history: list[deque[Figures]] = [deque(maxlen=MEMORY) for _ in range(n)]
        self.tally = [Figures() for _ in range(n)]
        self.entry_belief = [1.0] * n  # operators' correction learned from recent entrants
        self.angel_marks: deque[int] = deque(maxlen=ANGEL_WINDOW + 1)
        self.campaign_marks: deque[tuple[int, int]] = deque(maxlen=YEAR + 1)
        self.published_cache: dict[int, Published] = {}

    # --- writing the month down --------------------------------------------
    def remember(self, stocks) -> None:
        """Close the month's books per region and start the next."""
        k = self.k
        for r in range(len(REGIONS)):
            f = self.tally[r]
            (
                f.seats,
                f.occupied,
                f.tenants,
                f.tenured,
                f.paid_tenants,
                f.rent_ratio,
                f.alive,
                f.trading,
                f.revenue,
            ) = stocks[r]
            f.claimed, f.paid = self.subsidy_claimed[r], self.subsidy_paid[r]
            for space in self.spaces_by_region[r]:
                if self.month - space.opened == k.entrant_maturity and space.planned_occupancy > 0:
                    f.matured += 1
                    f.matured_ratio += space.occupancy() / space.planned_occupancy
            self.history[r].append(f)
            self.tally[r] = Figures()
            self.subsidy_claimed[r] = self.subsidy_paid[r] = 0.0
            self._learn_from_entrants(r)
        self.angel_marks.append(len(self.angel_outcomes))
        self.campaign_marks.append((self.platform.closed, self.platform.succeeded))

    def _learn_from_entrants(self, region: int) -> None:
        """Operators correct their forecasts by how the spaces that opened a year ago
        have fared against their plans (adaptive expectations), as published."""
        past = self._past(region, self.lever("observation_lag"))
        if past is None or past.matured == 0:
            return
        ratio = past.matured_ratio / past.matured
        belief = self.entry_belief[region] * ratio**self.k.entrant_learning
        self.entry_belief[region] = min(2.0, max(0.2, belief))

    # --- reading it back ------------------------------------------------------
    def _past(self, region: int, lag: int) -> Figures | None:
        h = self.history[region]
        if not h:
            return None
        return h[max(0, len(h) - 1 - lag)]

    def published(self, region: int) -> Published:
        """The desk figures of ``observation_lag`` months ago, and what has been heard since
        (read once a month per region: many decisions consult it)."""
        cached = self.published_cache.get(region)
        if cached is None:
            cached = self.published_cache[region] = self._publish(region)
        return cached

    def _publish(self, region: int) -> Published:
        lag = self.lever("observation_lag")
        h = self.history[region]
        if not h:
            return Published(0.0, 0.0, 0.0, 0.0, 0.0, self.k.opening_rent_share,
                             0.8, 0.0, 0.0, 1.0)  # fmt: skip
        at = max(0, len(h) - 1 - lag)
        past = h[at]
        since = sum(x.seats_opened - x.seats_closed for x in list(h)[at + 1 :])
        year_before = h[max(0, at - YEAR)]
        growth = past.occupied / year_before.occupied - 1.0 if year_before.occupied else 0.0
        window = [h[i] for i in range(max(0, at - YEAR + 1), at + 1)]
        tenants = sum(x.tenants for x in window)
        paid = sum(x.paid_tenants for x in window)
        occupied = sum(x.occupied for x in window)
        claimed = sum(x.claimed for x in window)
        return Published(
            seats=past.seats,
            occupied=past.occupied,
            unmet=past.unmet,
            growth=growth,
            seats_since=self.k.pipeline_visibility * since,
            rent_ratio=past.rent_ratio or self.k.opening_rent_share,
            tenants_per_seat=tenants / occupied if occupied else 0.8,
            tenured_share=sum(x.tenured for x in window) / paid if paid else 0.0,
            funded_per_tenant_month=sum(x.housed_funded for x in window) / tenants
            if tenants
            else 0.0,
            payout_ratio=sum(x.paid for x in window) / claimed if claimed else 1.0,
        )

    def founders_views(self) -> list[FoundersView]:
        """Every region's :meth:`founders_view`, read once a month."""
        views = self.published_cache.get("founders")
        if views is None:
            views = self.published_cache["founders"] = [
                self._founders_view(r) for r in range(len(REGIONS))
            ]
        return views

    def founders_view(self, region: int) -> FoundersView:
        """The last year of the region's ventures, as its would-be founders see it."""
        return self.founders_views()[region]

    def _founders_view(self, region: int) -> FoundersView:
        h = list(self.history[region])[-YEAR:]
        trading = sum(x.trading for x in h)
        exits = sum(x.exits for x in h)
        episodes = sum(x.episodes for x in h)
        return FoundersView(
            funded_share=sum(x.coverage for x in h) / episodes if episodes else 0.0,
            exit_rate=exits / trading if trading else 0.0,
            mean_revenue=sum(x.revenue for x in h) / trading if trading else 0.0,
            exit_value=median(v for x in h for v in x.exit_values) if exits else 0.0,
            investor_share=sum(x.exit_investor_share for x in h) / exits if exits else 0.0,
        )

    def crowd_success_rate(self) -> float:
        """Share of the campaigns closed in the last year that reached their target, as
        founders read it: blended with what they believed before, which counts for
        ``crowd_prior_weight`` campaigns (a few campaigns do not overturn a belief)."""
        k = self.k
        closed = won = 0
        if self.campaign_marks:
            closed0, won0 = self.campaign_marks[0]
            closed = self.platform.closed - closed0
            won = self.platform.succeeded - won0
        prior = k.crowd_prior_weight * self.scale
        return (won + prior * k.crowd_prior_success) / (closed + prior) if closed + prior else 0.0

    def angel_multiple(self) -> float:
        """Money returned per yuan an angel put in after tax credits, on the deals
        resolved in the last three years."""
        start = self.angel_marks[0] if self.angel_marks else 0
        recent = self.angel_outcomes[start:]
        cost = sum(x[0] - x[2] for x in recent)
        return sum(x[1] for x in recent) / cost if cost > 0 else 1.0
