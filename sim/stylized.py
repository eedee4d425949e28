"""The model's own figures for the stylized facts it is checked against.

``benchmarks/calibration.py`` prints them beside the published figures and
``tests/test_stylized_facts.py`` holds them to the tolerances docs/ODD.md
states; both read them from here, so they measure the same thing.
"""

from __future__ import annotations

import numpy as np

from sim.cohorts import pooled_survival


def run_deals(model) -> np.ndarray:
    """The angel deals resolved during the run: (invested, returned, tax credit)."""
    return np.array(model.angel_outcomes[model.deals_before_run :], dtype=float).reshape(-1, 3)


def angel_figures(deals_by_run) -> dict[str, float]:
    """Share of deals returning under 1x and over 10x their cost, and the share of all
    cash returned that the top tenth of payouts brought (``run_deals`` of each run)."""
    deals = np.concatenate(list(deals_by_run))
    multiple = deals[:, 1] / deals[:, 0]
    payouts = np.sort(deals[:, 1])[::-1]
    top = payouts[: max(1, len(payouts) // 10)].sum() / max(payouts.sum(), 1.0)
    return {
        "deals": float(len(deals)),
        "below_1x": float((multiple < 1).mean()),
        "above_10x": float((multiple > 10).mean()),
        "top_tenth_cash": float(top),
    }


def survival(models, years: int = 5) -> np.ndarray:
    """Survival of the ventures founded during the runs after 1..``years`` years."""
    return np.nanmean([pooled_survival(m, years) for m in models], axis=0)


def run_figures(model) -> dict:
    """What the calibration reads of one finished run (small enough to send back from
    a worker process)."""
    return {
        "survival": pooled_survival(model),
        "deals": run_deals(model),
        "ventures": len(model.cohort_log),
    }


def crowd_success(frames) -> tuple[float, float]:
    """Campaigns closed and the share that reached their target, over run frames."""
    tried = sum(float(f["crowdfunding_campaigns"].sum()) for f in frames)
    won = sum(float(f["crowdfunding_successes"].sum()) for f in frames)
    return tried, won / tried if tried else float("nan")
