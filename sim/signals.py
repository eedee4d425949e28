"""What agents can see of the recent past.

Decisions in the model rest on observations, not on the truth: would-be
founders look at how ventures in their region fared over the last year,
would-be operators at occupancy figures published months ago, would-be
angels at returns over the last three years. Keeping the memory in one
place makes the lags explicit and testable.
"""

from __future__ import annotations

import math
from collections import deque

from sim.agents.makerspace import GOVERNMENT
from sim.population import Attraction
from sim.regions import REGIONS

MEMORY = 60  # months of regional history kept
FINANCE_WINDOW = 12
ANGEL_WINDOW = 36
ANGEL_POOL = 1_500  # wealthy individuals who could become angels, at scale 1
ANGEL_CONSIDER = 0.01
# Beliefs before a year of history exists (what the default economy shows in
# its first five years): funding odds scale with a region's share of angels.
FUNDED_PRIOR = 1.1
EXIT_PRIOR = 0.004


class Signals:
    """Mixed into :class:`sim.model.StartupEcosystem`."""

    def _init_signals(self) -> None:
        n = len(REGIONS)
        self.history: list[deque] = [deque(maxlen=MEMORY) for _ in range(n)]
        self.unmet = [0] * n
        self.month_funded = [0] * n
        self.month_seekers = [0] * n
        self.angel_marks: deque[int] = deque(maxlen=ANGEL_WINDOW + 1)

    def remember(self) -> None:
        """Close the month's books per region and start the next."""
        stats = self.outcomes["_regions"]
        for r in range(len(REGIONS)):
            used, seats, alive, exits = stats[r]
            self.history[r].append(
                (
                    used,
                    seats,
                    self.unmet[r],
                    self.month_funded[r],
                    len(self.seekers[r]),
                    exits,
                    alive,
                    self._rent_ratio(r),
                )
            )
            self.unmet[r] = 0
            self.month_funded[r] = 0
        self.angel_marks.append(len(self.angel_outcomes))

    def _rent_ratio(self, region: int) -> float:
        """Seat-weighted rent of non-government spaces, as a share of market rent."""
        spaces = [s for s in self.spaces_by_region[region] if s.operator != GOVERNMENT]
        seats = sum(s.seats for s in spaces)
        if not seats:
            return 0.7
        return sum(s.rent * s.seats for s in spaces) / seats / self.region_now[region].market_rent

    def observed_rent(self, region: int) -> float:
        """Rent per seat operators charged, as the statistics showed it, in today's prices."""
        past = self._past(region, self.lever("observation_lag"))
        ratio = 0.7 if past is None else past[7]
        return ratio * self.region_now[region].market_rent

    def _past(self, region: int, lag: int):
        h = self.history[region]
        if not h:
            return None
        return h[max(0, len(h) - 1 - lag)]

    def demand_signal(self, region: int) -> float:
        """Occupancy as the statistics showed it ``observation_lag`` months ago,
        counting founders turned away for lack of room as demand."""
        past = self._past(region, self.lever("observation_lag"))
        if past is None:
            return 0.5
        used, seats, unmet = past[0], past[1], past[2]
        return (used + 2.0 * unmet) / max(seats, 150.0)

    def funded_rate(self, region: int) -> float:
        """Share of ventures asking for money that got some, over the last year."""
        h = list(self.history[region])[-FINANCE_WINDOW:]
        asked = sum(x[4] for x in h)
        got = sum(x[3] for x in h)
        prior = FUNDED_PRIOR * REGIONS[region].investors
        observed = got / asked if asked else prior
        weight = min(1.0, len(h) / FINANCE_WINDOW)
        return weight * observed + (1.0 - weight) * prior

    def exit_rate(self, region: int) -> float:
        """Exits per living venture and month, over the last year."""
        h = list(self.history[region])[-FINANCE_WINDOW:]
        alive = sum(x[6] for x in h)
        observed = sum(x[5] for x in h) / alive if alive else EXIT_PRIOR
        weight = min(1.0, len(h) / FINANCE_WINDOW)
        return weight * observed + (1.0 - weight) * EXIT_PRIOR

    def attractions(self) -> list[Attraction]:
        out = []
        for r, spaces in enumerate(self.spaces_by_region):
            seats = sum(s.seats for s in spaces)
            free = sum(s.seats - s.used for s in spaces)
            market = self.region_now[r].market_rent
            discount = (
                sum((1.0 - s.rent / market) * (s.seats - s.used) for s in spaces) / free
                if free
                else 0.0
            )
            room = min(1.0, free / max(seats, 1) * math.sqrt(seats / 1000.0 / self.scale))
            out.append(Attraction(room * discount, self.funded_rate(r), self.exit_rate(r)))
        return out

    def angel_multiple(self) -> float:
        """Money returned per yuan invested on angel deals resolved in the last three years."""
        start = self.angel_marks[0] if self.angel_marks else 0
        recent = self.angel_outcomes[start:]
        invested = sum(x[0] for x in recent)
        return sum(x[1] for x in recent) / invested if invested else 1.0

    def angel_entrants(self) -> list[int]:
        """How many new angels start investing in each region this month."""
        multiple = min(self.angel_multiple(), 3.0)
        u = -3.0 + 1.0 * (multiple - 1.0) + 4.0 * self.lever("angel_tax_credit")
        u += 0.8 * self.lever("guidance_coinvest_ratio")
        p = 1.0 / (1.0 + math.exp(-u))
        pools = [
            max(0, int(ANGEL_POOL * self.scale * r.investors) - len(self.angels_by_region[i]))
            for i, r in enumerate(REGIONS)
        ]
        return [int(self.rng.binomial(self.rng.binomial(n, ANGEL_CONSIDER), p)) for n in pools]
