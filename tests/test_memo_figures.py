"""Figures a memo can use: no text cut off, sweeps never averaged silently, heat
maps that say which cells the runs cannot tell apart, schedule changes marked.

Every figure the package draws is checked for clipped text: each text's box
(titles, notes, legends, tick labels that are drawn) must lie inside the
figure.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _plots_synthetic import write_results
from matplotlib.patches import Rectangle

from sim.plots import style
from sim.plots.api import render_all
from sim.plots.compare import compare
from sim.plots.curves import curve_figure, schedule_changes
from sim.plots.heatmap import heatmap_figure
from sim.plots.oversupply import oversupply_figure, plot_oversupply

# the 2 x 4 grid of a new user's walkthrough: long lever names, choices and costs
WALKTHROUGH = {
    "makerspace_subsidy_mode": ["per_surviving_startup", "per_occupied_seat"],
    "registration_cost": [12000.0, 0.0, 5000.0, 15000.0],
}


@pytest.fixture
def clipped(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Every figure saved while the test runs, with the texts that reach outside it."""
    found: dict[str, list[str]] = {}
    save = style.save

    def checking(fig, path):
        found[Path(path).name] = [t.get_text() for t in style.out_of_figure(fig)]
        save(fig, path)

    monkeypatch.setattr(style, "save", checking)
    return found


def _with_scenario(folder: Path, **keys) -> Path:
    m = json.loads((folder / "manifest.json").read_text())
    m["scenario"].update(keys)
    (folder / "manifest.json").write_text(json.dumps(m))
    return folder


def test_no_figure_has_text_outside_it(tmp_path: Path, clipped) -> None:
    grid = write_results(tmp_path / "grid", name="walkthrough-2x4", sweep=WALKTHROUGH, months=20)
    _with_scenario(
        grid,
        levers={"makerspace_subsidy_rate": {"2014-01": 0, "2015-03": 500}, "mentorship": 0.5},
        start="2014-01",
    )
    single = write_results(
        tmp_path / "one", name="a-scenario-with-a-rather-long-name-indeed", months=12
    )
    cases = write_results(
        tmp_path / "cases",
        name="cases",
        sweep={"registration_cost": [0.0, 5000.0, 9000.0], "crowdfunding_cap": [1e5, 1e6, 5e6]},
        paired=True,
        months=12,
    )
    for folder in (grid, single, cases):
        render_all(folder)
    compare([single, grid], ["startups_alive"], tmp_path / "cmp", point=2)
    assert len(clipped) > 20, sorted(clipped)
    bad = {name: texts for name, texts in clipped.items() if texts}
    assert not bad, bad


def test_a_long_title_is_wrapped_not_cut(tmp_path: Path) -> None:
    folder = write_results(tmp_path / "r", name="x" * 30 + "-" + "y" * 60)
    fig = curve_figure(folder, "spending_per_surviving_startup")
    assert style.out_of_figure(fig) == []
    assert "\n" in fig.axes[0].get_title(loc="left")


def test_heat_map_columns_follow_the_file_and_mark_cells_like_the_best(tmp_path: Path) -> None:
    folder = write_results(tmp_path / "g", sweep=WALKTHROUGH, replications=4, months=12)
    fig = heatmap_figure(folder, "startups_alive", "registration_cost", "makerspace_subsidy_mode")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["12,000", "0", "5,000", "15,000"]
    outlines = [p for p in ax.patches if isinstance(p, Rectangle) and not p.get_fill()]
    best = [p for p in outlines if p.get_linewidth() >= 3]
    assert len(best) == 1 and len(outlines) >= 1
    # the synthetic series rise as registration cost falls: the best cell is at cost 0
    assert best[0].get_x() == pytest.approx(1 - 0.5)
    note = fig.get_supxlabel().replace("\n", " ")
    assert "90 % interval of the mean" in note and "best (highest)" in note


