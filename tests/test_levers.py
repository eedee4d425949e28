"""The lever catalogue: complete, validated, documented, and true to the docs."""

import json
from pathlib import Path

import pytest

from sim import catalogue_docs
from sim.cli import main
from sim.levers import BY_NAME, CATALOGUE, LEVERS, resolve
from sim.model import StartupEcosystem
from sim.schedule import Schedule

BRIEF_LEVERS = [
    "makerspace_subsidy_mode",
    "makerspace_subsidy_rate",
    "subsidy_taper",
    "local_target_spaces",
    "local_target_date",
    "idle_building_share",
    "registration_cost",
    "registration_delay",
    "graduate_grant",
    "graduate_free_places",
    "rd_stock_options",
    "guidance_coinvest_ratio",
    "angel_tax_credit",
    "crowdfunding_enabled",
    "crowdfunding_cap",
    "crowdfunding_fee",
    "regional_equity_market",
    "bank_tech_lending",
    "competition_prize_pool",
    "mentorship",
    "failure_tolerance",
    "facility_sharing",
    "patent_fast_track",
    "accreditation_min_occupancy",
]


def test_every_lever_of_the_brief_is_in_the_catalogue():
    assert len(LEVERS) >= 15
    for name in BRIEF_LEVERS:
        assert BY_NAME[name].kind == "lever"


@pytest.mark.parametrize("param", CATALOGUE, ids=lambda p: p.name)
def test_each_parameter_is_documented_and_its_default_valid(param):
    assert param.name.isidentifier() and param.name == param.name.lower()
    assert param.unit and param.description and param.source
    assert param.check(param.default) == param.default
    if param.type in ("real", "integer"):
        assert param.min is not None and param.max is not None
    if param.type == "categorical":
        assert param.default in param.choices


def test_unknown_name_names_the_closest_valid_one():
    with pytest.raises(KeyError, match="registration_cost"):
        StartupEcosystem(rng=1, registraton_cost=100.0)


def test_out_of_range_names_the_lever_and_range():
    with pytest.raises(ValueError, match=r"crowdfunding_fee.*\[0, 0\.3\]"):
        StartupEcosystem(rng=1, crowdfunding_fee=0.9)
    with pytest.raises(ValueError, match="makerspace_subsidy_mode"):
        resolve({"makerspace_subsidy_mode": "per_desk"})
    with pytest.raises(ValueError, match="whole number"):
        resolve({"observation_lag": 2.5})


def test_schedules_are_checked_and_step_over_calendar_months():
    params = resolve({"registration_cost": {"2015-06": 500, "2014-01": 5000}})
    schedule = params["registration_cost"]
    assert isinstance(schedule, Schedule)
    assert schedule.at(2014 * 12) == 5000.0
    assert schedule.at(2015 * 12 + 4) == 5000.0
    assert schedule.at(2015 * 12 + 5) == 500.0
    with pytest.raises(ValueError, match="registration_cost"):
        resolve({"registration_cost": {"2015-06": -1}})
    with pytest.raises(ValueError, match="registration_cost: '2015-13' is not a month"):
        resolve({"registration_cost": {"2015-13": 1}})
    with pytest.raises(ValueError, match="not a schedule"):
        resolve({"scale": {"2015-01": 2.0}})


def test_a_scheduled_lever_changes_the_run_in_its_month():
    model = StartupEcosystem(
        rng=3, scale=0.2, crowdfunding_enabled={"2014-01": False, "2014-07": True}
    )
    seen = []
    for _ in range(8):
        model.step()
        seen.append(model.lever("crowdfunding_enabled"))
    assert seen == [False] * 6 + [True] * 2
    assert model.date == "2014-08"


def test_levers_json_lists_every_field(capsys):
    assert main(["levers", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["name"] for r in rows} == {p.name for p in CATALOGUE}
    for row in rows:
        assert {
            "name",
            "unit",
            "default",
            "min",
            "max",
            "choices",
            "description",
            "source",
        } <= row.keys()


def test_levers_table_prints_levers(capsys):
    assert main(["levers"]) == 0
    out = capsys.readouterr().out
    assert "registration_cost" in out and "yuan" in out


def test_docs_page_is_generated_from_the_catalogue():
    page = Path(__file__).parents[1] / "docs" / "levers.md"
    assert page.read_text() == catalogue_docs.markdown(), "docs/levers.md is stale: run `make docs`"
