"""How a number is written in text: the catalogue, ``sim levers``, error messages.

One rule everywhere, so that ``100,000`` is never printed beside ``1e+05``
for the same kind of value: whole numbers with thousands separators
(``200,000``, ``100,000,000,000``), other numbers with up to six significant
digits (``0.05``, ``1,234.5``). Figures and reports use the shorter forms of
:mod:`sim.plots.style` (``1.2bn``), which say in their axis what they are.
"""

from __future__ import annotations

import math
from typing import Any


def fmt(x: Any) -> str:
    """``x`` as text: '200,000', '0.05', '-1.5', 'true'; other values as ``str``."""
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, int):
        return f"{x:,}"
    if isinstance(x, float):
        if not math.isfinite(x):
            return str(x)
        if x.is_integer() and abs(x) < 1e18:
            return f"{int(x):,}"
        if abs(x) >= 1e6:
            return f"{x:,.0f}"
        if abs(x) >= 1000:
            return f"{x:,.6g}" if "e" not in f"{x:.6g}" else f"{x:,.1f}"
        return f"{x:.6g}"
    return str(x)


def significant(x: Any, digits: int = 4) -> Any:
    """``x`` rounded to ``digits`` significant digits (tables a reader opens); other
    values as they are."""
    if isinstance(x, bool) or not isinstance(x, float) or not math.isfinite(x) or x == 0:
        return x
    return round(x, digits - 1 - int(math.floor(math.log10(abs(x)))))


def rounded_frame(frame: Any, digits: int = 4, p_digits: int = 3) -> Any:
    """A DataFrame's float columns to ``digits`` significant digits (``p_value`` to
    ``p_digits``)."""
    import pandas as pd

    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            d = p_digits if col == "p_value" else digits
            out[col] = out[col].map(lambda v, d=d: significant(v, d))
    return out
