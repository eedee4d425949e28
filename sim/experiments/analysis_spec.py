"""The ``analysis`` key of a scenario: what ``sim run`` computes once the runs are done.

``analysis: {sensitivity: [outcomes], discover: [{where: EXPR}], baseline: FILE}``.
Checking it runs nothing: outcome names and summaries are read against the
outcomes the scenario keeps, a condition is parsed by the safe parser of
:mod:`sim.analysis.expression` (never ``eval``), and ``baseline`` must be a
scenario file beside this one (the loader resolves it against this file).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from sim.experiments.problems import fail


class Discover(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    where: str
    density: float = Field(default=0.8, gt=0.0, le=1.0)


class Analysis(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    sensitivity: list[str] = Field(default_factory=list)
    discover: list[Discover] = Field(default_factory=list)
    baseline: str | None = None


def check_analysis(analysis: Analysis, outcomes: tuple[str, ...], design: str | None) -> Analysis:
    """Names against ``outcomes``; sensitivity needs a sobol or morris design and
    discovery a sweep."""
    from sim.analysis.expression import ExpressionError, parse_condition
    from sim.analysis.summaries import SPEC_HELP, parse

    if analysis.sensitivity and design not in ("sobol", "morris"):
        raise fail(
            ("sensitivity",),
            f"sensitivity indices need a sobol or morris sweep, not {design or 'no sweep'}",
            "sweep: {design: sobol, ...} or remove 'sensitivity'",
        )
    for i, text in enumerate(analysis.sensitivity):
        try:
            parse(text, outcomes)
        except ValueError as err:
            raise fail(("sensitivity", str(i)), str(err), SPEC_HELP) from None
    if analysis.discover and design is None:
        raise fail(("discover",), "scenario discovery needs a sweep", "a sweep: lhs, sobol, ...")
    for i, d in enumerate(analysis.discover):
        try:
            for name in parse_condition(d.where).names:
                parse(name, outcomes)
        except (ExpressionError, ValueError) as err:
            raise fail(("discover", str(i), "where"), str(err)) from None
    if analysis.baseline is not None and not analysis.baseline.endswith((".yaml", ".yml")):
        raise fail(("baseline",), f"'{analysis.baseline}' is not a scenario file", "FILE.yaml")
    return analysis


def resolve_baseline(data: dict[str, Any], here: Any) -> str | None:
    """Make ``analysis.baseline`` a path that works from any folder (relative to
    the scenario file that names it, as ``extends`` is); return the path as
    written when no such file exists."""
    import os
    from pathlib import Path

    analysis = data.get("analysis")
    if not (isinstance(analysis, dict) and isinstance(analysis.get("baseline"), str)):
        return None
    target = (Path(here).parent / analysis["baseline"]).resolve()
    if not target.is_file():
        return analysis["baseline"]
    try:
        rel = os.path.relpath(target)
    except ValueError:
        rel = str(target)
    data["analysis"] = {**analysis, "baseline": rel if not rel.startswith("..") else str(target)}
    return None
