"""Angel investors: private money that screens ventures with a noisy eye.

An angel sees a few ventures a month (more of them when the ventures sit in
makerspaces with investment or media services), judges their quality with a
skill-dependent error, and writes a cheque when the judged return clears a
hurdle. Guidance-fund co-investment and the angel tax credit change that
judgement, not the rules. Money comes back when ventures exit and is
invested again; angels whose money is tied up or lost, and who see poor
returns, leave.
"""

from __future__ import annotations

from mesa import Agent

from sim.ledger import WORLD

HURDLE = 1.2  # judged quality x runway an angel wants before investing
IDLE_MONTHS_TO_LEAVE = 18


class AngelInvestor(Agent):
    def __init__(self, model, region: int, capital: float, skill: float):
        super().__init__(model)
        self.region = region
        self.skill = skill
        self.account = model.ledger.open("angel")
        model.ledger.transfer(WORLD, self.account, capital, "angel_capital_in")
        self.cheque = 0.15 * capital
        self.invested = 0.0
        self.returned = 0.0
        self.deals = 0
        self.last_deal = model.month
        self.active = True

    @property
    def capital(self) -> float:
        return self.model.ledger.balance[self.account]

    def judge(self, venture) -> float:
        """The angel's noisy reading of a venture's quality."""
        noise = 0.9 * (1.0 - self.skill) + 0.1
        return (
            venture.quality * (1.0 + venture.skill) * self.model.random.lognormvariate(0.0, noise)
        )

    def wants(self, venture, runway_boost: float, tax_credit: float) -> bool:
        """Invest when judged quality, helped by a longer runway, clears the hurdle net of tax."""
        judged = self.judge(venture) * runway_boost
        return judged / (1.0 - tax_credit) > HURDLE and self.capital >= 0.3 * self.cheque

    def step(self) -> None:
        """Leave the market when idle for long and short of money or returns."""
        m = self.model
        idle = m.month - self.last_deal
        poor = self.invested > 0 and self.returned < 0.5 * self.invested
        if (
            idle > IDLE_MONTHS_TO_LEAVE
            and (self.capital < self.cheque or poor)
            or m.random.random() < 0.003
        ):
            m.angel_leaves(self)
