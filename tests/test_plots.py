"""Figures, comparisons and reports from small synthetic results folders.

Each command must produce its files; a PNG must not be blank and must have
the size the style promises; the report must be one self-contained HTML
file; and a bad folder or unknown metric must give a one-line error that
names it and what exists.
"""

from __future__ import annotations

import csv
import re
from html.parser import HTMLParser
from pathlib import Path

import matplotlib.image as mpimg
import numpy as np
import pytest
from _plots_synthetic import write_results

from sim.cli import main
from sim.plots import style
from sim.plots.data import bands, load

SWEEP = {"registration_cost": [1000.0, 5000.0], "crowdfunding_cap": [500_000.0, 2_000_000.0]}


@pytest.fixture(scope="module")
def single(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_results(tmp_path_factory.mktemp("r") / "baseline", name="baseline", months=30)


@pytest.fixture(scope="module")
def swept(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_results(
        tmp_path_factory.mktemp("r") / "sweep",
        name="what-if",
        sweep=SWEEP,
        replications=2,
        months=18,
        failed=1,
    )


def assert_picture(path: Path, size: tuple[int, int] | None = None) -> None:
    """The file is a PNG of the expected pixel size with something drawn on it."""
    assert path.is_file() and path.suffix == ".png", path
    img = mpimg.imread(path)
    if size is not None:
        assert img.shape[1] == pytest.approx(size[0], abs=2), (path, img.shape)
        assert img.shape[0] == pytest.approx(size[1], abs=2), (path, img.shape)
    assert float(np.var(img[..., :3])) > 1e-3, f"{path} looks blank"


def test_bands_are_ordered_and_count_replications(swept: Path) -> None:
    res = load(swept)
    b = bands(res.tidy, "startups_alive", "point")
    assert set(b["n"]) == {2}
    assert (b["p5"] <= b["median"] + 1e-9).all() and (b["median"] <= b["p95"] + 1e-9).all()
    assert (b["p5"] <= b["mean"] + 1e-9).all() and (b["mean"] <= b["p95"] + 1e-9).all()
    assert res.swept == ["registration_cost", "crowdfunding_cap"]
    assert len(res.failed_runs) == 1 and len(res.done_runs) == 8


def test_number_formats_are_readable() -> None:
    assert style.fmt_number(1234567) == "1.23m"
    assert style.fmt_number(2_000_000) == "2m"
    assert style.fmt_number(12_345) == "12,345"
    assert style.fmt_number(3.2e9) == "3.2bn"
    assert style.fmt_value(0.256, "share") == "25.6 %"
    assert style.axis_label("revenue") == "yuan per month"
    assert style.axis_label("seats") == "seats"


def test_plot_draws_default_views_of_a_single_scenario(single: Path, capsys) -> None:
    assert main(["plot", str(single)]) == 0
    printed = capsys.readouterr().out.split()
    plots = single / "plots"
    assert (plots / "startups_alive.png").is_file()
    assert (plots / "oversupply.png").is_file()
    assert not list(plots.glob("sweep_*"))  # nothing is swept
    w, h = style.CURVE_SIZE
    assert_picture(plots / "startups_alive.png", (round(w * style.DPI), round(h * style.DPI)))
    assert_picture(plots / "oversupply.png", (round(11 * style.DPI), round(7.6 * style.DPI)))
    assert str(plots / "startups_alive.png") in printed


def test_plot_metric_by_lever_and_formats(swept: Path) -> None:
    assert main(["plot", str(swept), "--metric", "seats", "--by", "registration_cost"]) == 0
    assert_picture(swept / "plots" / "seats_by_registration_cost.png")
    assert main(["plot", str(swept), "--metric", "jobs", "--format", "svg"]) == 0
    text = (swept / "plots" / "jobs.svg").read_text()
    assert text.lstrip().startswith("<?xml") and "<svg" in text


def test_sweep_views_and_heat_maps(swept: Path) -> None:
    assert main(["plot", str(swept)]) == 0
    plots = swept / "plots"
    for name in ("sweep_registration_cost", "sweep_crowdfunding_cap", "heatmap_startups_alive"):
        assert_picture(plots / f"{name}.png")
    assert len(list(plots.glob("oversupply_point*.png"))) == 4


def test_list_design_gets_one_row_per_case(tmp_path: Path) -> None:
    cases = {
        "makerspace_subsidy_mode": ["per_space", "per_seat", "per_surviving_startup"],
        "makerspace_subsidy_rate": [15000.0, 500.0, 3000.0],
    }
    folder = write_results(tmp_path / "modes", sweep=cases, paired=True, months=12, replications=2)
    assert main(["plot", str(folder)]) == 0
    plots = folder / "plots"
    assert_picture(plots / "sweep_cases.png")
    assert not list(plots.glob("heatmap_*")) and not list(plots.glob("sweep_makerspace*"))


def test_compare_overlays_and_writes_the_table(single: Path, tmp_path: Path, capsys) -> None:
    other = write_results(tmp_path / "boosted", name="boosted", months=30, boost=1.4, seed=9)
    out = tmp_path / "cmp"
    code = main(
        [
            "compare",
            str(single),
            str(other),
            "--metric",
            "startups_alive",
            "--metric",
            "occupancy_rate",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert "baseline" in printed and "boosted" in printed and "%" in printed
    assert_picture(out / "compare_startups_alive.png")
    with open(out / "final_values.csv") as f:
        rows = list(csv.DictReader(f))
    assert {r["scenario"] for r in rows} == {"baseline", "boosted"}
    assert {"mean", "p5", "p95"} <= set(rows[0])
    boosted = [
        float(r["mean"])
        for r in rows
        if r["scenario"] == "boosted" and r["metric"] == "startups_alive"
    ]
    base = [
        float(r["mean"])
        for r in rows
        if r["scenario"] == "baseline" and r["metric"] == "startups_alive"
    ]
    assert boosted[0] > base[0]


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.images: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "img":
            self.images.append(a.get("src") or "")
        for key in ("href", "src"):
            if a.get(key):
                self.links.append(a[key] or "")


def test_report_is_self_contained(swept: Path, capsys) -> None:
    assert main(["report", str(swept)]) == 0
    report = swept / "report.html"
    assert capsys.readouterr().out.strip().endswith("report.html")
    text = report.read_text(encoding="utf-8")
    parser = _Collector()
    parser.feed(text)
    pngs = list((swept / "plots").glob("*.png"))
    assert len(parser.images) == len(pngs) >= 10
    assert all(src.startswith("data:image/png;base64,") for src in parser.images)
    assert not [u for u in parser.links if re.match(r"(https?:)?//", u)]
    assert "<link" not in text and "@import" not in text
    assert "what-if" in text and "Synthetic scenario" in text
    assert "makerspace_subsidy_mode" in text and "per_seat" in text  # lever differing from default
    assert "State Council Guideline" in text  # its source
    assert "synthetic failure" in text  # failed run shown
    assert "Final values" in text and "registration cost = 1,000 yuan" in text
    assert (swept / "final_values.csv").is_file()


@pytest.mark.parametrize(
    ("argv", "needles"),
    [
        (["plot", "{missing}"], ["no results folder", "missing"]),
        (["plot", "{notres}"], ["not a results folder", "timeseries.parquet", "notes.txt"]),
        (
            ["plot", "{single}", "--metric", "startups_alvie"],
            ["startups_alvie", "startups_alive", "available:"],
        ),
        (["plot", "{single}", "--by", "registration_cost"], ["registration_cost", "not swept"]),
        (["compare", "{single}", "{missing}"], ["missing"]),
        (["report", "{notres}"], ["not a results folder"]),
    ],
)
def test_bad_input_gives_one_line_error(
    single: Path, tmp_path: Path, capsys, argv, needles
) -> None:
    notres = tmp_path / "notres"
    notres.mkdir()
    (notres / "notes.txt").write_text("x")
    paths = {"missing": str(tmp_path / "missing"), "notres": str(notres), "single": str(single)}
    code = main([a.format(**paths) for a in argv])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("error: ") and err.count("\n") == 1, err
    for needle in needles:
        assert needle in err, (needle, err)


def test_groups_sort_as_numbers_whatever_their_number_type():
    import numpy as np

    from sim.plots.data import sort_key

    values = [np.int64(100), np.int64(20), 5, "None", 2.5]
    assert sorted(values, key=sort_key) == [2.5, 5, 20, 100, "None"]
