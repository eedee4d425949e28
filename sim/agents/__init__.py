"""The five kinds of agent, one module each."""

from sim.agents.angel import AngelInvestor
from sim.agents.crowdfunding import CrowdfundingPlatform
from sim.agents.entrepreneur import Entrepreneur
from sim.agents.government import GovernmentFund
from sim.agents.makerspace import Makerspace

__all__ = ["AngelInvestor", "CrowdfundingPlatform", "Entrepreneur", "GovernmentFund", "Makerspace"]
