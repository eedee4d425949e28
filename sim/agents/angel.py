"""Angel investors: private money that screens ventures with a noisy eye.

An angel sees a few ventures a month (more of them when the ventures sit in
makerspaces with investment or media services), judges their quality with a
skill-dependent error, and writes a cheque when the multiple it expects on
that judgement clears the return it requires (:mod:`sim.markets.finance`).
Money comes back when ventures are sold and is invested again; angels whose
money is tied up or lost, and who see poor returns, leave, selling what
they still hold.
"""

from __future__ import annotations

from mesa import Agent

from sim.ledger import WORLD


class AngelInvestor(Agent):
    def __init__(self, model, region: int, capital: float, skill: float):
        super().__init__(model)
        k = model.k
        self.region = region
        self.skill = skill
        self.account = model.ledger.open("angel")
        model.ledger.transfer(WORLD, self.account, capital, "angel_capital_in")
        self.cheque = k.cheque_share * capital
        self.required_multiple = k.angel_required_multiple
        self.invested = 0.0
        self.returned = 0.0
        self.deals = 0
        self.last_deal = model.month
        self.active = True
        self.portfolio: dict = {}  # venture -> yuan invested in it, while it lives

    @property
    def capital(self) -> float:
        return self.model.ledger.balance[self.account]

    def judgement_noise(self) -> float:
        """The spread of the angel's log reading of a venture's quality: the more
        skilled the angel, the nearer the floor no investor reads below. The
        angels' round (:func:`sim.markets.finance.angel_round`) reads a deal's
        quality as ``quality * exp(noise * z)``, marked down for each failure on
        the founder's record as far as the culture does not tolerate failure."""
        k = self.model.k
        return k.angel_judgement_noise * (1.0 - self.skill) + k.angel_judgement_floor

    def step(self) -> None:
        """Leave the market when idle for long and short of money or returns."""
        m = self.model
        k = m.k
        idle = m.month - self.last_deal
        poor = self.invested > 0 and self.returned < k.angel_poor_return * self.invested
        if (
            idle > k.angel_idle_months
            and (self.capital < self.cheque or poor)
            or m.random.random() < k.angel_retire_rate
        ):
            m.angel_leaves(self)
