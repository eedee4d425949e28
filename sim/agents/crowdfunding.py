"""The equity-crowdfunding pilot platform.

Campaigns are all-or-nothing: a venture sets a target (its needs, capped by
the regulator), backers pledge over two months, and the campaign succeeds
only if pledges reach the target. Pledges depend on visibility (makerspaces
with media services, the platform's reach) and on early momentum: a campaign
that starts well draws the crowd, one that starts badly stalls.
"""

from __future__ import annotations

from dataclasses import dataclass

from mesa import Agent

from sim.ledger import WORLD
from sim.regions import BASE_REVENUE

DURATION = 2  # months a campaign runs
MOMENTUM_THRESHOLD = 0.3  # share of target in month one that draws the crowd
CROWD = 8_000.0  # yuan a typical campaign draws in its first month in a market of size 1


@dataclass
class Campaign:
    venture: object
    target: float
    pledged: float
    closes: int


class CrowdfundingPlatform(Agent):
    def __init__(self, model):
        super().__init__(model)
        self.account = model.ledger.open("platform")
        self.campaigns: list[Campaign] = []
        self.reach = 1.0  # grows with successful campaigns (visibility)

    def launch(self, venture, cap: float) -> Campaign:
        target = min(cap, venture.needs())
        opening = self._pledges(venture, target, first=True)
        campaign = Campaign(venture, target, opening, self.model.month + DURATION - 1)
        self.campaigns.append(campaign)
        return campaign

    def _pledges(self, venture, target: float, first: bool) -> float:
        m = self.model
        space = venture.space
        visibility = self.reach * (1.0 + (0.8 if space is not None and space.media else 0.0))
        # backers see quality dimly; a larger ask scares small backers
        appeal = venture.quality * (1.0 + venture.skill) * m.random.lognormvariate(0.0, 0.9)
        crowd = CROWD * m.region_now[venture.region].market_value / BASE_REVENUE
        return crowd * visibility * appeal * (1.0 if first else 0.8) * (target / 300_000.0) ** 0.25

    def step(self) -> None:
        """Close campaigns that end this month; pay out the successful ones."""
        m = self.model
        still = []
        for c in self.campaigns:
            if c.closes > m.month:
                still.append(c)
                continue
            v = c.venture
            if v.stage >= 3:  # exited or failed while the campaign ran
                m.count["crowdfunding_campaigns"] += 1
                continue
            later = self._pledges(v, c.target, first=False)
            if c.pledged >= MOMENTUM_THRESHOLD * c.target:
                later *= 2.5  # early momentum draws the crowd
            c.pledged += later
            m.count["crowdfunding_campaigns"] += 1
            if c.pledged >= c.target:
                self._pay_out(c)
        self.campaigns = still

    def _pay_out(self, c: Campaign) -> None:
        m = self.model
        ledger = m.ledger
        v = c.venture
        fee = c.target * m.lever("crowdfunding_fee")
        ledger.transfer(WORLD, self.account, c.target, "crowdfunding_pledges")
        ledger.transfer(self.account, v.account, c.target - fee, "crowdfunding_raised")
        v.sell_equity(WORLD, c.target, v.valuation())
        m.record_funding(v, "crowd", c.target - fee)
        m.count["crowdfunding_successes"] += 1
        self.reach = min(1.5, self.reach * 1.002)
