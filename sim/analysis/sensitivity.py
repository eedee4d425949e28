"""Global sensitivity indices of a ``sobol`` or ``morris`` sweep (SALib).

The runner already samples Saltelli and Morris designs and keeps SALib's
``problem``; this module computes the indices from the results folder:
first-order, second-order (when sampled) and total Sobol indices with
bootstrap intervals (``SALib.analyze.sobol``), or Morris' mu*, its interval
and sigma (``SALib.analyze.morris``).

Two things SALib cannot see are done here. Replications of a design point
are averaged, so Y holds one value per point. And Y is put back into the
sample's row order (the ``point`` number): a resumed or parallel sweep
finishes runs in any order, and SALib reads only the order of Y.

An index whose interval is wider than the index itself (or an S1 below zero
beyond its interval) tells the reader nothing; each such outcome gets one
warning line with the number of samples that would make the intervals fit
(the intervals shrink as 1/sqrt(samples); samples are doubled until they
fit: a recommendation, not a promise).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.data import Folder
from sim.analysis.summaries import Summary
from sim.errors import UserError

METHODS = ("sobol", "morris")
CONF_LEVEL = 0.95  # SALib's default: the intervals are 95 % bootstrap intervals
RESAMPLES = 1000
# An index known to lie below this needs no narrower interval: that it explains less
# than a tenth of the variance is answer enough (Morris: a tenth of the largest mu*).
FLOOR = 0.1


@dataclass
class Indices:
    """The indices of one outcome summary."""

    summary: Summary
    method: str
    table: pd.DataFrame  # one row per factor
    pairs: pd.DataFrame | None  # Sobol second order: factor_a, factor_b, S2, S2_conf
    samples: int
    points: int
    replications: int
    runs_per_sample: int  # design points per sample (2k+2, k+2 or k+1)
    unclear: list[str] = field(default_factory=list)
    recommended: int | None = None
    note: str = ""

    @property
    def warning(self) -> str | None:
        """One line when some interval is too wide to read the index."""
        if not self.unclear:
            return None
        shown = ", ".join(self.unclear[:4]) + (
            f" and {len(self.unclear) - 4} more" if len(self.unclear) > 4 else ""
        )
        runs = self.recommended * self.runs_per_sample * self.replications
        what = "trajectories" if self.method == "morris" else "samples"
        return (
            f"{self.summary.text}: intervals wider than the index for {shown}; "
            f"{what}: {self.samples} is too few, about {self.recommended:,} "
            f"({runs:,} runs) would make them fit ({what} doubled until the intervals "
            "fit: a recommendation)"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "outcome": self.summary.text,
            "label": self.summary.label,
            "method": self.method,
            "conf_level": CONF_LEVEL,
            "samples": self.samples,
            "points": self.points,
            "replications": self.replications,
            "rows": _records(self.table),
            "pairs": _records(self.pairs) if self.pairs is not None else [],
            "warning": self.warning,
            "recommended_samples": self.recommended,
            "note": self.note,
        }


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    out = []
    for row in frame.to_dict("records"):
        out.append(
            {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()}
        )
    return out


def default_outcomes(folder: Folder) -> list[str]:
    """What to analyse when nothing is named: the scenario's ``analysis.sensitivity``,
    else its ``outputs`` list, else the outcomes with a direction (maximise or
    minimise), else every kept outcome."""
    analysis = folder.scenario.get("analysis") or {}
    if analysis.get("sensitivity"):
        return list(analysis["sensitivity"])
    if folder.scenario.get("outputs"):
        return list(folder.scenario["outputs"])
    from sim.outcomes import BY_NAME

    directed = [o for o in folder.outcomes if o in BY_NAME and BY_NAME[o].direction != "info"]
    return directed or folder.outcomes


def analyse(
    folder: Folder,
    outcomes: Sequence[str] | None = None,
    *,
    resamples: int = RESAMPLES,
    seed: int | None = None,
) -> list[Indices]:
    """Indices of each outcome summary (default: :func:`default_outcomes`)."""
    design = folder.design
    method = design.get("kind")
    if method not in METHODS:
        raise UserError(
            f"{folder.path}: design '{method}' has no Sobol or Morris sample; sensitivity "
            "indices need 'sweep: {design: sobol}' or '{design: morris}'"
        )
    problem = design.get("problem")
    if not isinstance(problem, dict) or not problem.get("names"):
        raise UserError(f"{folder.path}: manifest.json holds no SALib problem for this design")
    summaries = folder.parse(outcomes or default_outcomes(folder), "--outcome")
    values = folder.values(summaries)
    n_points = folder.n_points
    _check_points(folder, values, n_points)
    seed = bootstrap_seed(int(folder.manifest.get("seed_root") or 0) if seed is None else seed)
    matrix = _matrix(folder, method, problem, design) if method == "morris" else None
    reps = int(values.groupby("point").size().max())
    out = []
    for s in summaries:
        y = values.groupby("point")[s.text].mean().reindex(range(n_points))
        if y.isna().any():
            bad = [int(p) for p in y.index[y.isna()]][:8]
            raise UserError(
                f"{s.text}: no value at design point(s) {', '.join(map(str, bad))} (the outcome "
                "is NaN in every run there); choose another outcome or summary"
            )
        out.append(_one(s, method, problem, design, y.to_numpy(float), matrix, resamples, seed))
        out[-1].points, out[-1].replications = n_points, reps
    return out


def bootstrap_seed(root: int) -> int:
    """A seed for SALib's bootstrap from the sweep's root seed. Never 0: SALib's
    ``analyze`` treats a seed of 0 as none and draws from NumPy's global state."""
    state = np.random.SeedSequence(root, spawn_key=(0x5A1B,)).generate_state(1, np.uint32)
    return int(state[0]) or 1


