"""The dashboard without a browser: controls read off the catalogue, the model the
page runs, a lever acting from the next month, the scenario file it starts from,
what it draws. The page in a real browser: tests/test_dashboard_browser.py."""

from __future__ import annotations

import math
import re
from itertools import pairwise

import pandas as pd
import pytest

from sim.dashboard import controls as ctl
from sim.dashboard import session
from sim.levers import CATALOGUE, Parameter
from sim.model import StartupEcosystem
from sim.schedule import Schedule

VIZ = "needs the viz extra (pip install -e '.[viz]', or make dashboard)"
DEFAULTS = {p.name: p.default for p in CATALOGUE}


def frame(model) -> pd.DataFrame:
    return model.datacollector.get_model_vars_dataframe()


def live_lever() -> Parameter:
    """A schedulable real lever that acts alone and at once, to move in tests: the
    registration fee weighs on every would-be founder's decision each month (the first
    such lever in the catalogue, idle buildings, acts only when a space opens, and at
    scale 0.2 none may open in the months a test runs)."""
    p = next(p for p in CATALOGUE if p.name == "registration_cost")
    assert p.kind == "lever" and p.type == "real" and p.schedulable and not p.needs
    return p


# --- controls ---------------------------------------------------------------------


def test_every_catalogue_entry_gets_the_control_its_type_calls_for():
    made = {c.name: c for c in ctl.controls(DEFAULTS)}
    assert list(made) == [p.name for p in CATALOGUE]
    for p in CATALOGUE:
        c = made[p.name]
        assert c.group == (p.group or p.kind)
        assert p.source in c.tooltip and p.description in c.tooltip
        if p.type == "boolean":
            assert c.widget == "switch"
        elif p.type == "categorical":
            assert c.widget == "select" and c.stops == p.choices
        elif p.type in ("real", "integer") and p.min is not None and p.max is not None:
            assert c.widget == "slider"
            assert c.stops[0] == p.min and c.stops[-1] == p.max
            assert p.default in c.stops and list(c.stops) == sorted(set(c.stops))
            assert len(c.stops) <= ctl.MAX_STOPS + 2
            assert all(p.check(s) == s for s in c.stops)  # every stop is a valid value
            if p.type == "integer":
                assert all(isinstance(s, int) for s in c.stops)
        else:
            assert c.widget == "text"
        assert c.live == p.schedulable


def test_groups_follow_the_catalogue_order_levers_first():
    groups = ctl.grouped(ctl.controls(DEFAULTS))
    first_use: list[str] = []
    for kind in ctl.KIND_ORDER:
        for p in CATALOGUE:
            g = p.group or p.kind
            if p.kind == kind and g not in first_use:
                first_use.append(g)
    assert list(groups) == first_use
    assert sorted(c.name for cs in groups.values() for c in cs) == sorted(DEFAULTS)


def _param(**kw) -> Parameter:
    base = {"name": "x", "kind": "lever", "type": "real", "unit": "yuan", "default": 0.0}
    return Parameter(**{**base, "description": "d", "source": "s", **kw})


def test_wide_ranges_get_1_2_5_stops_and_narrow_ones_even_stops():
    budget = _param(default=2e7, min=0.0, max=1e11)
    assert ctl.is_wide(budget)
    stops = ctl.slider_stops(budget)
    assert 2e7 in stops and 5e9 in stops and len(stops) < 40
    ratios = {round(b / a, 6) for a, b in pairwise(stops[1:])}
    assert ratios <= {2.0, 2.5}  # 1 -> 2 -> 5 -> 10
    fee = _param(default=0.05, min=0.0, max=0.3, unit="share of money raised")
    assert not ctl.is_wide(fee)
    steps = {round(b - a, 9) for a, b in pairwise(ctl.slider_stops(fee))}
    assert len(steps) == 1 and 0.05 in ctl.slider_stops(fee)
    odd = _param(default=0.123456, min=0.0, max=1.0)  # no round grid hits it: added between
    assert 0.123456 in ctl.slider_stops(odd)


