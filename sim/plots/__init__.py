"""Figures and reports of results folders: curves, comparisons, sweeps, oversupply.

Notebooks use these functions directly: each ``*_figure`` returns a
matplotlib :class:`~matplotlib.figure.Figure` (shown inline by Jupyter), and
``render_all`` writes every default figure and the HTML report of a folder.
"""

from __future__ import annotations

from sim.plots.api import render_all
from sim.plots.compare import compare, compare_figure, final_values, format_table
from sim.plots.curves import curve_figure, plot_curves
from sim.plots.data import Results, bands, final_table, load
from sim.plots.heatmap import heatmap_figure
from sim.plots.oversupply import oversupply_figure, plot_oversupply
from sim.plots.report import write_report
from sim.plots.sweep import plot_sweep, points_figure, sweep_figure

__all__ = [
    "Results",
    "bands",
    "compare",
    "compare_figure",
    "curve_figure",
    "final_table",
    "final_values",
    "format_table",
    "heatmap_figure",
    "load",
    "oversupply_figure",
    "plot_curves",
    "plot_oversupply",
    "plot_sweep",
    "points_figure",
    "render_all",
    "sweep_figure",
    "write_report",
]
