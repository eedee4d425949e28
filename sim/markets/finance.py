"""Money for ventures: angels with guidance-fund co-investment, the crowd,
banks, grants and prizes.

Ventures that flagged a short runway last month are this month's seekers.
Angels each draw a few of them, weighted by visibility (a makerspace with
investment or media services puts a venture in front of more investors),
and invest in the first one they judge good enough. Seekers the angels pass
over may launch a crowdfunding campaign or borrow against their revenue.
"""

from __future__ import annotations

import itertools

from sim.agents.entrepreneur import EXITED, IDEA, SEED
from sim.ledger import WORLD

DEALS_SEEN = 3  # ventures an angel looks at in a month
CAMPAIGN_PROPENSITY = 0.8  # share of passed-over seed ventures that try the crowd
LOAN_MONTHS = 24
LOAN_RATE = 0.006  # monthly interest
PRIZE_WINNERS = 0.05  # share of young ventures that win a prize
MENTORING_COST = 400.0  # yuan per founder in a makerspace per month at full mentorship


def _visibility(venture) -> float:
    space = venture.space
    if space is None:
        return 1.0
    return 1.3 + 1.5 * space.investment + 0.5 * space.media


def angel_round(model) -> None:
    """Angels screen seekers in their region and invest, with public co-investment."""
    ratio = model.lever("guidance_coinvest_ratio")
    credit = model.lever("angel_tax_credit")
    central = model.central_fund
    rnd = model.random
    for r, seekers in enumerate(model.seekers):
        seekers[:] = [v for v in seekers if v.stage < EXITED]
        angels = model.angels_by_region[r]
        if not seekers or not angels:
            continue
        cum = list(itertools.accumulate(_visibility(v) for v in seekers))
        order = list(angels)
        rnd.shuffle(order)
        for angel in order:
            if not angel.active or angel.capital < 0.3 * angel.cheque:
                continue
            match = ratio if central.balance > ratio * angel.cheque else 0.0
            boost = (1.0 + match) ** 0.5
            for venture in rnd.choices(seekers, cum_weights=cum, k=DEALS_SEEN):
                if venture.last_funded == model.month or venture.stage >= EXITED:
                    continue
                if angel.wants(venture, boost, credit):
                    _invest(model, angel, venture, match, credit)
                    break


def _invest(model, angel, venture, match: float, credit: float) -> None:
    """The round is what the venture needs; a matching fund lets the angel put in less of it."""
    ledger = model.ledger
    amount = min(angel.cheque, venture.needs() / (1.0 + match), angel.capital)
    pre = venture.valuation()
    seed = venture.stage <= SEED
    ledger.transfer(angel.account, venture.account, amount, "angel_investment")
    venture.sell_equity(angel.account, amount, pre)
    venture.note_angel(angel, amount)
    angel.invested += amount
    angel.deals += 1
    angel.last_deal = model.month
    model.count["angel_deals"] += 1
    model.record_funding(venture, "angel", amount, seed=seed)
    if match > 0.0:
        fund = model.central_fund
        co = fund.spend(venture.account, match * amount, "guidance_coinvestment")
        if co > 0.0:
            venture.sell_equity(fund.account, co, pre + amount)
            model.record_funding(venture, "guidance", co, seed=False)
    if credit > 0.0:
        model.central_fund.spend(angel.account, credit * amount, "angel_tax_credit")


def crowd_and_banks(model) -> None:
    """Seekers passed over by angels try the crowd (seed) or a bank (with revenue)."""
    crowd_open = model.lever("crowdfunding_enabled")
    cap = model.lever("crowdfunding_cap")
    lending = model.lever("bank_tech_lending")
    platform = model.platform
    rnd = model.random
    in_campaign = {id(c.venture) for c in platform.campaigns}
    for seekers in model.seekers:
        for v in seekers:
            if v.last_funded == model.month or v.stage >= EXITED:
                continue
            ready = v.stage == SEED or (v.stage == IDEA and model.month >= v.trading_from)
            if (
                crowd_open
                and ready
                and id(v) not in in_campaign
                and rnd.random() < CAMPAIGN_PROPENSITY
            ):
                platform.launch(v, cap)
                in_campaign.add(id(v))
                continue
            if lending > 0.0 and v.stage >= SEED and v.revenue > 0.0 and v.loan == 0.0:
                _lend(model, v, lending * v.revenue)
        seekers.clear()


def _lend(model, venture, amount: float) -> None:
    model.ledger.transfer(WORLD, venture.account, amount, "bank_loan")
    venture.loan = amount * (1.0 + LOAN_RATE * LOAN_MONTHS / 2)
    venture.loan_payment = venture.loan / LOAN_MONTHS
    model.record_funding(venture, "bank", amount, seed=False)


def graduate_grant(model, venture) -> None:
    """The central fund's start-up grant to a graduate founder, while money lasts."""
    grant = model.lever("graduate_grant")
    if grant > 0.0 and venture.ftype == 0:
        paid = model.central_fund.spend(venture.account, grant, "graduate_grant")
        model.grant_paid_share.append(paid / grant)


def competition(model) -> None:
    """October's competitions: the young ventures judges rate highest share the prize pool."""
    pool = model.lever("competition_prize_pool") * model.scale
    if pool <= 0.0 or model.calendar_month != 10:
        return
    young = [v for v in model.ventures() if v.stage in (IDEA, SEED)]
    if not young:
        return
    rnd = model.random
    scored = sorted(young, key=lambda v: v.quality * rnd.lognormvariate(0.0, 0.5), reverse=True)
    winners = scored[: max(1, int(PRIZE_WINNERS * len(young)))]
    prize = pool / len(winners)
    for v in winners:
        paid = model.central_fund.spend(v.account, prize, "competition_prize")
        if paid > 0.0:
            v.skill = min(1.0, v.skill + 0.05)  # training camps come with the prize
            model.record_funding(v, "prize", paid, seed=False)


def mentoring(model) -> float:
    """Pay the tutorship programme; return the mentorship level the money bought."""
    level = model.lever("mentorship")
    housed = model.founders_in_spaces
    wanted = level * MENTORING_COST * housed
    if wanted <= 0.0:
        return 0.0
    paid = model.central_fund.spend(WORLD, wanted, "mentoring")
    return level * paid / wanted
