"""Regions and founder types of the default economy.

The documents name "regional imbalance in innovation and entrepreneurship
development" as a problem, so regions differ in the things that drive it:
talent, investors, market size, costs, and how eagerly the local government
builds makerspaces. Founder types are the "four new groups" of the MOST
statement (post-'90 graduates, executives-turned-founders, scientists,
returnees) plus the grassroots founders of the Premier's speech.

Numbers are the default economy: China at 1:100 (see docs/ODD.md, input data).
"""

from __future__ import annotations

from dataclasses import dataclass

BASE_REVENUE = 3_000.0  # monthly sales of a quality-1, unskilled solo venture in a market of size 1


@dataclass(frozen=True)
class Region:
    name: str
    talent: float  # share of the nation's potential founders
    investors: float  # share of the nation's angels
    market: float  # revenue a venture of given quality earns, relative to the hub
    cost: float  # rent and wages relative to the hub
    zeal: float  # share of local makerspace budgets and construction targets
    incubators: int  # incubators open at the start (scale 1)


@dataclass(frozen=True)
class FounderType:
    name: str
    share: float  # share of potential founders
    quality_mu: float  # log-mean of venture quality
    savings: float  # yuan a founder brings (hub prices)
    wage_factor: float  # outside wage relative to the regional wage
    skill: float  # starting business skill, 0..1
    hardware: bool  # needs equipment: benefits from shared S&T facilities


REGIONS: tuple[Region, ...] = (
    Region("hub", talent=0.28, investors=0.55, market=1.4, cost=1.0, zeal=0.2, incubators=6),
    Region("coastal", talent=0.37, investors=0.30, market=1.0, cost=0.7, zeal=0.35, incubators=5),
    Region("inland", talent=0.35, investors=0.15, market=0.65, cost=0.45, zeal=0.45, incubators=5),
)

FOUNDER_TYPES: tuple[FounderType, ...] = (
    FounderType("graduate", 0.36, -0.15, 60_000, 0.6, 0.15, False),
    FounderType("researcher", 0.14, 0.20, 120_000, 1.0, 0.25, True),
    FounderType("executive", 0.10, 0.30, 400_000, 2.2, 0.55, False),
    FounderType("returnee", 0.05, 0.35, 350_000, 1.8, 0.45, True),
    FounderType("grassroots", 0.35, -0.30, 60_000, 0.5, 0.15, False),
)

OPERATOR_TYPES = ("private", "university", "corporate", "government")
SERVICES = ("investment", "training", "media", "professional", "maker")