def test_curves_mark_the_months_a_schedule_changes(tmp_path: Path) -> None:
    folder = write_results(tmp_path / "s", months=30)
    _with_scenario(folder, levers={"makerspace_subsidy_rate": {"2014-01": 0, "2015-03": 500}})
    fig = curve_figure(folder, "startups_alive")
    labels = [t.get_text() for t in fig.axes[0].texts]
    assert any(t.startswith("2015-03") and "makerspace subsidy rate" in t for t in labels), labels
    assert schedule_changes([{"start": "2014-01", "levers": {"x": {"2014-01": 1}}}]) == {}


def test_oversupply_is_drawn_per_design_point_never_averaged_silently(tmp_path: Path) -> None:
    folder = write_results(tmp_path / "g", sweep=WALKTHROUGH, months=12)
    paths = plot_oversupply(folder, tmp_path / "plots")
    assert [p.name for p in paths] == ["oversupply.png", "oversupply_points.png"]
    note = oversupply_figure(folder).get_supxlabel()
    assert "8 design points pooled" in note


def test_oversupply_skips_panels_whose_series_outputs_dropped(tmp_path: Path) -> None:
    import pandas as pd

    folder = write_results(tmp_path / "r", months=12)
    ts = pd.read_parquet(folder / "timeseries.parquet")
    keep = [
        c for c in ts.columns if not c.startswith(("occupancy_rate_", "operator_", "subsidies"))
    ]
    ts[keep].to_parquet(folder / "timeseries.parquet", index=False)
    fig = oversupply_figure(folder)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == 2  # seats and openings; no empty occupancy or money panel
    assert "panels skipped" in fig.get_supxlabel()


def test_analysis_figures_keep_their_text_inside() -> None:
    import numpy as np
    import pandas as pd

    from sim.analysis.discovery import find_boxes
    from sim.plots.analysis import discovery_figure, effects_figure, sensitivity_figure

    names = ["makerspace_subsidy_rate", "accreditation_min_occupancy", "operator_optimism"]
    sobol = {
        "outcome": "mean_occupancy_rate@2016-01..2018-12",
        "label": "mean of occupancy rate, 2016-01 to 2018-12",
        "method": "sobol",
        "samples": 64,
        "points": 512,
        "replications": 2,
        "rows": [
            {"factor": n, "S1": 0.2 * i - 0.1, "S1_conf": 0.3, "ST": 0.3 * i, "ST_conf": 0.2}
            for i, n in enumerate(names)
        ],
        "warning": "x: intervals wider than the index for " + ", ".join(names) + "; samples ...",
        "recommended_samples": 1024,
    }
    morris = {
        **sobol,
        "method": "morris",
        "rows": [
            {"factor": n, "mu_star": 1e6 * i, "mu_star_conf": 2e5, "sigma": 5e5, "mu": 1e6}
            for i, n in enumerate(names)
        ],
    }
    rng = np.random.default_rng(0)
    x = pd.DataFrame({n: rng.uniform(0, 1, 400) for n in names})
    x["makerspace_subsidy_mode"] = rng.choice(["per_seat", "per_surviving_startup"], 400)
    y = (x[names[0]] > 0.5) & (x["makerspace_subsidy_mode"] == "per_seat")
    found = find_boxes(x, y.to_numpy(), "occupancy_rate < 0.5 and cumulative_public_spending > 1e8")
    table = pd.DataFrame(
        [
            {
                "label": f"performance-subsidy: registration_cost = {c}",
                "metric": m,
                "difference": 5.0,
                "difference_low": -1.0,
                "difference_high": 11.0,
            }
            for c in ("0", "50,000")
            for m in ("startups_alive", "spending_per_surviving_startup", "occupancy_rate")
        ]
    )
    figures = [
        sensitivity_figure(sobol, "sensitivity-levers"),
        sensitivity_figure(morris, "sensitivity-levers"),
        discovery_figure(found.to_dict(), "oversupply-discovery"),
        effects_figure(table, list(dict.fromkeys(table["metric"])), "baseline"),
    ]
    for fig in figures:
        assert style.out_of_figure(fig) == [], [t.get_text() for t in style.out_of_figure(fig)]