def test_a_value_from_a_file_is_a_stop_of_its_slider():
    p = live_lever()
    inside = p.min + (p.max - p.min) * 0.3337
    assert inside in ctl.control_for(p, inside).stops


def test_text_fields_are_checked_by_the_catalogue():
    taper = _param(type="fractions", default=(1.0, 0.5), min=0.0, max=1.0, unit="share")
    assert ctl.parse_text(taper, "1, 0.7; 0.3") == (1.0, 0.7, 0.3)
    assert ctl.as_text((1.0, 0.7, 0.3)) == "1, 0.7, 0.3"
    for bad in ("1, lots", "", "1.5"):
        with pytest.raises(ValueError):
            ctl.parse_text(taper, bad)
    loose = _param(type="integer", default=3)  # a number with no range: typed
    assert ctl.control_for(loose, 3).widget == "text" and ctl.parse_text(loose, " 7 ") == 7
    with pytest.raises(ValueError):
        ctl.parse_text(loose, "seven")
    month = _param(type="month", default="2020-12", unit="YYYY-MM")
    assert ctl.parse_text(month, " 2019-06 ") == "2019-06"
    with pytest.raises(ValueError):
        ctl.parse_text(month, "2019-13")


def test_shares_read_as_per_cent_and_money_with_its_unit():
    share = _param(unit="share of seats")
    assert ctl.shown_value(share, 0.25) == "25 % of seats"
    assert ctl.shown_value(_param(), 5000.0) == "5,000 yuan"
    assert ctl.shown_value(_param(type="boolean", unit="-"), True) == "on"
    assert "2015-06: 500 yuan" in ctl.shown_value(_param(), Schedule({"2015-06": 500.0}))


# --- the model the page runs -----------------------------------------------------


def test_the_page_runs_the_same_model_as_the_runner():
    p = live_lever()
    values = {**DEFAULTS, "scale": 0.1, p.name: p.max}
    page = session.build(values, seed=3)
    plain = StartupEcosystem(rng=3, scale=0.1, **{p.name: p.max})
    for _ in range(6):
        page.step()
        plain.step()
    pd.testing.assert_frame_equal(frame(page), frame(plain))
    assert set(session.DashboardScenario._scenario_defaults) == set(DEFAULTS)


def test_mesas_reset_rebuilds_it_with_the_seed_and_levers():
    """Mesa's ModelController resets with type(model)(**these kwargs): the seed
    goes into the scenario with the levers (StartupEcosystem itself would get it
    twice and refuse)."""
    pytest.importorskip("solara", reason=VIZ)
    from mesa.visualization.solara_viz import _build_model_init_kwargs

    p = live_lever()
    model = session.build({**DEFAULTS, "scale": 0.1}, seed=0)
    kwargs = _build_model_init_kwargs(
        model,
        {session.SEED_KEY: 11, **DEFAULTS, "scale": 0.1, p.name: p.max},
        add_scenario_when_empty=True,
        require_model_accepts_scenario=True,
    )
    again = type(model)(**kwargs)
    assert again.scenario.rng == 11 and again.lever(p.name) == p.max
    with pytest.raises((TypeError, ValueError)):  # why the page runs the subclass
        StartupEcosystem(**_build_model_init_kwargs(
            StartupEcosystem(rng=0, scale=0.1),
            {session.SEED_KEY: 11, p.name: p.max},
            add_scenario_when_empty=True,
            require_model_accepts_scenario=True,
        ))  # fmt: skip


def test_a_lever_moved_mid_run_acts_from_the_next_month_and_keeps_the_past():
    p = live_lever()
    model = session.build({**DEFAULTS, "scale": 0.2}, seed=5)
    for _ in range(8):
        model.step()
    change = session.apply_from_next_month(model, p.name, p.max)
    assert change.faithful and change.model.steps == 8
    assert change.month == session.next_month(model)
    pd.testing.assert_frame_equal(frame(change.model), frame(model))
    scheduled = change.model.scenario.__dict__[p.name]
    assert isinstance(scheduled, Schedule) and scheduled.points[change.month] == p.max
    # it is the run a scenario file with that schedule gives, and the lever acts
    fresh = StartupEcosystem(rng=5, scale=0.2, **{p.name: scheduled})
    for _ in range(8 + 24):
        fresh.step()
    for _ in range(24):
        change.model.step()
        model.step()
    pd.testing.assert_frame_equal(frame(change.model), frame(fresh))
    assert not frame(change.model).equals(frame(model))
    # moved again later: the earlier change stays in the schedule
    again = session.apply_from_next_month(change.model, p.name, p.min)
    points = again.model.scenario.__dict__[p.name].points
    assert points[change.month] == p.max and points[again.month] == p.min


