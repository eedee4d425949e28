"""The latent pool of would-be founders, and the choice to found.

Millions of graduates, researchers and employees could start a company; only
those who do become agents. Each month a share of the pool considers it
(more of them when the maker culture is promoted), and each compares, in
yuan over her planning horizon, founding with keeping her wage:

- what the venture would sell once its product is out, from the prices of
  her region's market (crowded by rivals), her own noisy reading of her idea
  and her skill, against its running costs;
- how long her savings, less the registration fee and plus any graduate
  grant, carry it (:func:`sim.prospects.runway`), and the chance that
  investors fill the gap when they run out (the share of the money seekers
  in her region asked for that they raised, over the last year);
- the chance of an exit and what her share of it would fetch (her region's
  recent exits, her institution's claim if she is a researcher);
- the months of wage given up, including those lost to registration, and
  the stigma a failure would bring, which failure tolerance lowers.

A candidate founds with probability logistic((value of founding + taste) /
(dispersion x wage)): a yuan of any policy counts like a yuan of sales.
Founders who fail or quit join a second pool and face the same choice again
with their skill and type, a failure on their record weighing on the
stigma. Money they lack is a constraint: nobody founds with savings below
the registration fee.
"""

from __future__ import annotations

import numpy as np

from sim import prospects
from sim.regions import FOUNDER_TYPES, REGIONS


