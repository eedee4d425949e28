"""Money for ventures: angels with guidance-fund co-investment, the crowd,
banks, grants and prizes.

Ventures that flagged a short runway last month are this month's seekers.
Angels each draw a few of them, weighted by visibility (a makerspace with
investment or media services, an operator's effort, a recent prize put a
venture in front of more investors), and fund the first whose expected
multiple clears their required return. The multiple is what the angel's
own noisy judgement of the venture makes of its chance to survive and be
sold (:mod:`sim.prospects`) and of the price a sale would fetch, on the
angel's share of the round. A guidance fund that matches each angel yuan
lets the round reach what the venture needs with less of the angel's
money, so the angel's capital goes further, and -- as China's angel
guidance funds do -- lets the angel buy the fund's stake at cost when the
venture is sold, so the angel keeps part of the public upside; a tax credit
returns part of the cheque. Both act on the angel's capital and after-tax
return and on nothing else. Seekers the angels pass over may launch a
crowdfunding campaign when what they expect to raise, after the fee, is
worth the effort of running it, or borrow against their revenue.
"""

from __future__ import annotations

import itertools
import math
from math import exp

from sim import draws, prospects
from sim.agents.entrepreneur import EXITED, IDEA, SEED
from sim.ledger import WORLD
from sim.regions import REGIONS


def _visibility(model, venture) -> float:
    k = model.k
    weight = k.prize_visibility if venture.visible_until >= model.month else 1.0
    space = venture.space
    if space is None:
        return weight
    return weight * (
        k.housed_visibility
        + k.investment_visibility * space.investment
        + k.media_visibility * space.media
        + k.effort_visibility * space.effort
    )


def angel_round(model) -> None:
    """Angels screen seekers in their region and invest, with public co-investment.

    Most deals an angel sees cannot clear its bar even if the venture lived
    the whole horizon, so the screen below prices that bound inline, with
    what every angel reads the same of a venture (its price, skill, record,
    valuation and needs) taken once a month per seeker; only the deals that
    pass it are priced in full by :func:`expected_multiple`. The arithmetic
    is that function's, operation for operation, so a deal passes the
    screen exactly when the full price would not be cut short by it
    (``tests/test_angel_screen.py`` runs this round against one that prices
    every deal in full and asks for the same economy, month by month)."""
    ratio = model.lever("guidance_coinvest_ratio")
    credit = model.lever("angel_tax_credit")
    central = model.central_fund
    balance = model.ledger.balance
    central_account = central.account
    rnd = model.random
    normal = model.normal
    k = model.k
    deals_seen = k.deals_seen
    min_cheque = k.angel_min_cheque
    horizon = k.investor_horizon
    exit_hazard, scale_cap, buyback = k.exit_hazard, k.exit_scale_cap, k.guidance_buyback_share
    team_power, price_factor = model.exit_team_power, model.exit_price_factor
    for r, seekers in enumerate(model.seekers):
        seekers[:] = dict.fromkeys(v for v in seekers if v.stage < EXITED)  # each once
        angels = model.angels_by_region[r]
        if not seekers or not angels:
            continue
        cum = list(itertools.accumulate(_visibility(model, v) for v in seekers))
        pitches: list = [None] * len(seekers)  # what every angel reads of seeker i
        region = model.region_now[r]
        order = list(angels)
        draws.shuffle(rnd, order)
        for angel in order:
            capital = balance[angel.account]
            if not angel.active or capital < min_cheque * angel.cheque:
                continue
            cheque = angel.cheque
            noise = angel.judgement_noise()
            # a tax credit returns part of the cheque: the after-tax cost is (1 - credit)
            bar = angel.required_multiple * (1.0 - credit)
            for i in draws.choices_at(rnd, cum, deals_seen):
                pitch = pitches[i]
                if pitch is None:
                    pitch = pitches[i] = _pitch(model, seekers[i], region)
                if pitch is _PASSED:
                    continue
                venture, quality, record, skill1, valuation, needs = pitch
                match = ratio if balance[central_account] > ratio * cheque else 0.0
                amount = min(cheque, needs / (1.0 + match), capital)
                seen = quality * exp(noise * normal())  # the angel's judgement
                if record != 1.0:
                    seen *= record
                if amount > 0.0:  # the bound of expected_multiple: it lives the whole horizon
                    grown = region.price * seen * skill1 * team_power
                    hazard = exit_hazard * min(grown / region.growth_mark, scale_cap)
                    price = grown * price_factor
                    share = amount / (valuation + amount * (1.0 + match))
                    option = buyback * max(0.0, price * match * share - match * amount)
                    if (1.0 - exp(-hazard * horizon)) * ((price * share + option) / amount) < bar:
                        continue
                if expected_multiple(model, venture, seen, amount, match, bar) >= bar:
                    _invest(model, angel, venture, amount, match, credit)
                    pitches[i] = _PASSED  # funded this month
                    break


