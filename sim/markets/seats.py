"""The desk market: founders choose among makerspaces with room, operators choose
among applicants.

Each founder looking for a desk samples a few spaces of her region, ranks
those she prefers to staying where she is by a random-utility rule (price
against the wage, services and the operator's effort, the quality of
peers, investor access), and applies to them in that order until one
admits her. A full space turns her away; an operator that screens may too
(:func:`sim.markets.tenancy.admits`). Sampling keeps the market linear in
the number of founders. A founder whose first choice had no room and who
found no other counts as unmet demand: operators see it, months later, as
desks that would fill.
"""

from __future__ import annotations

import math

from sim import draws
from sim.agents.entrepreneur import EXITED
from sim.agents.makerspace import GOVERNMENT
from sim.markets.tenancy import admits


def _gumbel(rnd) -> float:
    return -math.log(-math.log(rnd.random() or 1e-12))


def allocate_seats(model) -> None:
    """Match this month's desk seekers to spaces, region by region.

    A space's appeal but for the price is the same to every seeker this
    month (its services, and its peers as they stood when the market
    opened), so it is summed once per space for each kind of founder; the
    rest of :func:`appeal` is the price."""
    rnd = model.random
    k = model.k
    free_places = model.lever("graduate_free_places")
    w_price, compared = k.w_price, k.spaces_compared
    for r, seekers in enumerate(model.space_seekers):
        if not seekers:
            continue
        draws.shuffle(rnd, seekers)
        spaces = [s for s in model.spaces_by_region[r] if s.is_open]
        peers = {s: k.w_peers * math.log1p(s.peer_quality()) for s in spaces}
        # (software founder, hardware founder) -> appeal before the price
        before_price = {s: _before_price(k, s, peers[s]) for s in spaces}
        n_compared = min(compared, len(spaces))
        region = model.region_now[r]
        wage = region.wage
        for founder in seekers:
            if founder.stage >= EXITED:
                continue
            current = founder.space
            founder.wants_space = False
            need = founder.seats_used
            if current is None:
                home = region.market_rent * need / region.wage if need > k.home_seats else 0.0
                outside = -k.w_price * home
            else:  # staying put is the outside option of a founder who looks around
                outside = appeal(model, current, founder, need, region, free_places, peers)
                outside += k.switch_cost
            threshold = outside + _gumbel(rnd)
            hardware = founder.hardware
            ranked = []
            for space in draws.sample(rnd, spaces, n_compared):
                if space is current:
                    continue
                free = _free_place(space, founder, free_places)
                rent = 0.0 if free else space.rent * need
                u = before_price[space][hardware] - w_price * rent / wage + _gumbel(rnd)
                if u > threshold:
                    ranked.append((u, space.unique_id, space))
            ranked.sort(reverse=True)
            housed = _apply(model, founder, ranked, free_places)
            if housed is None and current is None and ranked and ranked[0][2].free < need:
                model.tally[r].unmet += need  # the space she wanted had no room
        seekers.clear()


def _before_price(k, space, peers: float) -> tuple[float, float]:
    """A space's appeal less its price, to a software and to a hardware founder: the
    one definition of what its services and peers are worth, that :func:`appeal`
    and the monthly market's once-per-space sums both use."""
    return tuple(
        k.space_appeal
        + (
            k.w_investment * space.investment
            + k.w_training * (space.training + space.effort)
            + k.w_media * space.media
            + k.w_professional * space.professional
            + k.w_maker * space.maker * hardware
        )
        + peers
        for hardware in (False, True)
    )


def _apply(model, founder, ranked, free_places: float):
    """Apply to the spaces in order of preference; return the one that admits her."""
    current = founder.space
    was_free = founder.free_place
    need = founder.seats_used
    for _, _, space in ranked:
        space.applications += 1
        if space.free < need:
            continue  # turned away for lack of room
        free = _free_place(space, founder, free_places)
        founder.free_place = free  # the operator reads it when judging the applicant
        admitted = admits(model, space, founder)
        founder.free_place = was_free
        applied = model.applied_quality
        applied[0] += founder.quality
        applied[1] += 1
        if not admitted:
            continue
        applied[2] += founder.quality
        applied[3] += 1
        if current is not None:
            model.leave_space(founder)
        model.join_space(founder, space, free=free)
        return space
    return None


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
    before = _before_price(k, space, peers.get(space, 0.0))[founder.hardware]
    return before - k.w_price * rent / region.wage
