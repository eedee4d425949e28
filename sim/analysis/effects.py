"""A policy's effect against a baseline, with how sure we can be of it.

For each scenario folder (and each of its design points: a sweep is never
pooled) and each outcome, the effect is the difference of mean final values
against the baseline's runs, and their ratio, each with a 90 % bootstrap
interval (runs resampled within each folder), and the two-sided
Mann-Whitney p-value of the two samples of runs. The cost-effectiveness is
the extra public spending per extra surviving startup and per extra job
(difference of means over difference of means), with an interval from the
same bootstrap draws; when the denominator's interval holds zero the ratio
has no finite interval and the table says so instead of printing one.

Folders of different models are refused; different scale, horizon or start
month are allowed (a what-if may change them) but said in one line each.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.data import Folder
from sim.errors import UserError

CONF = 0.90
RESAMPLES = 2000
COST = "cumulative_public_spending"
PER = {"startups_alive": "extra surviving startup", "jobs": "extra job"}


@dataclass
class Effects:
    """Effects of each (scenario, point) against the baseline, and what they cost."""

    table: pd.DataFrame
    cost: pd.DataFrame
    warnings: list[str] = field(default_factory=list)
    levers: list[str] = field(default_factory=list)


def model_of(folder: Folder) -> str:
    return str(folder.manifest.get("model") or "sim.model:StartupEcosystem")


def check_comparable(folders: list[Folder]) -> list[str]:
    """Refuse folders of different models; one warning line per setting that differs."""
    models = {model_of(f) for f in folders}
    if len(models) > 1:
        raise UserError(
            f"the folders hold runs of different models ({', '.join(sorted(models))}); "
            "compare folders of one model"
        )
    out = []
    base = folders[0]
    for f in folders[1:]:
        for what, key, default in (
            ("horizon", "months", None),
            ("start", "start", None),
            ("scale", "scale", 1.0),
        ):
            a = base.manifest.get(key) if default is None else base.base_value(key, default)
            b = f.manifest.get(key) if default is None else f.base_value(key, default)
            if a != b:
                out.append(
                    f"warning: {f.name} has {what} {b} and {base.name} has {a}: "
                    "the effects mix the policy with that difference"
                )
    return out


def _groups(folder: Folder, point: int | None) -> list[int]:
    points = sorted(int(p) for p in folder.runs["point"].unique())
    if point is None:
        return points
    if point not in points:
        raise UserError(
            f"--point: {folder.path} has no finished design point {point} (points: "
            f"{', '.join(map(str, points[:20]))})"
        )
    return [point]


def _baseline_point(baseline: Folder, folder: Folder, point: int) -> int:
    """The baseline's point to compare ``point`` of ``folder`` with: its only one, or
    the one with the same swept values."""
    points = sorted(int(p) for p in baseline.runs["point"].unique())
    if len(points) == 1:
        return points[0]
    want = folder.point_values(point)
    for p in points:
        have = baseline.point_values(p)
        if have and all(k in want and _same(want[k], v) for k, v in have.items()):
            return p
    raise UserError(
        f"--baseline: {baseline.path} has {len(points)} design points and none matches "
        f"point {point} of {folder.path}; use a baseline with one design point"
    )


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=0.0)
    return a == b


def effects(
    baseline: Folder,
    folders: list[Folder],
    metrics: list[str],
    *,
    point: int | None = None,
    seed: int = 0,
    resamples: int = RESAMPLES,
) -> Effects:
    """The effect of each folder's design points on ``metrics`` against ``baseline``."""
    said = check_comparable([baseline, *folders])
    summaries = baseline.parse(metrics, "--metric")
    for f in folders:
        f.parse(metrics, "--metric")
    texts = [s.text for s in summaries]
    cost_pairs = [(COST, o) for o in PER if COST in texts and o in texts]
    base_values = baseline.values(summaries)
    levers = list(dict.fromkeys(n for f in folders for n in f.factors))
    rng = np.random.default_rng(seed)
    rows, costs = [], []
    for f in folders:
        values = f.values(summaries)
        for p in _groups(f, point):
            bp = _baseline_point(baseline, f, p)
            a = values[values["point"] == p]
            b = base_values[base_values["point"] == bp]
            keys = {
                "scenario": f.name,
                "point": p,
                "label": _label(f, p),
                **_lever_cells(f, p, levers),
            }
            draws = _bootstrap(a, b, texts, rng, resamples)
            for s in summaries:
                rows.append({**keys, **_effect(a[s.text], b[s.text], draws[s.text], s.text)})
            for cost, outcome in cost_pairs:
                costs.append({**keys, **_cost(a, b, draws, cost, outcome)})
    table = pd.DataFrame(rows)
    cost_table = pd.DataFrame(costs)
    return Effects(table, cost_table, said, levers)