_PASSED = ()  # a seeker no angel may fund this month (funded already, or gone)


def _pitch(model, venture, region) -> tuple:
    """What every angel of the region reads the same of a seeker this month."""
    if venture.last_funded == model.month or venture.stage >= EXITED:
        return _PASSED
    failures = venture.failures
    record = model.record_discount**failures if failures else 1.0
    return (
        venture,
        venture.quality,
        record,
        1.0 + venture.skill,
        venture.valuation(),
        venture.needs(),
    )


def expected_multiple(
    model, venture, quality: float, amount: float, match: float, bar: float | None = None
) -> float:
    """What an investor judging the venture at ``quality`` expects back per yuan of a
    cheque of ``amount`` (before tax), with ``match`` yuan of public money beside each.

    The round buys a share of the venture at its valuation; the venture then
    lives as long as the forecast says its cash lasts (or the whole horizon),
    is sold with the monthly chance its sales earn, at the average price. Given a
    ``bar``, a deal that could not clear it even if the venture lived the whole
    horizon is priced no further (most deals an angel sees are such)."""
    if amount <= 0.0:
        return 0.0
    k = model.k
    region = model.region_now[venture.region]
    skill = venture.skill
    potential = region.price * quality * (1.0 + skill)  # sales per team-size unit
    grown = potential * model.exit_team_power
    hazard = k.exit_hazard * min(grown / region.growth_mark, k.exit_scale_cap)
    price = grown * model.exit_price_factor
    round_size = amount * (1.0 + match)
    share = amount / (venture.valuation() + round_size)
    # the fund's stake beside the angel's may be bought at cost when the venture is sold
    option = k.guidance_buyback_share * max(0.0, price * match * share - match * amount)
    value = (price * share + option) / amount
    horizon = k.investor_horizon
    if bar is not None and (1.0 - math.exp(-hazard * horizon)) * value < bar:
        return 0.0
    if venture.stage == IDEA:
        speed = model.idea_speed(venture) * quality * (1.0 + skill)
        until = max(0.0, (1.0 - venture.progress) / speed) if speed > 0 else 1e6
        ramped = 0.0
    else:
        until, ramped = 0.0, min(k.ramp_months, venture.months_trading)
    cost = max(venture.costs, 1.0)
    full = potential * model.team_power(venture.staff)
    lasts = prospects.runway(
        venture.cash + round_size, cost, cost, full, until, ramped, k.ramp_months
    )
    trading = max(0.0, min(lasts, horizon) - until)
    return (1.0 - math.exp(-hazard * trading)) * value


def _invest(model, angel, venture, amount: float, match: float, credit: float) -> None:
    """The round is what the venture needs; a matching fund lets the angel put in less of it."""
    ledger = model.ledger
    pre = venture.valuation()
    seed = venture.stage <= SEED
    ledger.transfer(angel.account, venture.account, amount, "angel_investment")
    venture.sell_equity(angel.account, amount, pre)
    refund = 0.0
    if credit > 0.0:
        refund = model.central_fund.spend(angel.account, credit * amount, "angel_tax_credit")
    venture.note_angel(angel, amount, refund)
    angel.invested += amount
    angel.deals += 1
    angel.last_deal = model.month
    angel.portfolio[venture] = angel.portfolio.get(venture, 0.0) + amount
    model.count["angel_deals"] += 1
    model.record_funding(venture, "angel", amount, seed=seed)
    if match > 0.0:
        fund = model.central_fund
        co = fund.spend(venture.account, match * amount, "guidance_coinvestment")
        if co > 0.0:
            share = venture.sell_equity(fund.account, co, pre + amount)
            venture.note_coinvestment(angel, co, share)
            model.record_funding(venture, "guidance", co, seed=False)


