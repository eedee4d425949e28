"""How agents forecast a venture: when its cash runs out.

Founders deciding whether to found, operators deciding whom to admit and
angels deciding whom to fund all ask the same question of a venture: with
the cash it has, what it spends and what it will sell once its product is
out and its sales have ramped up, how many months until the money is gone?
They differ in what they know (a founder has a noisy view of her own idea,
an operator reads the accounts and screens the idea, an angel judges it
with a skill-dependent error), not in how they reason, so the reasoning is
written once here.

The forecast is the venture month of :mod:`sim.agents.entrepreneur` with the
noise taken out: no revenue until the product is out, then revenue rising
linearly to its full level over ``ramp`` months, and constant costs. The
cash path is quadratic during the ramp and linear after it, so the month
the cash runs out has a closed form. The same formula takes Python floats
(one deal) or NumPy arrays (a month's would-be founders at once).
"""

from __future__ import annotations

import numpy as np

NEVER = 1e6  # months: the cash never runs out (sales cover the costs in time)


def runway(cash, cost_before, cost_after, revenue, until_product, ramped, ramp):
    """Months until the cash runs out (``NEVER`` if sales catch up in time).

    ``cash`` now; ``cost_before`` a month until the product is out and
    ``cost_after`` once it trades; ``revenue`` the full monthly sales once
    ramped up; ``until_product`` months before trading starts; ``ramped``
    months of trading already behind it (0..ramp); ``ramp`` months from
    first sale to full sales. Works elementwise on arrays.
    """
    if isinstance(cash, np.ndarray):
        return _runway_array(cash, cost_before, cost_after, revenue, until_product, ramped, ramp)
    return _runway_scalar(cash, cost_before, cost_after, revenue, until_product, ramped, ramp)


def _runway_scalar(cash, c0, c1, revenue, until, ramped, ramp):
    if cash <= 0.0:
        return 0.0
    at_launch = cash - c0 * until
    if at_launch <= 0.0:
        return cash / c0 if c0 > 0.0 else NEVER
    slope = revenue / ramp  # sales gained per month of the ramp
    left = max(0.0, ramp - ramped)  # months of ramp still ahead
    start = revenue * min(1.0, ramped / ramp)  # sales in the first trading month
    # cash(j) = at_launch + (start - c1) j + slope j^2 / 2, for j <= left
    a, b = 0.5 * slope, start - c1
    j = _first_root(a, b, at_launch, left)
    if j is not None:
        return until + j
    after = at_launch + b * left + a * left * left
    if revenue >= c1:
        return NEVER
    return until + left + after / (c1 - revenue)


def _first_root(a: float, b: float, c: float, upto: float) -> float | None:
    """First j in [0, upto] where a j^2 + b j + c reaches 0 (c > 0), if any."""
    if b >= 0.0:
        return None  # the cash only grows from here
    if a <= 0.0:
        j = -c / b
        return j if j <= upto else None
    disc = b * b - 4.0 * a * c
    if disc < 0.0:
        return None
    j = (-b - disc**0.5) / (2.0 * a)
    return j if j <= upto else None


def _runway_array(cash, c0, c1, revenue, until, ramped, ramp):
    cash, c0, c1, revenue, until, ramped = np.broadcast_arrays(
        *(np.asarray(x, dtype=float) for x in (cash, c0, c1, revenue, until, ramped))
    )
    out = np.full(cash.shape, NEVER)
    at_launch = cash - c0 * until
    dry_early = at_launch <= 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(dry_early, np.where(c0 > 0.0, cash / c0, NEVER), out)
        slope = revenue / ramp
        left = np.maximum(0.0, ramp - ramped)
        start = revenue * np.minimum(1.0, ramped / ramp)
        a, b = 0.5 * slope, start - c1
        disc = b * b - 4.0 * a * at_launch
        quad = np.where(a > 0.0, (-b - np.sqrt(np.maximum(disc, 0.0))) / (2.0 * a), -at_launch / b)
        hits = (~dry_early) & (b < 0.0) & np.where(a > 0.0, disc >= 0.0, True) & (quad <= left)
        out = np.where(hits, until + quad, out)
        after = at_launch + b * left + a * left * left
        linear = (~dry_early) & ~hits & (revenue < c1)
        out = np.where(linear, until + left + after / (c1 - revenue), out)
    return np.where(cash <= 0.0, 0.0, out)


def revenue_sum(revenue, until_product, months, ramp):
    """Sales over the first ``months`` months of a venture that starts trading
    after ``until_product`` months and ramps up linearly over ``ramp``."""
    xp_max = np.maximum if isinstance(months, np.ndarray) else max
    xp_min = np.minimum if isinstance(months, np.ndarray) else min
    trading = xp_max(months - until_product, 0.0)
    ramping = xp_min(trading, ramp)
    return revenue * (ramping * ramping / (2.0 * ramp) + (trading - ramping))
