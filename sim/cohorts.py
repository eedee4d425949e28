"""Survival by founding cohort, computed from the model's cohort log.

Every venture's founding month and, if it ended, the month and the way it
ended (failed, quit or exited) are logged. Survival of a cohort after *k*
years is the share of its ventures not closed *k* years after founding: a
failure and a founder who winds the venture up to take a job both close it,
as both close an establishment in establishment statistics; an exit counts
as survival, as it does there, where an acquired firm lives on.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

FAILED, QUIT = 4, 5  # sim.agents.entrepreneur's stages (kept here: this module reads logs)
CLOSED = (FAILED, QUIT)


def cohort_table(model) -> pd.DataFrame:
    """One row per venture ever alive: cohort month, end month (-1 if alive), how it ended."""
    log = np.array(model.cohort_log, dtype=np.int64).reshape(-1, 3)
    return pd.DataFrame({"founded": log[:, 0], "ended": log[:, 1], "end": log[:, 2]})


def survival(model, years: int = 5, founded_after: int = 1) -> pd.DataFrame:
    """Share of each yearly cohort not closed after 1..``years`` years.

    Only ventures founded during the run (month >= ``founded_after``) count,
    and a cohort is reported for year *k* only once all of it has been
    observed for *k* years. Columns: cohort (year index from the start),
    ventures, then ``year_1`` .. ``year_k``.
    """
    table = cohort_table(model)
    table = table[table["founded"] >= founded_after]
    now = model.month
    rows = []
    for cohort, group in table.groupby((table["founded"] - founded_after) // 12):
        row = {"cohort": int(cohort), "ventures": len(group)}
        last_founded = int(group["founded"].max())
        for k in range(1, years + 1):
            horizon = 12 * k
            if last_founded + horizon > now:
                row[f"year_{k}"] = np.nan
                continue
            failed = group["end"].isin(CLOSED) & (group["ended"] - group["founded"] <= horizon)
            row[f"year_{k}"] = 1.0 - failed.mean()
        rows.append(row)
    return pd.DataFrame(rows)


def pooled_survival(model, years: int = 5) -> list[float]:
    """Survival after 1..``years`` years over all ventures observed long enough."""
    table = cohort_table(model)
    table = table[table["founded"] >= 1]
    out = []
    for k in range(1, years + 1):
        seen = table[table["founded"] + 12 * k <= model.month]
        if seen.empty:
            out.append(float("nan"))
            continue
        failed = seen["end"].isin(CLOSED) & (seen["ended"] - seen["founded"] <= 12 * k)
        out.append(float(1.0 - failed.mean()))
    return out
