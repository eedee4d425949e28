"""Read a results folder and summarise replications into bands.

Every figure shows the same statistics: over the replications of a design
point (or of a value of one lever), the mean, the median and the 5-95 %
band, per calendar month. Computing them once here keeps the curves, the
comparisons, the sweep views and the report's table in agreement.

The folder layout is the runner's contract (``manifest.json``,
``runs.parquet``, ``timeseries.parquet``); this module reads the parquet
files with pandas and the manifest defensively, so a partial or older folder
still plots what it has.
"""

from __future__ import annotations

import json
import numbers
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from sim.errors import UserError
from sim.outcomes import NAMES

BAND = (0.05, 0.95)
RUN_COLUMNS = ("run_id", "point", "replication", "seed", "status", "error", "wall_seconds")
TIME_COLUMNS = ("run_id", "month", "date")
REQUIRED = "timeseries.parquet"

# Shown when a scenario names no plots: the story of the policy in eight curves.
STANDARD_METRICS: tuple[str, ...] = (
    "startups_alive",
    "founders_entered",
    "cumulative_exited",
    "jobs",
    "makerspaces_open",
    "occupancy_rate",
    "angel_investment",
    "spending_per_surviving_startup",
)
# Drawn against each swept lever: stocks and totals, whose last value means something.
SWEEP_METRICS: tuple[str, ...] = (
    "startups_alive",
    "cumulative_founded",
    "cumulative_exited",
    "jobs",
    "makerspaces_open",
    "occupancy_rate",
    "cumulative_public_spending",
    "spending_per_surviving_startup",
)


