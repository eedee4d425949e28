"""The real chain: a tiny scenario through the model and runner, then every figure and the report.

Synthetic folders test the plotting code; this test checks that the folders
the runner really writes (string run ids, factor columns, the manifest it
really writes) plot and report without surprises.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import matplotlib.image as mpimg
import numpy as np
import pytest

import sim
from sim.cli import main

TINY = {
    "name": "tiny-e2e",
    "description": "Two registration costs, a schedule and crowdfunding, tiny and short.",
    "start": "2014-01",
    "months": 18,
    "replications": 2,
    "seed": 11,
    "parameters": {"scale": 0.1},
    "levers": {
        "makerspace_subsidy_mode": "per_seat",
        "crowdfunding_enabled": {"2014-01": False, "2014-06": True},
    },
    "sweep": {"design": "grid", "factors": {"registration_cost": [0, 20000]}},
    "plots": ["startups_alive", {"metric": "founders_entered", "by": "registration_cost"}],
}


class _Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.src: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.src.append(dict(attrs).get("src") or "")


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("e2e") / "tiny"
    results = sim.run_experiment(TINY, out=out, workers=1, quiet=True)
    assert results.n_done == 4 and results.n_failed == 0
    return out


def test_run_experiment_draws_plots_and_report(tiny: Path) -> None:
    plots = tiny / "plots"
    expected = [
        "startups_alive.png",
        "founders_entered_by_registration_cost.png",
        "sweep_registration_cost.png",
        "oversupply_point0.png",
        "oversupply_point1.png",
    ]
    for name in expected:
        img = mpimg.imread(plots / name)
        assert float(np.var(img[..., :3])) > 1e-3, name
    report = (tiny / "report.html").read_text(encoding="utf-8")
    parser = _Images()
    parser.feed(report)
    assert len(parser.src) == len(list(plots.glob("*.png")))
    assert all(s.startswith("data:image/png;base64,") for s in parser.src)
    assert "http://" not in report and "https://" not in report
    assert "tiny-e2e" in report and "2014-01: false → 2014-06: true" in report


def test_compare_real_folders(tiny: Path, tmp_path: Path, capsys) -> None:
    other = sim.run_experiment(
        {**{k: v for k, v in TINY.items() if k != "sweep"}, "name": "tiny-other"},
        out=tmp_path / "other",
        workers=1,
        quiet=True,
        plots=False,
    )
    out = tmp_path / "cmp"
    assert main(["compare", str(tiny), str(other.path), "--metric", "jobs", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "tiny-e2e" in printed and "tiny-other" in printed
    assert (out / "compare_jobs.png").is_file() and (out / "final_values.csv").is_file()