def angel_entrants(model) -> list[int]:
    """How many new angels start investing in each region this month: the wealthy
    weigh the after-tax multiple recent deals returned."""
    k = model.k
    multiple = min(model.angel_multiple(), k.angel_multiple_cap)
    u = k.angel_entry_base + k.angel_return_pull * (multiple - 1.0)
    p = 1.0 / (1.0 + math.exp(-u))
    pools = [
        max(0, int(k.potential_angels * model.scale * r.investors) - len(model.angels_by_region[i]))
        for i, r in enumerate(REGIONS)
    ]
    rng = model.rng
    return [int(rng.binomial(rng.binomial(n, k.angel_consider_rate), p)) for n in pools]


def crowd_and_banks(model) -> None:
    """Seekers passed over by angels try the crowd (when a campaign is worth its
    effort) or a bank (with revenue)."""
    crowd_open = model.lever("crowdfunding_enabled")
    cap = model.lever("crowdfunding_cap")
    fee = model.lever("crowdfunding_fee")
    lending = model.lever("bank_tech_lending")
    platform = model.platform
    k = model.k
    success = model.crowd_success_rate()
    in_campaign = {id(c.venture) for c in platform.campaigns}
    for seekers in model.seekers:
        for v in seekers:
            if v.last_funded == model.month or v.stage >= EXITED:
                continue
            ready = v.stage == SEED or (v.stage == IDEA and model.month >= v.trading_from)
            if crowd_open and ready and id(v) not in in_campaign:
                # the target is grossed up so the fee leaves what the venture needs; a
                # larger ask draws less than in proportion, so a fee makes success rarer
                target = min(cap, v.needs() / (1.0 - fee))
                effort = k.campaign_cost * model.region_now[v.region].cost
                if success * target * (1.0 - fee) > effort:
                    model.ledger.pay_up_to(v.account, WORLD, effort, "campaign_costs")
                    platform.launch(v, target)
                    in_campaign.add(id(v))
                    continue
            if lending > 0.0 and v.stage >= SEED and v.revenue > 0.0 and v.loan == 0.0:
                _lend(model, v, lending * v.revenue)
        seekers.clear()


def _lend(model, venture, amount: float) -> None:
    k = model.k
    model.ledger.transfer(WORLD, venture.account, amount, "bank_loan")
    venture.loan = amount * (1.0 + k.loan_rate * k.loan_months / 2)
    venture.loan_payment = venture.loan / k.loan_months
    model.record_funding(venture, "bank", amount, seed=False)


def graduate_grant(model, venture) -> None:
    """The central fund's start-up grant to a graduate founder, while money lasts."""
    grant = model.lever("graduate_grant")
    if grant > 0.0 and venture.ftype == 0:
        paid = model.central_fund.spend(venture.account, grant, "graduate_grant")
        model.grant_paid_share.append(paid / grant)


def competition(model) -> None:
    """October's competitions: the young ventures judges rate highest share the prize
    pool, go through a training camp, pitch to the angels of their region the month
    after, and are shown to investors more often for a year."""
    pool = model.lever("competition_prize_pool") * model.scale
    if pool <= 0.0 or model.calendar_month != 10:
        return
    young = [v for v in model.ventures() if v.stage in (IDEA, SEED)]
    if not young:
        return
    rnd = model.random
    k = model.k
    scored = sorted(
        young, key=lambda v: v.quality * rnd.lognormvariate(0.0, k.judges_noise), reverse=True
    )
    winners = scored[: max(1, int(k.prize_winners * len(young)))]
    # the pool is what the central budget can still pay, shared by every winner
    prize = min(pool, model.central_fund.balance) / len(winners)
    for v in winners:
        paid = model.central_fund.spend(v.account, prize, "competition_prize")
        if paid > 0.0:
            v.skill = min(1.0, v.skill + k.camp_skill)
            v.visible_until = model.month + 12
            model.record_funding(v, "prize", paid, seed=False)
            model.seekers[v.region].append(v)  # the final is a pitch: investors see them all


def mentoring(model) -> float:
    """Pay the tutorship programme; return the mentorship level the money bought."""
    level = model.lever("mentorship")
    housed = model.founders_in_spaces
    wanted = level * model.k.mentoring_cost * housed
    if wanted <= 0.0:
        return 0.0
    paid = model.central_fund.spend(WORLD, wanted, "mentoring")
    return level * paid / wanted