@dataclass
class Results:
    """One results folder: its manifest, its runs and the monthly series of finished runs."""

    path: Path
    manifest: dict[str, Any]
    runs: pd.DataFrame
    timeseries: pd.DataFrame = field(repr=False)

    @property
    def scenario(self) -> dict[str, Any]:
        s = self.manifest.get("scenario")
        return s if isinstance(s, dict) else {}

    @property
    def name(self) -> str:
        return str(self.scenario.get("name") or self.manifest.get("name") or self.path.name)

    @property
    def description(self) -> str:
        return str(self.scenario.get("description") or self.manifest.get("description") or "")

    @cached_property
    def swept(self) -> list[str]:
        """Levers and parameters that take more than one value across the runs."""
        from sim.levers import BY_NAME as PARAMS

        sweep = self.scenario.get("sweep")
        declared: set[str] = set()
        if isinstance(sweep, dict):
            declared |= set(sweep.get("factors") or {})
            for point in sweep.get("points") or []:
                declared |= set(point) if isinstance(point, dict) else set()
        design = self.manifest.get("design")
        if isinstance(design, dict) and isinstance(design.get("factors"), list):
            declared |= {str(f) for f in design["factors"]}
        outcomes = set(self.manifest.get("outputs") or NAMES)  # another model has its own
        out = []
        for col in self.runs.columns:
            if col in RUN_COLUMNS or col in outcomes:
                continue
            if (col in PARAMS or col in declared) and self.runs[col].nunique(dropna=False) > 1:
                out.append(col)
        return out

    @cached_property
    def points(self) -> pd.DataFrame:
        """One row per design point: ``point`` and the swept values (finished runs only)."""
        done = self.done_runs
        cols = ["point", *self.swept]
        return done[cols].drop_duplicates("point").sort_values("point").reset_index(drop=True)

    @cached_property
    def done_runs(self) -> pd.DataFrame:
        runs = self.runs
        if "status" in runs:
            runs = runs[runs["status"].astype(str) == "done"]
        return runs[runs["run_id"].isin(self.timeseries["run_id"].unique())]

    @cached_property
    def failed_runs(self) -> pd.DataFrame:
        if "status" not in self.runs:
            return self.runs.iloc[0:0]
        return self.runs[self.runs["status"].astype(str) == "failed"]

    @property
    def metrics(self) -> list[str]:
        """Outcome columns present in the monthly series, in contract order."""
        ts = self.timeseries
        if not self.calendar:  # another model's reporters, in its order
            return [c for c in ts.columns if c not in TIME_COLUMNS]
        known = [n for n in NAMES if n in ts.columns]
        extra = [
            c
            for c in ts.columns
            if c not in NAMES and c not in TIME_COLUMNS and pd.api.types.is_numeric_dtype(ts[c])
        ]
        return known + extra

    @cached_property
    def tidy(self) -> pd.DataFrame:
        """Monthly series joined with each run's point and swept values."""
        keep = ["run_id", "point", "replication", *self.swept]
        keep = [c for c in dict.fromkeys(keep) if c in self.done_runs]
        ts = self.timeseries.merge(self.done_runs[keep], on="run_id", how="inner")
        return ts.sort_values(["point", "run_id", "month"]).reset_index(drop=True)

    @cached_property
    def final(self) -> pd.DataFrame:
        """Each finished run's last month: the final value of every outcome."""
        t = self.tidy
        return t.loc[t.groupby("run_id")["month"].idxmax()].reset_index(drop=True)

    def group_labels(self, by: str | None = None) -> dict[Any, str]:
        """Legend label of each group (a design point, or a value of ``by``)."""
        from sim.plots.style import lever_label, point_label

        if by is not None:
            values = self.in_file_order(by, self.tidy[by].dropna().unique())
            return {v: lever_label(by, _py(v)) for v in values}
        if len(self.points) <= 1:
            return {p: self.name for p in self.points["point"]}
        labels = {}
        for row in self.points.to_dict("records"):
            labels[row["point"]] = point_label({k: _py(row[k]) for k in self.swept})
        return labels

    def in_file_order(self, name: str, values: Any) -> list[Any]:
        """Values of a swept factor in the order the scenario file lists them (a grid
        or list design), else sorted: a heat map's columns read as the file does."""
        sweep = self.scenario.get("sweep")
        sweep = sweep if isinstance(sweep, dict) else {}
        listed = (sweep.get("factors") or {}).get(name)
        if not isinstance(listed, list):
            listed = [p.get(name) for p in sweep.get("points") or [] if isinstance(p, dict)]
        if sweep.get("design") not in ("grid", "list"):
            listed = []

        def key(v: Any) -> tuple[int, tuple[int, Any]]:
            for i, w in enumerate(listed):
                if _same_value(v, w):
                    return (i, (0, 0))
            return (len(listed), sort_key(v))

        return sorted(dict.fromkeys(_py(v) for v in values), key=key)

    def plot_specs(self) -> list[tuple[str, str | None]]:
        """(metric, by) pairs named by the scenario's ``plots`` key, present in the results.

        An item is an outcome name, or a map ``{metric: NAME}`` /
        ``{metrics: [NAME, ...]}`` with an optional ``by: LEVER``.
        """
        plots = self.scenario.get("plots")
        items = plots if isinstance(plots, list) else [plots] if isinstance(plots, dict) else []
        specs: list[tuple[str, str | None]] = []
        for item in items:
            if isinstance(item, str):
                specs.append((item, None))
            elif isinstance(item, dict):
                names = item.get("metric", item.get("metrics", item.get("outcomes")))
                by = item.get("by")
                by = by if isinstance(by, str) and by in self.swept else None
                for name in [names] if isinstance(names, str) else names or []:
                    specs.append((str(name), by))
        cols = set(self.timeseries.columns)
        return [s for s in dict.fromkeys(specs) if s[0] in cols]

    @property
    def calendar(self) -> bool:
        """Steps are calendar months (this package's model), or plain steps (another
        Mesa model, whose manifest records its parameters)."""
        return not isinstance(self.manifest.get("model_parameters"), dict)

    def when(self, final: pd.DataFrame | None = None) -> str:
        """The last step of ``final`` (default: every run) as a title says it;
        another Mesa model's runs may stop themselves at different steps."""
        final = self.final if final is None else final
        if self.calendar:
            return str(final["date"].max())
        first, last = int(final["month"].min()), int(final["month"].max())
        return f"step {last}" if first == last else f"each run's last step, {first}–{last}"

    def default_metrics(self) -> list[str]:
        """The scenario's ``plots`` metrics if it names any, else the standard set."""
        chosen = list(dict.fromkeys(m for m, _ in self.plot_specs()))
        return chosen or self.present(STANDARD_METRICS)

    def present(self, pool: tuple[str, ...] | list[str]) -> list[str]:
        """The outcomes of ``pool`` this folder has; for another Mesa model, which
        has none of ours, its own outcomes (the first eight)."""
        if not self.calendar:  # same names as ours would be a coincidence
            return self.metrics[:8]
        return [m for m in pool if m in self.timeseries.columns]

    def check_metrics(self, metrics: list[str] | None) -> list[str]:
        """The metrics asked for, or the defaults; a user error names an unknown one."""
        if not metrics:
            return self.default_metrics()
        available = self.metrics
        for m in metrics:
            if m not in available:
                from sim.levers import closest

                hint = closest(m, available)
                tip = f"did you mean '{hint}'? " if hint else ""
                raise UserError(
                    f"unknown metric '{m}' in {self.path}; {tip}available: {', '.join(available)}"
                )
        return list(dict.fromkeys(metrics))

    def check_lever(self, by: str | None) -> str | None:
        """``--by`` must name a lever that varies in this folder."""
        if by is None or by in self.swept:
            return by
        swept = ", ".join(self.swept) if self.swept else "none (the scenario sweeps nothing)"
        raise UserError(f"'{by}' is not swept in {self.path}; swept levers: {swept}")


type ResultsLike = Results | str | os.PathLike[str]  # what the figure functions accept


