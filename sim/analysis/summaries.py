"""One number per run from a monthly outcome: its final value, or a summary of its curve.

An outcome is written ``NAME`` (the value in the last month), or
``STAT_NAME`` with ``STAT`` one of ``final``, ``mean``, ``max``, ``min`` over
the months, optionally followed by ``@FROM..TO``, a window of calendar
months (``mean_occupancy_rate@2016-01..2018-12``) or of step numbers
(``@13..48``). The same spelling is used by ``--outcome``, by the names in a
``--where`` condition and by the scenario's ``analysis`` key, so a summary
is a plain name and no syntax beyond it is needed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sim.errors import UserError

if TYPE_CHECKING:
    import pandas as pd

STATS = ("final", "mean", "max", "min")
_BOUND = r"\d{4}-\d{2}|\d+"
NAME = re.compile(rf"[A-Za-z_][A-Za-z0-9_]*(?:@(?:{_BOUND})\.\.(?:{_BOUND}))?")
_SPEC = re.compile(rf"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:@(?P<lo>{_BOUND})\.\.(?P<hi>{_BOUND}))?$")
SPEC_HELP = (
    "an outcome NAME, or STAT_NAME with STAT one of final, mean, max, min, "
    "optionally @YYYY-MM..YYYY-MM (or @FIRST..LAST steps)"
)


@dataclass(frozen=True)
class Summary:
    """What one number per run means: ``stat`` of ``outcome`` over ``window``."""

    text: str
    outcome: str
    stat: str = "final"
    window: tuple[str, str] | None = None

    @property
    def label(self) -> str:
        """'mean of occupancy rate, 2016-01 to 2018-12' for tables and titles."""
        name = self.outcome.replace("_", " ")
        head = name if self.stat == "final" else f"{self.stat} of {name}"
        if self.window:
            return f"{head}, {self.window[0]} to {self.window[1]}"
        return head if self.stat != "final" else f"{name} (final)"


def parse(text: str, outcomes: Sequence[str]) -> Summary:
    """Read one outcome spec against the outcomes a folder (or scenario) keeps."""
    text = str(text).strip()
    m = _SPEC.match(text)
    if not m:
        raise ValueError(f"'{text}' is not an outcome or summary ({SPEC_HELP})")
    name, lo, hi = m["name"], m["lo"], m["hi"]
    window = None
    if lo is not None:
        if ("-" in lo) != ("-" in hi):
            raise ValueError(f"'{text}': a window is two months or two step numbers, not both")
        if _key(lo) > _key(hi):
            raise ValueError(f"'{text}': the window ends before it starts")
        window = (lo, hi)
    if name in outcomes:
        return Summary(text, name, "final", window)
    stat, _, rest = name.partition("_")
    if stat in STATS and rest in outcomes:
        return Summary(text, rest, stat, window)
    from sim.levers import closest

    pool = [*outcomes, *(f"{s}_{o}" for s in STATS[1:] for o in outcomes)]
    hint = closest(name, pool)
    tip = f"did you mean '{hint}'?" if hint else f"kept outcomes: {', '.join(outcomes)}"
    raise ValueError(f"unknown outcome '{name}' ({tip})")


def _key(bound: str) -> tuple[int, ...]:
    return tuple(int(p) for p in bound.split("-"))


def parse_all(texts: Iterable[str], outcomes: Sequence[str], where: str) -> list[Summary]:
    """Each spec, or a user error naming ``where`` it was written."""
    out = []
    for t in texts:
        try:
            out.append(parse(t, outcomes))
        except ValueError as err:
            raise UserError(f"{where}: {err}") from None
    return list({s.text: s for s in out}.values())


def per_run(timeseries: pd.DataFrame, summaries: Sequence[Summary]) -> pd.DataFrame:
    """One row per run (indexed by ``run_id``), one column per summary's text."""
    import pandas as pd

    columns = {}
    ts = timeseries.sort_values(["run_id", "month"])
    for s in summaries:
        frame = _window(ts, s)
        g = frame.groupby("run_id", sort=True)[s.outcome]
        columns[s.text] = g.last() if s.stat == "final" else getattr(g, s.stat)()
    return pd.DataFrame(columns)


def _window(ts: pd.DataFrame, s: Summary) -> pd.DataFrame:
    if s.window is None:
        return ts
    lo, hi = s.window
    if "-" in lo:
        chosen = ts[(ts["date"].astype(str) >= lo) & (ts["date"].astype(str) <= hi)]
        span = f"{ts['date'].min()} to {ts['date'].max()}"
    else:
        chosen = ts[(ts["month"] >= int(lo)) & (ts["month"] <= int(hi))]
        span = f"steps {ts['month'].min()} to {ts['month'].max()}"
    if chosen.empty:
        raise UserError(f"'{s.text}': the window {lo}..{hi} holds no month of the runs ({span})")
    return chosen
