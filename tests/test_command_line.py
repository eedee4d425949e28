"""From a new user's walkthrough: ``sim --version``, one lever in full, the
outcomes with units, one way to write a number, a report that shows wall time
and only the scenario keys its design uses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import sim
from sim.cli import main
from sim.experiments.loader import load_scenario
from sim.levers import CATALOGUE, LEVERS
from sim.outcomes import OUTCOMES


def test_version(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.strip() == f"sim {sim.__version__}"


def test_one_lever_in_full_with_its_description_and_source(capsys):
    lever = LEVERS[0]
    assert main(["levers", lever.name]) == 0
    out = capsys.readouterr().out
    flat = " ".join(out.split())
    assert " ".join(lever.description.split()) in flat
    assert " ".join(lever.source.split()) in flat
    assert lever.unit in out and "default" in out


def test_an_unknown_lever_names_the_closest(capsys):
    assert main(["levers", LEVERS[0].name[:-1]]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and f"did you mean '{LEVERS[0].name}'" in err


def test_outcomes_are_listed_with_their_units(capsys):
    assert main(["outcomes"]) == 0
    out = capsys.readouterr().out
    for o in OUTCOMES:
        line = next(line for line in out.splitlines() if line.startswith(o.name + " "))
        assert o.unit in line and o.description in line


def test_a_number_is_written_one_way_in_the_catalogue(capsys):
    assert main(["levers", "--all"]) == 0
    table = capsys.readouterr().out
    page = Path(__file__).parents[1].joinpath("docs", "levers.md").read_text()
    for text in (table, page):
        assert not re.search(r"\d[eE][+-]?\d", text), "no exponents beside separated numbers"
        assert not re.search(r"(?<![\d,.])\d{5,}(?![\d,])", text.replace("YYYY-MM", "")), (
            "five digits or more get thousands separators"
        )
    big = [p for p in CATALOGUE if p.max is not None and p.max >= 1e6]
    for p in big:  # the same number the same way in a message as in the table
        assert f"{p.max:,.0f}" in p.allowed()


def test_resolved_scenario_shows_only_the_keys_its_design_uses():
    lhs = load_scenario(
        {"name": "x", "sweep": {"design": "lhs", "samples": 4, "factors": {"mentorship": [0, 1]}}}
    )
    assert "second_order" not in lhs.text and "levels" not in lhs.text
    sobol = load_scenario(
        {"name": "x", "sweep": {"design": "sobol", "samples": 4, "factors": {"mentorship": [0, 1]}}}
    )
    assert "second_order" in sobol.text and "levels" not in sobol.text
    assert lhs.plain()["sweep"]["levels"] == 4  # the hash still sees every key


def test_report_shows_wall_time_beside_the_summed_run_time(tmp_path):
    spec = {"name": "tiny", "months": 3, "replications": 2, "parameters": {"scale": 0.05}}
    res = sim.run_experiment(spec, out=tmp_path / "tiny", workers=1, quiet=True)
    page = (res.path / "report.html").read_text()
    assert "wall time" in page and "run time summed over runs" in page