def _label(folder: Folder, point: int) -> str:
    """The scenario's name, and the swept values when it has several points."""
    if folder.runs["point"].nunique() <= 1:
        return folder.name
    from sim.numbers import fmt

    values = folder.point_values(point)
    return f"{folder.name}: " + ", ".join(f"{k} = {fmt(v)}" for k, v in values.items())


def _lever_cells(folder: Folder, point: int, levers: list[str]) -> dict[str, Any]:
    values = folder.point_values(point)
    out = {}
    for name in levers:
        v = values.get(name, folder.base_value(name))
        out[name] = _cell(v)
    return out


def _cell(v: Any) -> Any:
    import json

    if isinstance(v, (dict, list)):
        return json.dumps(v, sort_keys=True)
    return v


def _bootstrap(
    a: pd.DataFrame, b: pd.DataFrame, cols: list[str], rng: np.random.Generator, n: int
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Bootstrap means of each column in both samples, from the same draws of runs."""
    ia = rng.integers(0, len(a), size=(n, len(a)))
    ib = rng.integers(0, len(b), size=(n, len(b)))
    out = {}
    with warnings.catch_warnings():  # a draw of runs that all lack the value gives NaN
        warnings.simplefilter("ignore", RuntimeWarning)
        for c in cols:
            va, vb = a[c].to_numpy(float), b[c].to_numpy(float)
            out[c] = (np.nanmean(va[ia], axis=1), np.nanmean(vb[ib], axis=1))
    return out


def _band(x: np.ndarray) -> tuple[float, float]:
    x = x[np.isfinite(x)]
    if x.size == 0:
        return (math.nan, math.nan)
    lo, hi = np.quantile(x, [(1 - CONF) / 2, (1 + CONF) / 2])
    return float(lo), float(hi)


def _effect(a: pd.Series, b: pd.Series, draws: tuple[np.ndarray, np.ndarray], name: str) -> dict:
    from scipy.stats import mannwhitneyu

    ma, mb = float(a.mean()), float(b.mean())
    da, db = draws
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = da / db
    lo, hi = _band(da - db)
    rlo, rhi = _band(ratios) if mb != 0 else (math.nan, math.nan)
    x, y = a.dropna().to_numpy(float), b.dropna().to_numpy(float)
    if len(x) and len(y) and not (np.all(x == x[0]) and np.all(y == x[0])):
        p = float(mannwhitneyu(x, y, alternative="two-sided").pvalue)
    else:
        p = 1.0 if len(x) and len(y) else math.nan
    return {
        "metric": name,
        "runs": int(len(x)),
        "baseline_runs": int(len(y)),
        "baseline_mean": mb,
        "mean": ma,
        "difference": ma - mb,
        "difference_low": lo,
        "difference_high": hi,
        "ratio": ma / mb if mb != 0 else math.nan,
        "ratio_low": rlo,
        "ratio_high": rhi,
        "p_value": p,
    }


def _cost(a: pd.DataFrame, b: pd.DataFrame, draws: dict, cost: str, outcome: str) -> dict:
    extra_cost = float(a[cost].mean() - b[cost].mean())
    extra = float(a[outcome].mean() - b[outcome].mean())
    dc = draws[cost][0] - draws[cost][1]
    do = draws[outcome][0] - draws[outcome][1]
    olo, ohi = _band(do)
    note = ""
    if extra == 0 or (olo <= 0 <= ohi):
        lo = hi = math.nan
        note = f"the effect on {outcome} is not distinguishable from zero: no interval"
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            lo, hi = _band(dc / do)
    if extra < 0:
        note = note or f"fewer {outcome.replace('_', ' ')} than the baseline"
    return {
        "per": PER[outcome],
        "extra_public_spending": extra_cost,
        "outcome": outcome,
        "extra_outcome": extra,
        "cost_per_extra": extra_cost / extra if extra else math.nan,
        "cost_low": lo,
        "cost_high": hi,
        "note": note,
    }