def _check_points(folder: Folder, values: pd.DataFrame, n_points: int) -> None:
    """SALib needs every design point; a failed or missing one is named."""
    have = set(values["point"].astype(int))
    missing = [p for p in range(n_points) if p not in have]
    if missing:
        shown = ", ".join(map(str, missing[:8])) + (" ..." if len(missing) > 8 else "")
        raise UserError(
            f"{folder.path}: {len(missing)} of {n_points} design points have no finished run "
            f"(points {shown}); indices need every point: run the same 'sim run' again to "
            "retry failed or missing runs"
        )


def _matrix(folder: Folder, method: str, problem: dict, design: dict) -> np.ndarray:
    """SALib's sample redone from the manifest; checked against the runs' values."""
    from sim.experiments.design import salib_matrix

    matrix = np.asarray(salib_matrix(method, problem, design))
    runs = folder.runs.drop_duplicates("point").set_index("point").sort_index()
    for j, name in enumerate(problem["names"]):
        col = runs.get(name)
        if col is None or not pd.api.types.is_float_dtype(col):
            continue  # binned factors (integers, choices) keep only their bin
        got = col.to_numpy(float)
        want = matrix[runs.index.to_numpy(int), j]
        if not np.allclose(got, want, rtol=1e-9, atol=1e-12):
            raise UserError(
                f"{folder.path}: the Morris sample cannot be redone as it was drawn (SALib "
                "version changed?); run the sweep again with --fresh"
            )
    return matrix


def _one(
    s: Summary,
    method: str,
    problem: dict,
    design: dict,
    y: np.ndarray,
    matrix: np.ndarray | None,
    resamples: int,
    seed: int,
) -> Indices:
    if np.allclose(y, y[0]):  # nothing to apportion: SALib would divide by zero
        names, k = list(problem["names"]), len(problem["names"])
        sobol = method == "sobol"
        cols = (
            ("S1", "S1_conf", "ST", "ST_conf")
            if sobol
            else ("mu_star", "mu_star_conf", "sigma", "mu")
        )
        table = pd.DataFrame({"factor": names, **{c: [math.nan] * k for c in cols}})
        per = (2 * k + 2 if design.get("second_order", True) else k + 2) if sobol else k + 1
        ind = Indices(s, method, table, None, int(design["samples"]), 0, 0, per)
        ind.note = f"{s.text} takes the same value at every design point: no indices"
        return ind
    if method == "sobol":
        return _sobol(s, problem, design, y, resamples, seed)
    return _morris(s, problem, design, y, matrix, resamples, seed)


