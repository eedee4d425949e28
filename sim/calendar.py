"""Calendar months: the model steps one month at a time from a start month.

Scenario files and schedules speak in ``YYYY-MM``; the model counts months
from zero. These helpers convert between the two and reject anything that is
not a real month, so a typo in a date never silently shifts a policy.
"""

from __future__ import annotations

import re

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(text: str) -> int:
    """Return an absolute month number (year * 12 + month - 1) for ``YYYY-MM``."""
    if not isinstance(text, str):
        raise ValueError(f"expected a calendar month 'YYYY-MM', got {text!r}")
    match = _MONTH.match(text.strip())
    if not match:
        raise ValueError(f"expected a calendar month 'YYYY-MM', got {text!r}")
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12 or not 1900 <= year <= 2200:
        raise ValueError(f"{text!r} is not a month between 1900-01 and 2200-12")
    return year * 12 + month - 1


def format_month(absolute: int) -> str:
    """Inverse of :func:`parse_month`."""
    year, month0 = divmod(int(absolute), 12)
    return f"{year:04d}-{month0 + 1:02d}"


def add_months(text: str, months: int) -> str:
    """The calendar month ``months`` after ``text``."""
    return format_month(parse_month(text) + months)
