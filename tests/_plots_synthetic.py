"""Small synthetic results folders that follow the runner's layout contract.

The plotting code only reads ``manifest.json``, ``runs.parquet`` and
``timeseries.parquet``; building them here lets the plot tests run in a
second without the model. The numbers are shaped like the model's (makerspace
build-up and closures, subsidies tapering) so the figures are worth looking at.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.calendar import add_months
from sim.outcomes import BY_NAME, NAMES


def write_results(
    folder: Path,
    name: str = "synthetic",
    sweep: dict[str, list[Any]] | None = None,
    replications: int = 3,
    months: int = 36,
    start: str = "2014-01",
    seed: int = 1,
    failed: int = 0,
    boost: float = 1.0,
    paired: bool = False,
) -> Path:
    """Write a results folder with one design point per combination of ``sweep``.

    ``paired=True`` pairs the i-th values instead (a list design of named cases).
    """
    folder.mkdir(parents=True, exist_ok=True)
    sweep = sweep or {}
    rng = np.random.default_rng(seed)
    if paired:
        combos = list(zip(*sweep.values(), strict=True))
    else:
        combos = list(itertools.product(*sweep.values())) or [()]
    runs, series = [], []
    run_id = 0
    for point, combo in enumerate(combos):
        values = dict(zip(sweep, combo, strict=True))
        for rep in range(replications):
            frame = _series(rng, months, start, values, boost)
            frame.insert(0, "run_id", f"p{point}-r{rep}")
            series.append(frame)
            last = frame.iloc[-1]
            runs.append(
                {
                    "run_id": f"p{point}-r{rep}",
                    "point": point,
                    "replication": rep,
                    "seed": 1000 + run_id,
                    **values,
                    "status": "done",
                    "error": None,
                    "wall_seconds": 0.5,
                    **{n: float(last[n]) for n in NAMES},
                }
            )
            run_id += 1
    for i in range(failed):
        runs.append(
            {
                "run_id": f"p0-r{replications + i}",
                "point": 0,
                "replication": replications + i,
                "seed": 9000 + i,
                **{k: v[0] for k, v in sweep.items()},
                "status": "failed",
                "error": "ValueError: synthetic failure\nTraceback ...",
                "wall_seconds": 0.1,
            }
        )
    pd.DataFrame(runs).to_parquet(folder / "runs.parquet", index=False)
    pd.concat(series, ignore_index=True).to_parquet(folder / "timeseries.parquet", index=False)
    scenario = {
        "name": name,
        "description": f"Synthetic scenario {name} for plot tests.",
        "levers": {"makerspace_subsidy_mode": "per_seat", "registration_cost": 2000.0},
        "parameters": {"scale": 0.1},
        "sweep": {"design": "grid", "factors": sweep} if sweep else None,
        "plots": [],
        "start": start,
        "months": months,
        "replications": replications,
        "seed": seed,
    }
    manifest = {
        "scenario": scenario,
        "scenario_text": f"name: {name}\nmonths: {months}\nreplications: {replications}\n",
        "hash": "abc123",
        "versions": {"sim": "0.1.0", "mesa": "3.5.0"},
        "runs_total": len(runs),
        "runs_done": len(runs) - failed,
        "runs_failed": failed,
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return folder


def _series(rng, months: int, start: str, values: dict[str, Any], boost: float) -> pd.DataFrame:
    t = np.arange(1, months + 1, dtype=float)
    cost = float(values.get("registration_cost", 5000.0))
    cap = float(values.get("crowdfunding_cap", 1e6))
    lift = boost * (1 + 0.3 * (5000 - cost) / 5000 + 0.1 * np.log10(cap / 1e6))
    noise = lambda scale: rng.normal(0, scale, months)  # noqa: E731
    entered = np.maximum(0, 40 * lift * (1 + 0.02 * t) + noise(6)).round()
    failed = np.maximum(0, 0.6 * entered + noise(4)).round()
    exited = np.maximum(0, rng.poisson(0.8 * lift, months))
    alive = np.cumsum(entered - failed - exited) + 300
    opened = rng.poisson(np.where(t < months * 0.6, 6 * boost, 1), months).astype(float)
    closed = rng.poisson(np.where(t > months * 0.5, 4, 0.3), months).astype(float)
    open_ = np.maximum(1, 10 + np.cumsum(opened - closed))
    seats = open_ * 60
    in_spaces = np.minimum(seats * 0.9, alive * 0.4 + noise(5))
    occupied = in_spaces * 1.3
    subsidy = seats * 300 * np.where(t < months * 0.6, 1.0, 0.5)
    spending = subsidy + 2e5 + noise(1e4)
    cumulative = np.cumsum(spending)
    data: dict[str, np.ndarray] = {
        "founders_entered": entered,
        "founders_reentered": np.round(entered * 0.1),
        "failed_founders_reentered": np.round(entered * 0.05),
        "researchers_entered": np.round(entered * 0.1),
        "startups_alive": alive,
        "startups_seed": alive * 0.6,
        "startups_growth": alive * 0.3,
        "startups_failed": failed,
        "startups_exited": exited,
        "cumulative_founded": np.cumsum(entered),
        "cumulative_failed": np.cumsum(failed),
        "cumulative_exited": np.cumsum(exited),
        "startups_quit": np.round(failed * 1.5),
        "cumulative_quit": np.cumsum(np.round(failed * 1.5)),
        "listings": np.zeros(months),
        "jobs": alive * 3.2,
        "jobs_in_exited": np.cumsum(exited) * 4.0,
        "revenue": alive * 45_000 + noise(1e5),
        "makerspaces_open": open_,
        "makerspaces_new": np.maximum(0, open_ - 10),
        "makerspaces_opened": opened,
        "makerspaces_closed": closed,
        "makerspaces_opened_total": np.cumsum(opened),
        "makerspaces_closed_total": np.cumsum(closed),
        "makerspaces_government": open_ * 0.2,
        "seats": seats,
        "seats_occupied": occupied,
        "empty_seats": seats - occupied,
        "tenant_quality_ratio": np.clip(1.1 + noise(0.02), 0.5, 2.0),
        "applicants_rejected": np.zeros(months),
        "admitted_quality_ratio": np.ones(months),
        "founders_in_makerspaces": in_spaces,
        "occupancy_rate": occupied / seats,
        "occupancy_rate_private": np.clip(occupied / seats + 0.1, 0, 1),
        "occupancy_rate_university": np.clip(occupied / seats, 0, 1),
        "occupancy_rate_corporate": np.clip(occupied / seats + 0.05, 0, 1),
        "occupancy_rate_government": np.clip(occupied / seats - 0.2, 0, 1),
        "operator_revenue": occupied * 700,
        "operator_subsidy": subsidy * 0.9,
        "operator_cost": open_ * 50_000,
        "angels_active": 80 + 0.5 * t,
        "angel_deals": rng.poisson(5 * lift, months).astype(float),
        "angel_investment": np.abs(2e6 * lift + noise(4e5)),
        "guidance_fund_investment": np.zeros(months),
        "crowdfunding_campaigns": rng.poisson(3, months).astype(float),
        "crowdfunding_successes": rng.poisson(0.4, months).astype(float),
        "crowdfunding_raised": np.abs(noise(2e5)),
        "seed_funded": rng.poisson(4, months).astype(float),
        "bank_lending": np.zeros(months),
        "grants_paid": np.full(months, 1e5),
        "subsidies_paid": subsidy,
        "public_spending": spending,
        "cumulative_public_spending": cumulative,
        "spending_per_surviving_startup": cumulative / alive,
        "spending_per_job": cumulative / (alive * 3.2),
        "hub_share_of_startups": np.clip(0.45 + noise(0.01), 0, 1),
        "inland_share_of_startups": np.clip(0.2 + noise(0.01), 0, 1),
    }
    assert set(data) == set(BY_NAME), set(BY_NAME) ^ set(data)
    frame = pd.DataFrame(
        {"month": t.astype(int), "date": [add_months(start, int(m) - 1) for m in t]}
    )
    for n in NAMES:
        frame[n] = data[n]
    return frame