def _logistic(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


class FounderPool:
    """Potential founders by region and type, and former founders by region."""

    def __init__(self, model):
        k = model.k
        talent = np.array([r.talent for r in REGIONS])
        shares = np.array([t.share for t in FOUNDER_TYPES])
        self.size = k.potential_founders * model.scale * np.outer(talent, shares)
        self.mu = np.array([t.quality_mu for t in FOUNDER_TYPES])
        self.savings = np.array([t.savings for t in FOUNDER_TYPES])
        self.wage_factor = np.array([t.wage_factor for t in FOUNDER_TYPES])
        self.skill = np.array([t.skill for t in FOUNDER_TYPES])
        self.hardware = np.array([t.hardware for t in FOUNDER_TYPES])
        self.is_graduate = np.array([t.name == "graduate" for t in FOUNDER_TYPES])
        self.is_researcher = np.array([t.name == "researcher" for t in FOUNDER_TYPES])
        # former founders: region, type, skill, failures on record (one array each)
        self.former = (
            np.empty(0, dtype=np.int64),
            np.empty(0, dtype=np.int64),
            np.empty(0),
            np.empty(0, dtype=np.int64),
        )
        self._joining: list[tuple[int, int, float, int]] = []
        n = len(REGIONS)
        self.cell_region, self.cell_type = np.divmod(
            np.arange(n * len(FOUNDER_TYPES)), len(FOUNDER_TYPES)
        )

    def add_former(self, region: int, ftype: int, skill: float, failures: int) -> None:
        self._joining.append((region, ftype, skill, failures))

    def draw_entrants(self, model) -> list[tuple]:
        """This month's new founders: (region, type, quality, skill, attempt, failures,
        savings), first-time founders first, then former founders who try again."""
        rng = model.rng
        k = model.k
        reach = 1.0 + k.promotion_reach * model.lever("entrepreneurship_promotion")
        rate = min(1.0, k.consider_rate * reach)
        considering = rng.binomial(np.maximum(self.size, 0).astype(np.int64).ravel(), rate)
        cells = np.repeat(np.arange(considering.size), considering)
        region, ftype = self.cell_region[cells], self.cell_type[cells]
        quality = rng.lognormal(self.mu[ftype], k.quality_dispersion)
        fresh = self._candidates(
            model, region, ftype, quality, self.skill[ftype], np.zeros(cells.size)
        )
        serial, former_again = self._former_candidates(model)
        # one valuation for both groups: value_of_founding draws nothing, so the
        # draws above come in the order they always did
        chosen = self._choose(model, fresh, serial)
        n_fresh = fresh[0].size
        picked, again = chosen[:n_fresh], chosen[n_fresh:]
        out = [
            (int(r), int(t), float(q), float(s), 1, 0, float(c))
            for r, t, q, s, c in zip(*(x[picked] for x in fresh[:5]), strict=True)
        ]
        if former_again is not None:
            out.extend(former_again(again))
        return out

    def _candidates(self, model, region, ftype, quality, skill, failures, serial=False):
        """A group of candidates with what they draw: their own reading of their idea,
        their savings and the uniform that decides (nothing for an empty group)."""
        rng = model.rng
        k = model.k
        n = region.size
        if n == 0:
            return region, ftype, quality, skill, np.zeros(0), failures, quality, np.zeros(0)
        seen = quality * np.exp(rng.normal(0.0, k.self_assessment_noise, n))
        luck = rng.lognormal(0.0, k.savings_dispersion, n)
        share = k.former_savings_share if serial else 1.0
        savings = self.savings[ftype] * model.cost_levels[region] * luck * share
        return region, ftype, quality, skill, savings, failures, seen, rng.random(n)

    def _former_candidates(self, model):
        """Former founders who consider trying again, and how to take the ones who
        do (with their type, skill and record) out of the pool of former founders."""
        rng = model.rng
        k = model.k
        if self._joining:
            r, t, s, f = (np.asarray(x) for x in zip(*self._joining, strict=True))
            self.former = tuple(
                np.concatenate((old, new.astype(old.dtype)))
                for old, new in zip(self.former, (r, t, s, f), strict=True)
            )
            self._joining = []
        region, ftype, skill, failures = self.former
        n = region.size
        if n == 0:
            empty = np.zeros(0, dtype=np.int64)
            return self._candidates(model, empty, empty, np.zeros(0), np.zeros(0), empty), None
        considering = rng.random(n) < k.former_consider_rate
        quality = rng.lognormal(self.mu[ftype[considering]], k.quality_dispersion)
        group = self._candidates(
            model,
            region[considering],
            ftype[considering],
            quality,
            skill[considering],
            failures[considering],
            serial=True,
        )
        leaving = rng.random(n) < k.former_leave_rate

        def take(chosen):
            picked = np.flatnonzero(considering)[chosen]
            again = np.zeros(n, dtype=bool)
            again[picked] = True
            out = [
                (int(r), int(t), float(q), float(s), 2, int(f), float(c))
                for r, t, q, s, f, c in zip(
                    region[picked],
                    ftype[picked],
                    quality[chosen],
                    skill[picked],
                    failures[picked],
                    group[4][chosen],
                    strict=True,
                )
            ]
            self.former = tuple(x[~again & ~leaving] for x in self.former)
            return out

        return group, take

    def _choose(self, model, *groups):
        """Which candidates found: the logit of the value of founding over the wage."""
        region, ftype, _, skill, savings, failures, seen, draw = (
            np.concatenate(parts) for parts in zip(*groups, strict=True)
        )
        if region.size == 0:
            return np.zeros(0, dtype=bool)
        k = model.k
        value, wage = self.value_of_founding(model, region, ftype, seen, skill, failures, savings)
        u = (value + k.founding_taste_months * wage) / (k.taste_dispersion_months * wage)
        # nobody founds with savings that do not cover the registration fee
        feasible = savings > model.lever("registration_cost")
        return feasible & (draw < _logistic(u))

    def value_of_founding(self, model, region, ftype, seen, skill, failures, savings):
        """Expected gain in yuan of founding over keeping the wage, over the horizon,
        and the candidate's wage."""
        k = model.k
        horizon = k.founder_horizon
        views = model.founders_views()
        now = model.region_now
        price = np.array([now[r].price for r in range(len(REGIONS))])[region]
        region_wage = np.array([now[r].wage for r in range(len(REGIONS))])[region]
        # investors mark down a founder with failures on her record, and she knows it
        funded = np.array([v.funded_share for v in views])[region]
        funded = funded * model.record_discount**failures
        exit_rate = np.array([v.exit_rate for v in views])[region]
        mean_revenue = np.array([v.mean_revenue for v in views])[region]
        exit_value = np.array([v.exit_value for v in views])[region]
        investors = np.array([v.investor_share for v in views])[region]
        wage = region_wage * self.wage_factor[ftype]
        hardware = self.hardware[ftype]

        fee = model.lever("registration_cost")
        delay = model.lever("registration_delay")
        grant = model.expected_grant() * self.is_graduate[ftype]
        cash = savings - fee + grant

        power = seen * (1.0 + skill)
        speed = k.idea_speed * np.where(hardware, model.hardware_speed, 1.0)
        until = delay + 1.0 / (speed * power)
        until = np.maximum(until, np.where(hardware, delay + model.patent_wait_months, 0.0))
        revenue = price * power
        running = k.tools_per_person + np.where(hardware, model.hardware_equipment, 0.0)
        before = k.idea_stipend_share * region_wage + running
        after = k.stipend_share * region_wage + running
        months_left = prospects.runway(
            cash, before, after, revenue, until, np.zeros_like(cash), k.ramp_months
        )
        short = months_left < horizon
        # if the cash runs out, investors fill the gap with the chance the region shows
        months = np.where(short, funded * horizon + (1.0 - funded) * months_left, horizon)
        failure = np.where(short, 1.0 - funded, 0.0)
        sales = prospects.revenue_sum(revenue, until, months, k.ramp_months)
        trading = np.maximum(months - until, 0.0)
        relative = np.where(mean_revenue > 0.0, revenue / np.maximum(mean_revenue, 1.0), 0.0)
        exit_odds = 1.0 - np.exp(-exit_rate * relative * trading)
        claim = k.institution_share * (1.0 - model.lever("rd_stock_options"))
        own = (1.0 - investors) * (1.0 - np.where(self.is_researcher[ftype], claim, 0.0))
        payoff = exit_odds * exit_value * relative * own
        stigma = k.stigma_months * wage * (1.0 - model.lever("failure_tolerance")) * (1 + failures)
        value = sales - running * months - wage * months - fee + grant + payoff - failure * stigma
        return value, wage
