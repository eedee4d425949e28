"""``sim plot``, ``sim compare`` and ``sim report``: thin wrappers that print what they wrote.

Argument parsing lives in :mod:`sim.cli`; errors a user can fix (a folder
that is not a results folder, an unknown metric or lever) are raised as
:class:`sim.errors.UserError` by the loaders and become one line on stderr.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.plots.api import PLOTS, draw_defaults, render_all
from sim.plots.compare import compare, format_table
from sim.plots.curves import plot_curves
from sim.plots.data import load


def _print_paths(paths: list[Path]) -> None:
    for p in paths:
        print(p)


def cmd_plot(args: argparse.Namespace) -> int:
    """Curves of the chosen metrics; with no --metric, every default view."""
    res = load(args.dir)
    by = res.check_lever(args.by)
    if args.metric or by:
        metrics = res.check_metrics(args.metric)
        paths = plot_curves(res, metrics, res.path / PLOTS, by=by, fmt=args.format)
    else:
        paths = draw_defaults(res, args.format)
    _print_paths(paths)
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    """Overlay several folders and print the final-value table (also saved as CSV)."""
    out = Path(args.out) if args.out else Path("results") / "compare"
    paths, table, csv = compare(args.dirs, args.metric, out, args.format)
    print(format_table(table))
    print()
    _print_paths([*paths, csv])
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """Draw the default figures and write the self-contained report."""
    print(render_all(args.dir))
    return 0