def _sobol(
    s: Summary, problem: dict, design: dict, y: np.ndarray, resamples: int, seed: int
) -> Indices:
    from SALib.analyze import sobol

    names, k = list(problem["names"]), len(problem["names"])
    second = bool(design.get("second_order", True))
    r = sobol.analyze(
        problem,
        y,
        calc_second_order=second,
        num_resamples=resamples,
        conf_level=CONF_LEVEL,
        seed=seed,
    )
    table = pd.DataFrame(
        {
            "factor": names,
            "S1": r["S1"],
            "S1_conf": r["S1_conf"],
            "ST": r["ST"],
            "ST_conf": r["ST_conf"],
        }
    )
    pairs = None
    if second:
        rows = [
            {
                "factor_a": names[i],
                "factor_b": names[j],
                "S2": r["S2"][i, j],
                "S2_conf": r["S2_conf"][i, j],
            }
            for i in range(k)
            for j in range(i + 1, k)
        ]
        pairs = pd.DataFrame(rows, columns=["factor_a", "factor_b", "S2", "S2_conf"])
    per = 2 * k + 2 if second else k + 2
    ind = Indices(s, "sobol", table, pairs, int(design["samples"]), 0, 0, per)
    needs = []
    for row in table.to_dict("records"):
        parts = []
        for index in ("S1", "ST"):
            value, conf = float(row[index]), float(row[f"{index}_conf"])
            error, target = conf, max(abs(value), FLOOR)
            if index == "S1" and value < 0:  # the true index is >= 0: the error is at least -S1
                error, target = max(conf, -value), FLOOR
            if error > target:
                below = ", below zero" if index == "S1" and value + conf < 0 else ""
                parts.append(f"{index} = {value:.2f} ± {conf:.2f}{below}")
                needs.append((error / target) ** 2)
        if parts:
            ind.unclear.append(f"{row['factor']} ({'; '.join(parts)})")
    ind.recommended = _doubled(ind.samples, needs)
    return ind


def _morris(
    s: Summary,
    problem: dict,
    design: dict,
    y: np.ndarray,
    matrix: np.ndarray,
    resamples: int,
    seed: int,
) -> Indices:
    from SALib.analyze import morris

    names = list(problem["names"])
    r = morris.analyze(
        problem,
        matrix,
        y,
        num_resamples=resamples,
        conf_level=CONF_LEVEL,
        num_levels=int(design.get("levels", 4)),
        seed=seed,
    )
    table = pd.DataFrame(
        {
            "factor": names,
            "mu_star": np.asarray(r["mu_star"], float),
            "mu_star_conf": np.asarray(r["mu_star_conf"], float),
            "sigma": np.asarray(r["sigma"], float),
            "mu": np.asarray(r["mu"], float),
        }
    )
    ind = Indices(s, "morris", table, None, int(design["samples"]), 0, 0, len(names) + 1)
    floor = FLOOR * float(np.nanmax(table["mu_star"])) if len(table) else 0.0
    needs = []
    for row in table.to_dict("records"):
        value, conf = float(row["mu_star"]), float(row["mu_star_conf"])
        target = max(value, floor)
        if target > 0 and conf > target:
            ind.unclear.append(f"{row['factor']} (mu* = {_g(value)} ± {_g(conf)})")
            needs.append((conf / target) ** 2)
    ind.recommended = _doubled(ind.samples, needs)
    return ind


def _g(x: float) -> str:
    from sim.numbers import fmt

    return fmt(x)


def _doubled(samples: int, needs: list[float]) -> int | None:
    """``samples`` doubled until the widest interval fits (intervals shrink as 1/sqrt(n))."""
    if not needs:
        return None
    return samples * 2 ** max(1, math.ceil(math.log2(max(needs))))


def ranking(ind: Indices) -> list[str]:
    """Factors from most to least influential (by ST, or by mu*)."""
    key = "ST" if ind.method == "sobol" else "mu_star"
    return list(ind.table.sort_values(key, ascending=False)["factor"])