def test_what_waits_for_reset_is_listed():
    model = session.build({**DEFAULTS, "scale": 0.1}, seed=2)
    shown = {session.SEED_KEY: 2, **DEFAULTS, "scale": 0.1}
    assert session.pending(model, shown) == []
    fixed = next(p for p in CATALOGUE if not p.schedulable and p.type in ("real", "integer"))
    other = fixed.max if fixed.default != fixed.max else fixed.min
    model.step()
    assert session.pending(model, {**shown, fixed.name: other, session.SEED_KEY: 3}) == [
        session.SEED_KEY,
        fixed.name,
    ]
    p = live_lever()
    moved = session.apply_from_next_month(model, p.name, p.max).model
    assert session.pending(moved, {**shown, p.name: p.max}) == []


def test_it_starts_from_a_scenario_file(tmp_path):
    p = live_lever()
    flag = next(q for q in CATALOGUE if q.kind == "lever" and q.type == "boolean")
    value = p.min + (p.max - p.min) / 4
    path = tmp_path / "start.yaml"
    path.write_text(
        "name: start-here\nseed: 9\nlevers:\n"
        f"  {p.name}: {value}\n  {flag.name}: {{2014-01: false, 2015-06: true}}\n"
        f"sweep:\n  design: grid\n  factors:\n    {p.name}: [{p.min}, {p.max}]\n"
    )
    start = session.start_values(path)
    assert start.seed == 9 and start.values[p.name] == value
    assert start.values[flag.name] == Schedule({"2014-01": False, "2015-06": True})
    assert any(p.name in note for note in start.notes)  # the sweep is said to be left out
    made = {c.name: c for c in ctl.controls(start.values)}
    assert made[flag.name].widget == "schedule" and value in made[p.name].stops
    model = session.build(start.values, start.seed)
    assert model.lever(flag.name) is False


def test_sim_dashboard_refuses_a_bad_scenario_file_before_serving(tmp_path, capsys):
    from sim.cli import main

    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nlevers:\n  no_such_lever: 1\n")
    assert main(["dashboard", "--scenario", str(bad), "--port", "1"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and re.match(rf"{re.escape(str(bad))}:3: levers\.no_such_lever", err[0])


# --- what the page draws -----------------------------------------------------------


def test_curves_leave_out_outcomes_the_model_does_not_report():
    from sim.dashboard import views

    panels = views.curves()
    names = {n for panel in panels for n in panel.outcomes}
    gone = sorted(names)[0]
    kept, missing = views.available(panels, names - {gone})
    assert missing == [gone]
    assert all(gone not in panel.outcomes for panel in kept)
    lone = [panel for panel in panels if panel.outcomes == (gone,)]
    assert len(kept) == len(panels) - len(lone)


def test_region_view_draws_every_open_space_in_its_region(small_model):
    pytest.importorskip("solara", reason=VIZ)
    from sim.dashboard import views

    regions = views.regions_of(small_model)
    fig = views.region_figure(small_model)
    panels = [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]
    assert [ax.get_title(loc="left") for ax in panels] == [name for name, _ in regions]
    for ax, (_name, spaces) in zip(panels, regions, strict=True):
        drawn = sum(len(c.get_offsets()) for c in ax.collections)
        assert drawn == len(spaces)
        seats = int(re.search(r"([\d,]+) seats", ax.get_xlabel()).group(1).replace(",", ""))
        assert seats == sum(s.seats for s in spaces)
    if "seats" in small_model.outcomes:
        total = sum(s.seats for _, spaces in regions for s in spaces)
        assert math.isclose(total, small_model.outcomes["seats"])
