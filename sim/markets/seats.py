"""The desk market: founders choose among makerspaces with room.

Each founder looking for a desk samples a few spaces in the region that
still have room and picks the best by a random-utility rule (price against
the wage, services, the quality of peers, investor access), or stays
outside. Sampling keeps the market linear in the number of founders. A
founder who finds no room anywhere counts as unmet demand: operators see it
later as a sign that more desks would fill.
"""

from __future__ import annotations

import math

from sim.agents.entrepreneur import EXITED, HOME_SEATS
from sim.agents.makerspace import GOVERNMENT

CHOICES = 4  # spaces a founder looks at
SPACE_APPEAL = 0.4  # value of being among founders at all, in logit units
W_PRICE = 2.5  # per monthly wage of rent
W_SERVICES = (0.5, 0.35, 0.25, 0.3, 0.3)  # investment, training, media, professional, maker
W_PEERS = 0.4
SWITCH_COST = 0.5  # moving out of a space costs effort and ties


def _gumbel(rnd) -> float:
    return -math.log(-math.log(rnd.random() or 1e-12))


def allocate_seats(model) -> None:
    """Match this month's desk seekers to spaces, region by region."""
    rnd = model.random
    free_places = model.lever("graduate_free_places")
    for r, seekers in enumerate(model.space_seekers):
        if not seekers:
            continue
        rnd.shuffle(seekers)
        spaces = [s for s in model.spaces_by_region[r] if s.is_open and s.used < s.seats]
        region = model.region_now[r]
        for founder in seekers:
            if founder.stage >= EXITED:
                continue
            current = founder.space
            founder.wants_space = False
            if not spaces:
                if current is None and SPACE_APPEAL + _gumbel(rnd) > _gumbel(rnd):
                    model.unmet[r] += 1
                continue
            need = founder.seats_used
            if current is None:
                home = region.market_rent * need / region.wage if need > HOME_SEATS else 0.0
                outside = -W_PRICE * home
            else:  # staying put is the outside option of a founder who looks around
                outside = _appeal(current, founder, need, region, free_places) + SWITCH_COST
            best, best_u = None, outside + _gumbel(rnd)
            for space in rnd.sample(spaces, min(CHOICES, len(spaces))):
                if space is current or space.seats - space.used < need:
                    continue
                u = _appeal(space, founder, need, region, free_places) + _gumbel(rnd)
                if u > best_u:
                    best, best_u = space, u
            if best is None:
                continue
            if current is not None:
                model.leave_space(founder)
                if current.seats > current.used and current not in spaces:
                    spaces.append(current)
            model.join_space(founder, best, free=_free_place(best, founder, free_places))
            if best.seats - best.used <= 0:
                spaces.remove(best)
        seekers.clear()


def _free_place(space, founder, free_places: float) -> bool:
    return (
        space.operator == GOVERNMENT
        and founder.ftype == 0  # graduate
        and space.free_places_used < free_places * space.seats
    )


def _appeal(space, founder, need: int, region, free_places: float) -> float:
    rent = 0.0 if _free_place(space, founder, free_places) else space.rent * need
    services = (
        W_SERVICES[0] * space.investment
        + W_SERVICES[1] * space.training
        + W_SERVICES[2] * space.media
        + W_SERVICES[3] * space.professional
        + W_SERVICES[4] * space.maker * founder.model.is_hardware[founder.ftype]
    )
    peers = W_PEERS * math.log1p(space.peer_quality())
    return SPACE_APPEAL + services + peers - W_PRICE * rent / region.wage
