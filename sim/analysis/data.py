"""A results folder as the analyses read it: finished runs, their design point,
the factors that vary, and one number per run for each outcome summary asked for.

It reads the runner's contract (``manifest.json``, ``runs.parquet``,
``timeseries.parquet``) through :class:`sim.experiments.results.Results`,
loading only the time-series columns a summary needs.
"""

from __future__ import annotations

import json
import os
import sys
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from sim.analysis.summaries import Summary, parse_all, per_run
from sim.errors import UserError


@dataclass
class Folder:
    """One results folder (finished runs only in ``runs``)."""

    path: Path
    manifest: dict[str, Any]
    all_runs: pd.DataFrame
    _results: Any = field(repr=False)

    @property
    def scenario(self) -> dict[str, Any]:
        s = self.manifest.get("scenario")
        return s if isinstance(s, dict) else {}

    @property
    def name(self) -> str:
        return str(self.manifest.get("name") or self.path.name)

    @property
    def design(self) -> dict[str, Any]:
        d = self.manifest.get("design")
        return d if isinstance(d, dict) else {}

    @property
    def factors(self) -> list[str]:
        """Swept factors, in the order the scenario file names them."""
        return [str(f) for f in self.design.get("factors") or [] if f in self.all_runs.columns]

    @property
    def outcomes(self) -> list[str]:
        return [str(o) for o in self.manifest.get("outputs") or []]

    @property
    def n_points(self) -> int:
        return int(self.manifest.get("points") or self.all_runs["point"].max() + 1)

    @cached_property
    def runs(self) -> pd.DataFrame:
        runs = self.all_runs
        if "status" in runs:
            runs = runs[runs["status"].astype(str) == "done"]
        return runs.reset_index(drop=True)

    def parse(self, specs: Sequence[str], where: str) -> list[Summary]:
        return parse_all(specs, self.outcomes, where)

    def values(self, summaries: Sequence[Summary]) -> pd.DataFrame:
        """Finished runs (``run_id``, ``point``, ``replication``, factors) with a column per summary."""
        needed = list(dict.fromkeys(s.outcome for s in summaries))
        ts = self._results.read_timeseries(needed)
        table = per_run(ts, summaries)
        keep = ["run_id", "point", "replication", *self.factors]
        return self.runs[keep].merge(table, left_on="run_id", right_index=True, how="inner")

    def point_values(self, point: int) -> dict[str, Any]:
        """The swept values of one design point (from its first finished run)."""
        rows = self.runs[self.runs["point"] == point]
        if rows.empty:
            return {}
        row = rows.iloc[0]
        return {f: _plain(row[f]) for f in self.factors}

    def base_value(self, name: str, default: Any = None) -> Any:
        """A lever or parameter as the scenario sets it (else ``default``)."""
        sc = self.scenario
        for key in ("parameters", "levers"):
            if isinstance(sc.get(key), dict) and name in sc[key]:
                return sc[key][name]
        return default


def _plain(v: Any) -> Any:
    v = v.item() if hasattr(v, "item") else v
    if isinstance(v, str) and v[:1] in "{[":
        try:
            return json.loads(v)
        except ValueError:
            return v
    return v


def open_folder(path: str | os.PathLike[str]) -> Folder:
    """Read a results folder; a user error when it is not one or holds no finished run."""
    from sim.experiments.results import Results

    folder = Path(os.fspath(path))
    if not folder.is_dir():
        raise UserError(f"no results folder '{folder}'")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = Results(folder)
    for w in caught:  # an unfinished sweep: say so once, on one line
        print(f"warning: {w.message}", file=sys.stderr)
    out = Folder(folder, res.manifest, res.runs, res)
    if out.runs.empty:
        raise UserError(f"no finished runs in '{folder}'")
    return out
