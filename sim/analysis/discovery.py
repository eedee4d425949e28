"""Scenario discovery: under which levers and uncertainties does a condition hold?

PRIM (the patient rule induction method, Friedman and Fisher 1999) as the
EMA Workbench implements it (``ema_workbench.analysis.prim``) peels a box
around the runs where the condition holds, one thin slice at a time, and
records each box on its *peeling trajectory*: its *coverage* (share of the
runs of interest inside it), *density* (share of the runs inside it that
are of interest) and *mass* (share of all runs inside it). The analyst picks
a box on that trade-off; by default the one with the highest coverage among
those at least ``density`` dense.

Each run is a case, replications included: a box that holds in some
replications of a point and not in others is less dense, which is the honest
reading of a stochastic model.

Box limits are read from PRIM's ``box_lims`` rather than through
``PrimBox.inspect``: in EMA Workbench 3.0 under pandas 3, ``inspect`` (table
and data styles) raises ``TypeError`` when a categorical column is
restricted, because it writes the set of kept categories into a float
column (``tests/test_analysis.py`` keeps a check of that).
"""

from __future__ import annotations

import logging
import math
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.data import Folder
from sim.analysis.expression import Condition, ExpressionError, parse_condition
from sim.errors import UserError

DENSITY = 0.8
PEEL_ALPHA = 0.05
MASS_MIN = 0.05


@dataclass
class Discovery:
    """A PRIM box search for one condition."""

    where: str
    cases: int
    of_interest: int
    trajectory: pd.DataFrame  # box, coverage, density, mass, res_dim
    limits: list[pd.DataFrame]  # per box: factor, kind, min, max, choices, qp_low, qp_high
    chosen: int
    factors: list[str]
    ranges: dict[str, Any]  # each factor's full range: (min, max) or the list of values
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "where": self.where,
            "cases": self.cases,
            "of_interest": self.of_interest,
            "chosen": self.chosen,
            "factors": self.factors,
            "ranges": {k: list(v) for k, v in self.ranges.items()},
            "trajectory": _records(self.trajectory),
            "limits": [_records(lim) for lim in self.limits],
            "notes": self.notes,
        }


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: _json(v) for k, v in row.items()} for row in frame.to_dict("records")]


def _json(v: Any) -> Any:
    if hasattr(v, "item"):
        v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, (set, frozenset, tuple)):
        return sorted(_json(x) for x in v)
    return v


def condition(text: str, outcomes: list[str], where: str = "--where") -> Condition:
    """Parse a condition and check its names against the kept outcomes."""
    from sim.analysis.summaries import parse

    try:
        cond = parse_condition(text)
        for name in cond.names:
            parse(name, outcomes)
    except (ExpressionError, ValueError) as err:
        raise UserError(f"{where}: {err}") from None
    return cond


def discover(
    folder: Folder,
    where: str,
    *,
    density: float = DENSITY,
    box: int | None = None,
    peel_alpha: float = PEEL_ALPHA,
    mass_min: float = MASS_MIN,
) -> Discovery:
    """Run PRIM on the folder's runs for the condition ``where``."""
    factors = folder.factors
    if not factors:
        raise UserError(
            f"{folder.path}: the scenario sweeps nothing; scenario discovery needs a sweep "
            "(lhs, sobol, morris or grid) over levers or uncertainties"
        )
    cond = condition(where, folder.outcomes)
    summaries = folder.parse(cond.names, "--where")
    values = folder.values(summaries)
    y = cond.evaluate({s.text: values[s.text].to_numpy(float) for s in summaries})
    notes = []
    nan = values[[s.text for s in summaries]].isna().any(axis=1)
    if nan.any():
        notes.append(f"{int(nan.sum())} runs have no value (NaN) and count as not of interest")
    if not y.any() or y.all():
        holds = "no" if not y.any() else "every"
        raise UserError(
            f"'{where}' holds in {holds} run of {folder.path} ({len(y)} runs): nothing to "
            "discover; loosen or tighten the condition"
        )
    return find_boxes(
        values[factors],
        y,
        where,
        density=density,
        box=box,
        peel_alpha=peel_alpha,
        mass_min=mass_min,
        notes=notes,
    )


def find_boxes(
    inputs: pd.DataFrame,
    y: np.ndarray,
    where: str = "",
    *,
    density: float = DENSITY,
    box: int | None = None,
    peel_alpha: float = PEEL_ALPHA,
    mass_min: float = MASS_MIN,
    notes: list[str] | None = None,
) -> Discovery:
    """PRIM on a table of inputs (one row per case) and a boolean ``y``."""
    x = _inputs(inputs)
    result = _prim(x, np.asarray(y, dtype=bool), peel_alpha, mass_min)
    traj = result.peeling_trajectory
    trajectory = pd.DataFrame(
        {
            "box": traj["id"].astype(int),
            "coverage": traj["coverage"].astype(float),
            "density": traj["density"].astype(float),
            "mass": traj["mass"].astype(float),
            "res_dim": traj["res_dim"].astype(int),
        }
    )
    notes = list(notes or [])
    limits = [box_limits(result, i) for i in range(len(result.box_lims))]
    base = float(np.mean(y))
    if box is None and base >= density:  # the whole space is already that dense
        raised = (base + 1) / 2
        notes.append(
            f"the condition holds in {100 * base:.0f} % of runs, above the density asked for "
            f"({100 * density:.0f} %): the box chosen is the widest at least {100 * raised:.0f} % "
            "dense (halfway to 100 %)"
        )
        density = raised
    chosen = _choose(trajectory, density, box, notes)
    return Discovery(
        where,
        len(y),
        int(np.sum(y)),
        trajectory,
        limits,
        chosen,
        list(x.columns),
        _ranges(x),
        notes,
    )


