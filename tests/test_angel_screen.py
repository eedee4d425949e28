"""The angels' round screens deals with the bound of ``expected_multiple`` priced
inline and what every angel reads of a seeker taken once a month. This runs
it against the plain round it replaced (every deal judged and priced in
full) and asks for the same economy, month by month: a change to one that
the other does not follow fails here."""

import itertools
import math

import pytest

from sim import draws
from sim.agents.entrepreneur import EXITED
from sim.markets import finance
from sim.model import StartupEcosystem


def plain_angel_round(model) -> None:
    """The round as written before the screen: each deal judged and priced in full."""
    ratio = model.lever("guidance_coinvest_ratio")
    credit = model.lever("angel_tax_credit")
    central = model.central_fund
    rnd = model.random
    k = model.k
    for r, seekers in enumerate(model.seekers):
        seekers[:] = dict.fromkeys(v for v in seekers if v.stage < EXITED)
        angels = model.angels_by_region[r]
        if not seekers or not angels:
            continue
        cum = list(itertools.accumulate(finance._visibility(model, v) for v in seekers))
        order = list(angels)
        draws.shuffle(rnd, order)
        for angel in order:
            if not angel.active or angel.capital < k.angel_min_cheque * angel.cheque:
                continue
            for venture in rnd.choices(seekers, cum_weights=cum, k=k.deals_seen):
                if venture.last_funded == model.month or venture.stage >= EXITED:
                    continue
                match = ratio if central.balance > ratio * angel.cheque else 0.0
                amount = min(angel.cheque, venture.needs() / (1.0 + match), angel.capital)
                seen = venture.quality * math.exp(angel.judgement_noise() * model.normal())
                if venture.failures:
                    seen *= model.record_discount**venture.failures
                bar = angel.required_multiple * (1.0 - credit)
                if finance.expected_multiple(model, venture, seen, amount, match, bar) >= bar:
                    finance._invest(model, angel, venture, amount, match, credit)
                    break


def _same(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(
        x == y or (isinstance(x, float) and math.isnan(x) and math.isnan(y))
        for x, y in ((a[key], b[key]) for key in a)
    )


@pytest.mark.parametrize(
    "levers",
    [
        {},
        {"guidance_coinvest_ratio": 1.0, "angel_tax_credit": 0.3, "failure_tolerance": 0.0},
    ],
)
def test_the_screen_funds_exactly_what_pricing_every_deal_funds(levers):
    screened = StartupEcosystem(rng=5, scale=0.3, collect=False, **levers)
    plain = StartupEcosystem(rng=5, scale=0.3, collect=False, **levers)
    screen = finance.angel_round
    deals = 0
    for month in range(30):
        screened.step()
        finance.angel_round = plain_angel_round
        try:
            plain.step()
        finally:
            finance.angel_round = screen
        deals += screened.outcomes["angel_deals"]
        assert _same(screened.outcomes, plain.outcomes), f"month {month + 1}"
    assert deals > 50  # the rounds were busy enough to tell them apart
