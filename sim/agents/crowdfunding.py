"""The equity-crowdfunding pilot platform.

Campaigns are all-or-nothing: a venture sets a target (what it needs,
capped by the regulator), backers pledge over two months, and the campaign
succeeds only if pledges reach the target. Pledges depend on visibility
(makerspaces with media services, the platform's reach) and on early
momentum: a campaign that starts well draws the crowd, one that starts
badly stalls. Whether to launch at all is the founder's call
(:func:`sim.markets.finance.crowd_and_banks`), on the success rate the
platform has published and the fee it charges.
"""

from __future__ import annotations

from dataclasses import dataclass

from mesa import Agent

from sim.agents.entrepreneur import EXITED
from sim.ledger import WORLD
from sim.regions import BASE_REVENUE


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
        self.closed = 0  # campaigns closed since the model was built
        self.succeeded = 0

    def launch(self, venture, target: float) -> Campaign:
        k = self.model.k
        opening = self._pledges(venture, target, first=True)
        campaign = Campaign(venture, target, opening, self.model.month + k.campaign_months - 1)
        self.campaigns.append(campaign)
        return campaign

    def _pledges(self, venture, target: float, first: bool) -> float:
        m = self.model
        k = m.k
        space = venture.space
        media = k.media_visibility if space is not None and space.media else 0.0
        visibility = self.reach * (1.0 + media)
        # backers see quality dimly; a larger ask scares small backers
        appeal = (
            venture.quality * (1.0 + venture.skill) * m.random.lognormvariate(0.0, k.backer_noise)
        )
        crowd = k.crowd_size * m.region_now[venture.region].market_value / BASE_REVENUE
        later = 1.0 if first else k.second_month_pledges
        return (
            crowd * visibility * appeal * later * (target / k.reference_target) ** k.ask_elasticity
        )

    def step(self) -> None:
        """Close campaigns that end this month; pay out the successful ones."""
        m = self.model
        k = m.k
        still = []
        for c in self.campaigns:
            if c.closes > m.month:
                still.append(c)
                continue
            self.closed += 1
            m.count["crowdfunding_campaigns"] += 1
            v = c.venture
            if v.stage >= EXITED:  # ended while the campaign ran
                continue
            later = self._pledges(v, c.target, first=False)
            if c.pledged >= k.momentum_threshold * c.target:
                later *= k.momentum_boost  # early momentum draws the crowd
            c.pledged += later
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
        self.succeeded += 1
        self.reach = min(m.k.reach_cap, self.reach * (1.0 + m.k.reach_growth))
