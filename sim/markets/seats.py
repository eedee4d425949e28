"""The desk market: founders choose among makerspaces with room, operators choose
among applicants.

Each founder looking for a desk samples a few spaces in the region that
still have room, ranks them by a random-utility rule (price against the
wage, services and the operator's effort, the quality of peers, investor
access) against staying outside, and applies to them in that order until
one admits her or the outside option wins. An operator that screens may
turn her away (:func:`sim.markets.tenancy.admits`). Sampling keeps the
market linear in the number of founders. A founder who finds no room in
the region counts as unmet demand: operators see it, months later, as desks
that would fill.
"""

from __future__ import annotations

import math

from sim.agents.entrepreneur import EXITED
from sim.agents.makerspace import GOVERNMENT
from sim.markets.tenancy import admits


def _gumbel(rnd) -> float:
    return -math.log(-math.log(rnd.random() or 1e-12))


def allocate_seats(model) -> None:
    """Match this month's desk seekers to spaces, region by region."""
    rnd = model.random
    k = model.k
    free_places = model.lever("graduate_free_places")
    for r, seekers in enumerate(model.space_seekers):
        if not seekers:
            continue
        rnd.shuffle(seekers)
        spaces = [s for s in model.spaces_by_region[r] if s.is_open and s.used < s.seats]
        peers = {s: k.w_peers * math.log1p(s.peer_quality()) for s in spaces}
        region = model.region_now[r]
        for founder in seekers:
            if founder.stage >= EXITED:
                continue
            current = founder.space
            founder.wants_space = False
            if not spaces:
                if current is None and k.space_appeal + _gumbel(rnd) > _gumbel(rnd):
                    model.tally[r].unmet += founder.seats_used
                continue
            need = founder.seats_used
            if current is None:
                home = region.market_rent * need / region.wage if need > k.home_seats else 0.0
                outside = -k.w_price * home
            else:  # staying put is the outside option of a founder who looks around
                outside = appeal(model, current, founder, need, region, free_places, peers)
                outside += k.switch_cost
            threshold = outside + _gumbel(rnd)
            ranked = []
            for space in rnd.sample(spaces, min(k.spaces_compared, len(spaces))):
                if space is current or space.seats - space.used < need:
                    continue
                u = appeal(model, space, founder, need, region, free_places, peers) + _gumbel(rnd)
                if u > threshold:
                    ranked.append((u, space.unique_id, space))
            ranked.sort(reverse=True)
            was_free = founder.free_place
            for _, _, space in ranked:
                free = _free_place(space, founder, free_places)
                founder.free_place = free  # the operator reads it when judging the applicant
                admitted = admits(model, space, founder)
                founder.free_place = was_free
                if not admitted:
                    continue
                if current is not None:
                    model.leave_space(founder)
                    if current.seats > current.used and current not in peers:
                        spaces.append(current)
                        peers[current] = k.w_peers * math.log1p(current.peer_quality())
                model.join_space(founder, space, free=free)
                if space.seats - space.used <= 0:
                    spaces.remove(space)
                break
        seekers.clear()


def _free_place(space, founder, free_places: float) -> bool:
    return (
        space.operator == GOVERNMENT
        and founder.ftype == 0  # graduate
        and space.free_places_used + founder.seats_used <= free_places * space.seats
    )


def appeal(model, space, founder, need: int, region, free_places: float, peers) -> float:
    """A founder's utility of a space before her own taste (in logit units)."""
    k = model.k
    rent = 0.0 if _free_place(space, founder, free_places) else space.rent * need
    services = (
        k.w_investment * space.investment
        + k.w_training * (space.training + space.effort)
        + k.w_media * space.media
        + k.w_professional * space.professional
        + k.w_maker * space.maker * founder.hardware
    )
    return k.space_appeal + services + peers.get(space, 0.0) - k.w_price * rent / region.wage
