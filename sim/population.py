"""The latent pool of would-be founders, and the choice to found.

Millions of graduates, researchers and employees could start a company; only
those who do become agents. Each month a share of the pool considers it and
each of them compares founding with keeping a wage in a binary logit: the
value they expect (their own quality, what recent ventures in their region
achieved, what makerspaces, grants and investors offer) against what it
costs (registration fee and delay, the stigma of failing). Founders who have
failed join a second pool and face the same choice again, with the stigma
counting double; how often they return is what failure tolerance changes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.regions import FOUNDER_TYPES, REGIONS

POOL_SIZE = 50_000  # potential founders at scale 1 (nation at 1:100, see ODD)
CONSIDER_RATE = 0.01  # share of the pool that weighs founding each month
QUALITY_SIGMA = 0.7
SIGNAL_SIGMA = 0.4

# Logit weights (ODD, submodel "entry decision"); utilities in units of the
# candidate's monthly wage where money is involved.
BASE = -2.0
W_QUALITY = 1.0
W_COST = 0.35
W_GRANT = 0.35
W_SPACE = 1.2
W_FINANCE = 2.0
W_CROWD = 0.25
W_EXITS = 15.0
W_PROMOTION = 0.6
W_OPTIONS = 2.0
W_STIGMA = 1.5
SERIAL_BASE = -3.0
SERIAL_QUIT = 0.03  # failed founders who take a job for good, per month


@dataclass
class Attraction:
    """What the would-be founders of one region see this month."""

    space: float = 0.0  # cheap free desks in makerspaces
    finance: float = 0.0  # share of ventures seeking money that found it (lagged)
    exits: float = 0.0  # exits per living venture per month (lagged)


def _logistic(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


class FounderPool:
    """Potential founders by region and type, and failed founders by region."""

    def __init__(self, scale: float):
        talent = np.array([r.talent for r in REGIONS])
        shares = np.array([t.share for t in FOUNDER_TYPES])
        self.size = POOL_SIZE * scale * np.outer(talent, shares)
        self.serial_skill: list[np.ndarray] = [np.empty(0) for _ in REGIONS]
        self._failed_this_month: list[list[float]] = [[] for _ in REGIONS]
        self.mu = np.array([t.quality_mu for t in FOUNDER_TYPES])
        self.wage_factor = np.array([t.wage_factor for t in FOUNDER_TYPES])
        self.is_graduate = np.array([t.name == "graduate" for t in FOUNDER_TYPES])
        self.is_researcher = np.array([t.name == "researcher" for t in FOUNDER_TYPES])

    def add_failed(self, region: int, skill: float) -> None:
        self._failed_this_month[region].append(skill)

    def utility_shift(self, model, region: int, attraction: Attraction) -> np.ndarray:
        """Utility of founding, by founder type, before the candidate's own quality."""
        wage = model.region_now[region].wage * self.wage_factor
        burden = (
            model.lever("registration_cost") + 0.5 * model.lever("registration_delay") * wage
        ) / wage
        grant = model.expected_grant() / wage * self.is_graduate
        crowd = W_CROWD if model.lever("crowdfunding_enabled") else 0.0
        return (
            BASE
            - W_COST * burden
            + W_GRANT * grant
            + W_SPACE * attraction.space
            + W_FINANCE * attraction.finance
            + W_EXITS * attraction.exits
            + crowd
            + W_PROMOTION * model.lever("entrepreneurship_promotion")
            + W_OPTIONS * model.lever("rd_stock_options") * self.is_researcher
            - W_STIGMA * (1.0 - model.lever("failure_tolerance"))
        )

    def draw_entrants(self, model, attractions: list[Attraction]) -> list[tuple]:
        """This month's new founders: (region, type, quality, skill, attempt)."""
        rng = model.rng
        out: list[tuple] = []
        considering = rng.binomial(np.maximum(self.size, 0).astype(np.int64), CONSIDER_RATE)
        for r in range(len(REGIONS)):
            shift = self.utility_shift(model, r, attractions[r])
            for t, n in enumerate(considering[r]):
                if n == 0:
                    continue
                quality = rng.lognormal(self.mu[t], QUALITY_SIGMA, n)
                signal = np.log(quality) + rng.normal(0.0, SIGNAL_SIGMA, n)
                chosen = rng.random(n) < _logistic(shift[t] + W_QUALITY * signal)
                skill = FOUNDER_TYPES[t].skill
                out.extend((r, t, float(q), skill, 1) for q in quality[chosen])
            out.extend(self._serial_entrants(model, r, shift, attractions[r]))
        return out

    def _serial_entrants(self, model, region: int, shift: np.ndarray, attraction: Attraction):
        """Failed founders who try again; stigma weighs on them twice."""
        if self._failed_this_month[region]:
            fresh = np.asarray(self._failed_this_month[region])
            self.serial_skill[region] = np.concatenate((self.serial_skill[region], fresh))
            self._failed_this_month[region] = []
        skills = self.serial_skill[region]
        if skills.size == 0:
            return []
        rng = model.rng
        tolerance = model.lever("failure_tolerance")
        u = float(np.mean(shift)) - BASE + SERIAL_BASE - W_STIGMA * (1.0 - tolerance) + 2.0 * skills
        draw = rng.random(skills.size)
        again = draw < _logistic(u)
        quit_ = ~again & (rng.random(skills.size) < SERIAL_QUIT)
        self.serial_skill[region] = skills[~again & ~quit_]
        types = rng.choice(len(FOUNDER_TYPES), size=int(again.sum()), p=self._type_shares())
        quality = rng.lognormal(self.mu[types], QUALITY_SIGMA)
        return [
            (region, int(t), float(q), float(s), 2)
            for t, q, s in zip(types, quality, skills[again], strict=True)
        ]

    def _type_shares(self) -> np.ndarray:
        shares = np.array([t.share for t in FOUNDER_TYPES])
        return shares / shares.sum()
