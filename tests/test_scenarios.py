"""Scenario files: every malformed file is refused with one precise line, and
good files expand into the designs they describe."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.cli import main
from sim.experiments.design import count_points, expand
from sim.experiments.loader import ScenarioError, load_scenario
from sim.experiments.seeds import run_seed
from sim.levers import BY_NAME

ROOT = Path(__file__).resolve().parents[1]
BAD = sorted((ROOT / "tests/data/bad_scenarios").glob("*.yaml"))
GOOD = sorted((ROOT / "scenarios").glob("*.yaml"))
EXPECT = re.compile(r"^# expect: (\S+)(?: line (\d+))?(?: hint (.+?))?(?: file (\S+))?$")


def expectation(path: Path) -> tuple[str, int | None, str | None, str]:
    match = EXPECT.match(path.read_text().splitlines()[0] if path.stat().st_size else "")
    assert match, f"{path.name} must start with '# expect: FIELD [line N] [hint TEXT] [file F]'"
    field, line, hint, file = match.groups()
    return field, int(line) if line else None, hint, file or path.name


def test_there_are_enough_bad_files():
    assert len(BAD) >= 20


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.stem)
def test_validate_refuses_bad_file(path, capsys, monkeypatch, tmp_path):
    field, line, hint, file = expectation(path)
    monkeypatch.chdir(ROOT)
    rel = path.relative_to(ROOT)
    assert main(["validate", str(rel)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    message = err.strip()
    assert "\n" not in message, message
    m = re.match(r"^(.+?):(\d+): (\S+): (.+)$", message)  # FILE:LINE first, as editors expect
    assert m, message
    shown_file, shown_line, shown_field, rest = m.groups()
    assert shown_file.endswith(file), message
    assert shown_field == field, message
    if line is not None:
        assert int(shown_line) == line, message
    if hint is not None:
        assert hint in rest, message
    assert re.search(r"\(.+\)$", rest), f"no '(what is allowed)': {message}"


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.stem)
def test_run_refuses_bad_file_and_writes_nothing(path, capsys, monkeypatch, tmp_path):
    field, *_ = expectation(path)
    out_dir = tmp_path / "out"
    monkeypatch.chdir(tmp_path)  # so a default results/<name>/ would land here
    assert main(["run", str(path), "--out", str(out_dir), "--quiet", "--no-plots"]) == 2
    assert f": {field}: " in capsys.readouterr().err
    assert not out_dir.exists()
    assert list(tmp_path.iterdir()) == []


def test_validate_reports_run_counts(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert main(["validate", *[str(p.relative_to(ROOT)) for p in GOOD]]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == len(GOOD)
    by_name = {line.split(":")[0]: line for line in lines}
    assert "= 10 run(s) of 120 months" in by_name["scenarios/baseline.yaml"]
    assert (
        "9 point(s) (grid) x 3 replication(s) = 27 run(s)"
        in by_name["scenarios/crowdfunding_sweep.yaml"]
    )
    assert "= 128 run(s)" in by_name["scenarios/subsidy_sobol.yaml"]


def test_validate_keeps_going_after_a_bad_file(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    code = main(
        ["validate", "tests/data/bad_scenarios/unknown_key.yaml", "scenarios/baseline.yaml"]
    )
    assert code == 2
    captured = capsys.readouterr()
    assert "baseline.yaml: ok" in captured.out and "monts" in captured.err


def test_max_runs_and_force(tmp_path, capsys):
    path = tmp_path / "s.yaml"
    path.write_text(
        "name: s\nreplications: 50\nsweep:\n  design: grid\n  factors:\n    mentorship: [0.1, 0.2, 0.3]\n"
    )
    assert main(["validate", str(path), "--max-runs", "100"]) == 2
    assert f"{path}:3: sweep: expands to 150 runs" in capsys.readouterr().err
    assert main(["validate", str(path), "--max-runs", "100", "--force"]) == 0
    assert main(["validate", str(path), "--max-runs", "150"]) == 0


def test_baseline_is_the_default_economy():
    s = load_scenario(ROOT / "scenarios/baseline.yaml").scenario
    assert (s.start, s.months, s.sweep, s.levers) == ("2014-01", 120, None, {})
    assert s.kept_outputs == tuple(__import__("sim.outcomes").outcomes.NAMES)


def test_extends_merges_levers_replaces_sweep_and_null_removes(tmp_path):
    (tmp_path / "base.yaml").write_text(
        "name: base\nmonths: 24\nlevers:\n  mentorship: 0.5\n  registration_cost: 100\n"
        "parameters: {scale: 0.2}\nsweep:\n  design: grid\n  factors: {failure_tolerance: [0.1, 0.2]}\n"
        "tags: [a]\n"
    )
    (tmp_path / "child.yaml").write_text(
        "name: child\nextends: base.yaml\nlevers:\n  registration_cost: 1e4\n  graduate_grant: 5\n"
        "sweep:\n  design: list\n  factors: {mentorship: [0.1]}\ntags: null\n"
    )
    loaded = load_scenario(tmp_path / "child.yaml")
    s = loaded.scenario
    assert s.name == "child" and s.months == 24 and s.parameters == {"scale": 0.2}
    assert s.levers == {"mentorship": 0.5, "registration_cost": 10000.0, "graduate_grant": 5.0}
    assert s.sweep.design == "list" and list(s.sweep.factors) == ["mentorship"]
    assert s.tags == []
    # the resolved text is itself a valid scenario with the same meaning
    again = load_scenario(yaml.safe_load(loaded.text))
    assert again.hash == loaded.hash
    assert loaded.error(("levers", "registration_cost"), "x").line == 4
    assert loaded.error(("levers", "mentorship"), "x").file.endswith("base.yaml")


def test_schedules_are_normalised_and_checked():
    loaded = load_scenario(
        {"name": "s", "levers": {"makerspace_subsidy_rate": {"2016-01": 100, "2014-01": "2e2"}}}
    )
    assert loaded.scenario.levers["makerspace_subsidy_rate"] == {"2014-01": 200.0, "2016-01": 100.0}
    with pytest.raises(
        ScenarioError, match=r"levers\.makerspace_subsidy_rate: -1 is out of range \(a number in"
    ):
        load_scenario({"name": "s", "levers": {"makerspace_subsidy_rate": {"2016-01": -1}}})


def test_dict_errors_have_no_line():
    with pytest.raises(ScenarioError) as info:
        load_scenario({"name": "s", "levers": {"mentorshipp": 1}})
    assert (
        str(info.value)
        == "<scenario>: levers.mentorshipp: unknown lever 'mentorshipp' (did you mean 'mentorship'?)"
    )


def _scenario(design: str, factors: dict, **sweep) -> dict:
    return {"name": "d", "seed": 11, "sweep": {"design": design, "factors": factors, **sweep}}


@pytest.mark.parametrize(
    "spec, expected",
    [
        (
            _scenario(
                "grid", {"mentorship": [0.1, 0.2, 0.3], "crowdfunding_enabled": [True, False]}
            ),
            6,
        ),
        (
            _scenario(
                "list", {"mentorship": [0.1, 0.2, 0.3], "failure_tolerance": [0.4, 0.5, 0.6]}
            ),
            3,
        ),
        (
            _scenario("lhs", {"mentorship": [0.1, 0.9], "local_target_spaces": [0, 4]}, samples=17),
            17,
        ),
        (
            _scenario(
                "sobol", {"mentorship": [0.1, 0.9], "local_target_spaces": [0, 4]}, samples=8
            ),
            8 * 6,
        ),
        (_scenario("sobol", {"mentorship": [0.1, 0.9]}, samples=8, second_order=False), 8 * 3),
        (
            _scenario(
                "morris",
                {"mentorship": [0.1, 0.9], "makerspace_subsidy_mode": ["per_seat", "none"]},
                samples=5,
            ),
            5 * 3,
        ),
    ],
    ids=["grid", "list", "lhs", "sobol", "sobol-first-order", "morris"],
)
def test_designs_expand_to_counted_points_within_ranges(spec, expected):
    s = load_scenario(spec).scenario
    design = expand(s)
    assert count_points(s.sweep) == len(design) == expected
    again = expand(load_scenario(spec).scenario)
    assert again.points == design.points  # the design depends only on the file
    for point in design.points:
        for name, value in point.items():
            BY_NAME[name].check(value)  # raises when out of range or of the wrong type
            if BY_NAME[name].type == "integer":
                assert isinstance(value, int)
    if s.sweep.design == "grid":
        assert {(p["mentorship"], p["crowdfunding_enabled"]) for p in design.points} == {
            (m, c) for m in (0.1, 0.2, 0.3) for c in (True, False)
        }
    if s.sweep.design == "lhs":  # one sample in each of the 17 strata of each real factor
        strata = sorted(int((p["mentorship"] - 0.1) / 0.8 * 17) for p in design.points)
        assert strata == list(range(17))


def test_list_points_and_grid_schedules():
    s = load_scenario(
        {
            "name": "l",
            "sweep": {
                "design": "list",
                "points": [
                    {"makerspace_subsidy_mode": "per_seat", "makerspace_subsidy_rate": 500},
                    {"makerspace_subsidy_rate": {"2014-01": 0, "2015-06": 300}},
                ],
            },
        }
    ).scenario
    design = expand(s)
    assert design.factors == ("makerspace_subsidy_mode", "makerspace_subsidy_rate")
    assert design.points[1]["makerspace_subsidy_rate"] == {"2014-01": 0.0, "2015-06": 300.0}
    # a factor a point leaves out takes the scenario's (here the catalogue's) value
    assert design.points[1]["makerspace_subsidy_mode"] == BY_NAME["makerspace_subsidy_mode"].default
    assert design.column_types() == {
        "makerspace_subsidy_mode": "string",
        "makerspace_subsidy_rate": "string",
    }


def test_seeds_come_from_seed_sequence_and_differ():
    seeds = {run_seed(5, p, r) for p in range(30) for r in range(30)}
    assert len(seeds) == 900
    expected = np.random.SeedSequence(5, spawn_key=(3, 7)).generate_state(1, np.uint64)[
        0
    ] >> np.uint64(1)
    assert run_seed(5, 3, 7) == int(expected)
    assert run_seed(5, 3, 7) == int(
        np.random.SeedSequence(5).spawn(4)[3].spawn(8)[7].generate_state(1, np.uint64)[0]
        >> np.uint64(1)
    )
    assert all(0 <= s < 2**63 for s in seeds)


_NUMERIC = [p for p in BY_NAME.values() if p.type in ("real", "integer") and p.kind != "constant"]


@given(data=st.data())
@settings(max_examples=60, deadline=None)
def test_any_value_in_range_round_trips_and_any_outside_is_refused(data):
    param = data.draw(st.sampled_from(_NUMERIC))
    key = "levers" if param.kind == "lever" else "parameters"
    lo, hi = param.min, param.max
    if param.type == "integer":
        value = data.draw(st.integers(int(lo), int(hi)))
    else:
        value = data.draw(st.floats(lo, hi, allow_nan=False))
    loaded = load_scenario({"name": "p", key: {param.name: value}})
    assert load_scenario(yaml.safe_load(loaded.text)).hash == loaded.hash
    outside = hi + max(1.0, abs(hi)) if data.draw(st.booleans()) else lo - max(1.0, abs(lo))
    with pytest.raises(ScenarioError) as info:
        load_scenario({"name": "p", key: {param.name: outside}})
    assert info.value.field == f"{key}.{param.name}"