def sort_key(v: Any) -> tuple[int, Any]:
    """Numbers (NumPy's too) in order, then everything else as text."""
    numeric = isinstance(v, numbers.Real) and not isinstance(v, bool)
    return (0, float(v)) if numeric else (1, str(v))


def _same_value(a: Any, b: Any) -> bool:
    numeric = (numbers.Real,)
    if isinstance(a, numeric) and isinstance(b, numeric) and not isinstance(a, bool):
        return not isinstance(b, bool) and float(a) == float(b)
    return a == b


def _py(v: Any) -> Any:
    """numpy scalars to plain Python, so labels format like the scenario file."""
    return v.item() if hasattr(v, "item") else v


def load(path: str | os.PathLike[str] | Results) -> Results:
    """Read a results folder; a user error says what is missing and what exists.

    Accepts a path, anything path-like (such as the object ``sim.run_experiment``
    and ``sim.load_results`` return), or an already loaded :class:`Results`.
    """
    if isinstance(path, Results):
        return path
    folder = Path(os.fspath(path))
    if not folder.is_dir():
        raise UserError(f"no results folder '{folder}'; {_nearby(folder)}")
    if not (folder / REQUIRED).is_file():
        held = sorted(p.name for p in folder.iterdir())[:12]
        holds = f"it holds: {', '.join(held)}" if held else "it is empty"
        raise UserError(
            f"'{folder}' is not a results folder: no {REQUIRED} ({holds}); {_nearby(folder)}"
        )
    manifest: dict[str, Any] = {}
    if (folder / "manifest.json").is_file():
        try:
            loaded = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
            manifest = loaded if isinstance(loaded, dict) else {}
        except (OSError, ValueError):
            manifest = {}
    ts = pd.read_parquet(folder / REQUIRED)
    missing = [c for c in TIME_COLUMNS if c not in ts.columns]
    if missing:
        raise UserError(f"{folder / REQUIRED} lacks the columns {', '.join(missing)}")
    if (folder / "runs.parquet").is_file():
        runs = pd.read_parquet(folder / "runs.parquet")
    else:  # a folder written before runs.parquet existed: every series is one run
        runs = pd.DataFrame({"run_id": ts["run_id"].unique(), "status": "done"})
    if "point" not in runs:
        runs["point"] = 0
    res = Results(folder, manifest, runs, ts)
    if res.done_runs.empty:
        first = (
            res.failed_runs["error"].dropna().astype(str).head(1).tolist()
            if ("error" in res.failed_runs)
            else []
        )
        why = f"; first error: {first[0].splitlines()[0][:200]}" if first else ""
        raise UserError(f"no finished runs in '{folder}' ({len(res.failed_runs)} failed){why}")
    return res


def _nearby(folder: Path) -> str:
    """Name the results folders that do exist next to the one asked for."""
    parent = folder.parent if folder.parent != Path("") else Path(".")
    roots = [parent, Path("results")]
    found: list[str] = []
    for root in roots:
        if root.is_dir():
            found += [str(p) for p in sorted(root.iterdir()) if (p / REQUIRED).is_file()]
    found = list(dict.fromkeys(found))
    if found:
        return "results folders here: " + ", ".join(found[:10])
    return "no results folders found; run 'sim run scenarios/baseline.yaml' first"


def band_stats(values: pd.Series) -> dict[str, float]:
    """Mean, median and 5-95 % band of one sample (used for tables)."""
    v = values.dropna().astype(float)
    if v.empty:
        nan = float("nan")
        return {"mean": nan, "median": nan, "p5": nan, "p95": nan, "n": 0}
    return {
        "mean": float(v.mean()),
        "median": float(v.median()),
        "p5": float(v.quantile(BAND[0])),
        "p95": float(v.quantile(BAND[1])),
        "n": int(v.size),
    }


def bands(frame: pd.DataFrame, metric: str, by: str | list[str] = "point") -> pd.DataFrame:
    """Per group and month: mean, median, p5, p95 and the number of replications."""
    keys = [by] if isinstance(by, str) else list(by)
    g = frame.groupby([*keys, "month", "date"], sort=True)[metric]
    out = g.agg(["mean", "median", "count"]).rename(columns={"count": "n"})
    q = g.quantile(list(BAND)).unstack()
    out["p5"], out["p95"] = q[BAND[0]], q[BAND[1]]
    return out.reset_index()


def final_table(results: Results, metrics: list[str], by: str | None = None) -> pd.DataFrame:
    """Final values (mean, median, 5-95 % band) per group and metric, in long form."""
    fin = results.final
    key = by or "point"
    labels = results.group_labels(by)
    rows = []
    for value, sub in fin.groupby(key, sort=True):
        for m in metrics:
            rows.append({"group": labels.get(value, str(value)), "metric": m, **band_stats(sub[m])})
    return pd.DataFrame(rows, columns=["group", "metric", "mean", "median", "p5", "p95", "n"])