def _inputs(frame: pd.DataFrame) -> pd.DataFrame:
    """PRIM's x: numbers as floats, everything else (choices, switches, schedules)
    as text categories. Integers are floats here because EMA Workbench 3.0
    under pandas 3 raises ``TypeError`` when pasting widens an integer column's
    limit to a half-way value (``tests/test_analysis.py`` keeps a check)."""
    x = frame.reset_index(drop=True).copy()
    for col in x.columns:
        s = x[col]
        if pd.api.types.is_bool_dtype(s) or not pd.api.types.is_numeric_dtype(s):
            x[col] = s.map(_category).astype(str)
        else:  # integers too: EMA 3.0's pasting writes float limits into an int column
            x[col] = s.astype("float64")
    return x


def _category(v: Any) -> str:
    if isinstance(v, (bool, np.bool_)):
        return "true" if v else "false"
    return str(v)


def _ranges(x: pd.DataFrame) -> dict[str, Any]:
    out = {}
    for col in x.columns:
        s = x[col]
        if pd.api.types.is_numeric_dtype(s):
            out[col] = (float(s.min()), float(s.max()))
        else:
            out[col] = sorted(s.unique().tolist())
    return out


def _prim(x: pd.DataFrame, y: np.ndarray, peel_alpha: float, mass_min: float) -> Any:
    try:
        with warnings.catch_warnings():  # "ipyparallel not installed" and the like
            warnings.simplefilter("ignore")
            from ema_workbench.analysis import prim
    except ModuleNotFoundError as err:
        raise UserError(
            f"scenario discovery needs the EMA Workbench ({err.name} is not installed): "
            "pip install 'startup-ecosystem-sim[analysis]'"
        ) from None

    logging.getLogger("EMA").setLevel(logging.WARNING)
    with warnings.catch_warnings():  # pandas 3 deprecations inside EMA's own code
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", FutureWarning)
        p = prim.Prim(x, y.astype(bool), peel_alpha=peel_alpha, mass_min=mass_min)
        found = p.find_box()
    if found is None:
        raise UserError("PRIM found no box")
    return found


def box_limits(result: Any, i: int) -> pd.DataFrame:
    """The restricted dimensions of box ``i``: limits and quasi-p-values.

    The same numbers ``PrimBox.inspect(i, style="data")`` gives, read from
    ``box_lims`` and ``p_values`` so that a restricted categorical column
    does not raise (EMA Workbench 3.0 with pandas 3).
    """
    lims, init = result.box_lims[i], result.box_lims[0]
    qp = result.p_values[i] if i < len(result.p_values) else {}
    rows = []
    for col in lims.columns:
        lo, hi = lims[col].iloc[0], lims[col].iloc[1]
        if isinstance(lo, (set, frozenset)):
            if set(lo) == set(init[col].iloc[0]):
                continue
            row = {
                "factor": col,
                "kind": "choices",
                "min": None,
                "max": None,
                "choices": sorted(lo),
            }
        else:
            if lo == init[col].iloc[0] and hi == init[col].iloc[1]:
                continue
            row = {
                "factor": col,
                "kind": "range",
                "min": float(lo),
                "max": float(hi),
                "choices": None,
            }
        p = qp.get(col, [-1, -1])
        row["qp_low"] = None if p[0] == -1 else float(p[0])
        row["qp_high"] = None if len(p) < 2 or p[1] == -1 else float(p[1])
        rows.append(row)
    return pd.DataFrame(
        rows, columns=["factor", "kind", "min", "max", "choices", "qp_low", "qp_high"]
    )


def _choose(trajectory: pd.DataFrame, density: float, box: int | None, notes: list[str]) -> int:
    if box is not None:
        if not 0 <= box < len(trajectory):
            raise UserError(f"--box: {box} is not on the trajectory (0 to {len(trajectory) - 1})")
        return box
    dense = trajectory[trajectory["density"] >= density]
    if dense.empty:
        best = int(trajectory["density"].idxmax())
        notes.append(
            f"no box reaches density {density:.0%}; the densest ({trajectory['density'].max():.0%}) is chosen"
        )
        return int(trajectory.loc[best, "box"])
    top = dense[dense["coverage"] == dense["coverage"].max()]
    return int(top.sort_values(["density", "res_dim"], ascending=[False, True])["box"].iloc[0])
