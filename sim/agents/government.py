"""Public funds: the central fund and one local fund per region.

A fund receives its budget from the treasury each January and returns what
is left unspent, so every programme stops when the year's money is gone and
every yuan is accounted for. The central fund pays founder grants, prizes,
mentoring and guidance-fund co-investment; local funds pay makerspace
subsidies, build government-led spaces and cover their losses.
"""

from __future__ import annotations

from collections import defaultdict

from mesa import Agent

from sim.agents.makerspace import GOVERNMENT
from sim.ledger import WORLD


class GovernmentFund(Agent):
    """A public purse with a yearly budget and programme accounts."""

    def __init__(self, model, level: str, region: int | None, share: float):
        super().__init__(model)
        self.level = level  # "central" or "local"
        self.region = region
        self.share = share  # of the level's national budget
        self.account = model.ledger.open(f"{level}_fund")
        self.spent: defaultdict[str, float] = defaultdict(float)
        self.returns = 0.0  # co-investment money recycled from exits
        self.reserve = 0.0  # money held back for commitments to the end of the year

    @property
    def balance(self) -> float:
        return self.model.ledger.balance[self.account]

    def new_year(self, budget: float) -> None:
        """Return last year's unspent money and receive this year's budget."""
        ledger = self.model.ledger
        ledger.sweep(self.account, "budget_returned")
        ledger.transfer(WORLD, self.account, budget * self.share, "budget_allocated")

    def spend(self, dst: int, amount: float, programme: str) -> float:
        """Pay up to ``amount`` for a programme; return what the budget allowed."""
        paid = self.model.ledger.pay_up_to(self.account, dst, amount, programme)
        self.spent[programme] += paid
        self.model.month_public[programme] += paid
        return paid

    def months_left(self) -> int:
        """Months of the budget year still to pay for, this one included."""
        return 13 - self.model.calendar_month

    def plan(self, spaces) -> None:
        """Hold back what the government-led spaces will need until December:
        their costs beyond the rent they collect, as if this month repeated."""
        gap = 0.0
        for s in spaces:
            if s.operator == GOVERNMENT and s.accredited:
                gap += max(0.0, s.monthly_cost() - s.rent * s.used)
        self.reserve = gap * self.months_left()

    def allowance(self) -> float:
        """What discretionary programmes may spend this month: the free budget spread
        evenly over the rest of the year, so a programme lasts the year."""
        return max(0.0, self.balance - self.reserve) / self.months_left()

    def support_space(self, space, gap: float) -> float:
        """Cover a government-led space's shortfall from the local budget."""
        paid = self.spend(space.account, gap, "space_budget_support")
        space.collect(paid)
        return paid

    def step(self) -> None:
        """Funds act through programmes the model calls; nothing happens on their own."""
