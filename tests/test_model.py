"""The model runs, reports its contract, repeats itself, and keeps its books."""

import math
import random

import mesa
import numpy as np
import pandas as pd
import pytest

from sim.agents import AngelInvestor, CrowdfundingPlatform, Entrepreneur, GovernmentFund, Makerspace
from sim.agents.entrepreneur import EXITED
from sim.cohorts import pooled_survival, survival
from sim.evaluation import evaluate, simulate
from sim.levers import UnknownParameterError
from sim.model import StartupEcosystem
from sim.outcomes import BY_NAME, NAMES
from sim.regions import REGIONS

CONTRACT = [
    "month",
    "date",
    "founders_entered",
    "startups_alive",
    "startups_failed",
    "startups_exited",
    "jobs",
    "makerspaces_open",
    "makerspaces_opened",
    "makerspaces_closed",
    "seats",
    "seats_occupied",
    "occupancy_rate",
    "occupancy_rate_government",
    "operator_revenue",
    "operator_cost",
    "angels_active",
    "angel_investment",
    "guidance_fund_investment",
    "crowdfunding_raised",
    "grants_paid",
    "subsidies_paid",
    "public_spending",
    "cumulative_public_spending",
]


def test_reporters_keep_the_column_contract(small_model):
    frame = small_model.datacollector.get_model_vars_dataframe()
    assert set(CONTRACT) <= set(frame.columns)
    assert set(NAMES) <= set(frame.columns)
    assert len(frame) == 37  # the initial state and 36 months
    # the first step is the start month; row 0 is the state before it
    assert list(frame["date"].iloc[[0, 1, 12, 36]]) == ["2013-12", "2014-01", "2014-12", "2016-12"]


def test_every_kind_of_agent_is_a_mesa_agent(small_model):
    kinds = {type(a) for a in small_model.agents}
    assert {Entrepreneur, Makerspace, AngelInvestor, GovernmentFund, CrowdfundingPlatform} <= kinds
    assert all(isinstance(a, mesa.Agent) for a in small_model.agents)
    assert len(REGIONS) >= 3
    assert len(small_model.local_funds) == len(REGIONS)


def test_start_month_moves_the_calendar():
    model = StartupEcosystem(rng=1, scale=0.1, start="2015-11")
    model.step()
    assert model.date == "2015-11"
    model.step()
    model.step()
    assert model.date == "2016-01"


def test_same_seed_same_run_other_seed_other_run():
    a = simulate({"scale": 0.2}, seed=11, months=24)
    b = simulate({"scale": 0.2}, seed=11, months=24)
    c = simulate({"scale": 0.2}, seed=12, months=24)
    assert a.equals(b)
    assert not a.equals(c)


def test_scale_multiplies_the_populations():
    small = StartupEcosystem(rng=2, scale=0.1)
    large = StartupEcosystem(rng=2, scale=1.0)
    n_small = len(small.agents_by_type[Entrepreneur])
    n_large = len(large.agents_by_type[Entrepreneur])
    assert 8 < n_large / n_small < 12
    assert len(large.agents_by_type[AngelInvestor]) > 5 * len(small.agents_by_type[AngelInvestor])


def test_a_mesa_scenario_gives_the_same_run_as_keywords():
    """Mesa 3.5's own examples take a Scenario; the model does too."""
    from sim.model import EcosystemScenario

    levers = {
        "scale": 0.1,
        "mentorship": 0.5,
        "crowdfunding_enabled": {"2014-01": False, "2014-04": True},
    }
    by_keywords = StartupEcosystem(rng=5, **levers)
    by_scenario = StartupEcosystem(scenario=EcosystemScenario(rng=5, **levers))
    for _ in range(8):
        by_keywords.step()
        by_scenario.step()
    a = by_keywords.datacollector.get_model_vars_dataframe()
    b = by_scenario.datacollector.get_model_vars_dataframe()
    pd.testing.assert_frame_equal(a, b)
    assert by_scenario.scenario.mentorship == 0.5 and by_scenario.scenario.model is by_scenario
    assert dict(by_keywords.scenario)["mentorship"] == 0.5  # keywords end up in a scenario too
    with pytest.raises(UnknownParameterError, match="did you mean 'mentorship'"):
        StartupEcosystem(scenario=EcosystemScenario(rng=1, mentorshp=0.5))
    with pytest.raises(TypeError, match="not both"):
        StartupEcosystem(scenario=EcosystemScenario(rng=1), scale=0.1)


def test_mesa_batch_run_runs_the_model():
    results = mesa.batch_run(
        StartupEcosystem,
        parameters={"scale": 0.1, "registration_cost": [0.0, 20000.0]},
        rng=[1, 2],
        max_steps=6,
        number_processes=1,
        data_collection_period=-1,
        display_progress=False,
    )
    assert len(results) == 4
    assert {"startups_alive", "occupancy_rate", "registration_cost"} <= results[0].keys()


def test_evaluate_is_a_plain_function_of_levers():
    out = evaluate({"scale": 0.1, "crowdfunding_enabled": True}, seed=3, months=12)
    assert set(NAMES) <= out.keys()
    assert all(isinstance(v, float) for v in out.values())
    assert math.isfinite(out["startups_alive"]) and math.isfinite(out["cumulative_public_spending"])
    again = evaluate(scale=0.1, crowdfunding_enabled=True, seed=3, months=12)
    assert np.allclose(list(out.values()), [again[k] for k in out], equal_nan=True, rtol=0)


def test_cohort_survival_is_computable_after_a_run():
    model = StartupEcosystem(rng=5, scale=0.3)
    for _ in range(60):
        model.step()
    table = survival(model, years=3)
    assert {"cohort", "ventures", "year_1", "year_2", "year_3"} <= set(table.columns)
    first = table.iloc[0]
    assert first["ventures"] > 0
    assert 1.0 >= first["year_1"] >= first["year_2"] >= first["year_3"] >= 0.0
    pooled = pooled_survival(model, years=3)
    assert all(0.0 < s < 1.0 for s in pooled)


def check_invariants(model):
    """What must hold in every month of every run."""
    for spaces in model.spaces_by_region:
        for s in spaces:
            assert 0 <= s.used <= s.seats
            assert s.used == sum(v.seats_used for v in s.occupants)
            assert s.free_places_used == sum(v.seats_used for v in s.occupants if v.free_place)
            assert all(v.space is s for v in s.occupants)
            qualities = [v.quality for v in s.occupants]
            assert s.peer_quality() == pytest.approx(np.mean(qualities) if qualities else 0.0)
            assert s.is_open and model.ledger.is_open(s.account)
    for v in model.ventures():
        assert v.staff >= 0 and v.seats_used >= 1
        assert model.ledger.balance[v.account] >= 0.0
        assert v.stage in (0, 1, 2)
        assert model.ledger.is_open(v.account)
        assert 0.0 <= v.founder_share <= 1.0
    assert all(v.stage < EXITED for v in model.episodes)  # an ending venture ends its episode
    for angels in model.angels_by_region:
        assert all(a.active and model.ledger.is_open(a.account) for a in angels)
    balances = np.array(model.ledger.balance[1:])
    assert (balances >= -1e-6).all()
    for r in range(len(model.spaces_by_region)):
        assert 0.0 <= model.founders_view(r).funded_share <= 1.0
    for name in NAMES:
        value = model.outcomes[name]
        undefined = math.isnan(value) and BY_NAME[name].unit in ("share", "ratio")
        assert value >= 0 or undefined, name  # counters, stocks and flows are never negative
    assert model.outcomes["seats_occupied"] <= model.outcomes["seats"]
    assert (
        model.outcomes["empty_seats"] == model.outcomes["seats"] - model.outcomes["seats_occupied"]
    )
    assert 0.0 <= model.outcomes["occupancy_rate"] <= 1.0 or not model.outcomes["seats"]
    # the one-pass reporter agrees with a plain recount of the ventures
    ventures = list(model.ventures())
    out = model.outcomes
    assert out["startups_alive"] == len(ventures)
    assert out["startups_seed"] == sum(v.stage == 1 for v in ventures)
    assert out["startups_growth"] == sum(v.stage == 2 for v in ventures)
    assert out["jobs"] == sum(1 + v.staff for v in ventures)
    assert out["founders_in_makerspaces"] == sum(v.space is not None for v in ventures)
    assert out["revenue"] == pytest.approx(sum(v.revenue for v in ventures if v.stage))
    assert all(v.revenue == 0.0 for v in ventures if v.stage == 0)  # what the pass relies on
    for r in range(len(model.spaces_by_region)):
        here = [v for v in ventures if v.region == r]
        assert model.trading[r] == sum(1 for v in here if v.stage)
        typical = np.mean([v.quality for v in here]) if here else 1.0
        assert model.typical_quality[r] == pytest.approx(typical)


def test_invariants_hold_every_month_under_busy_policy():
    model = StartupEcosystem(
        rng=9,
        scale=0.3,
        makerspace_subsidy_mode="per_seat",
        makerspace_subsidy_rate=600.0,
        local_target_spaces=80,
        crowdfunding_enabled=True,
        guidance_coinvest_ratio=1.0,
        graduate_grant=20000.0,
        graduate_free_places=0.5,
        bank_tech_lending=6.0,
        competition_prize_pool=2_000_000.0,
        accreditation_min_occupancy={"2014-01": 0.0, "2016-01": 0.5},
    )
    for _ in range(48):
        model.step()
        check_invariants(model)


def test_public_funds_never_spend_more_than_their_budget():
    budget = 2_000_000.0
    model = StartupEcosystem(rng=4, scale=0.3, graduate_grant=200_000.0, central_budget=budget)
    for _ in range(12):  # January to December 2014: one budget year
        model.step()
    fund = model.central_fund
    year_budget = budget * 0.3
    assert fund.spent["graduate_grant"] > 0.5 * year_budget  # the programme ran ...
    assert sum(fund.spent.values()) <= year_budget + 1e-6  # ... and stopped when the money was gone
    assert model.ledger.balance[fund.account] >= 0.0
    model.step()  # January: a new budget arrives and grants resume
    assert fund.spent["graduate_grant"] <= 2 * year_budget + 1e-6


@pytest.mark.parametrize("lag", [0, 12])
def test_operators_see_the_figures_of_lag_months_ago_and_part_of_what_opened_since(lag):
    model = StartupEcosystem(rng=1, scale=0.2, observation_lag=lag, spin_up=24)
    for _ in range(14):
        model.step()
    model.published_cache.clear()
    history = list(model.history[0])
    past = history[len(history) - 1 - lag]
    seen = model.published(0)
    assert (seen.occupied, seen.seats, seen.unmet) == (past.occupied, past.seats, past.unmet)
    since = sum(f.seats_opened - f.seats_closed for f in history[len(history) - lag :])
    assert seen.seats_since == pytest.approx(model.k.pipeline_visibility * since)


def test_activation_order_is_shuffle_do_and_steps_only_agents_still_there(monkeypatch):
    """``StartupEcosystem.activate`` promises shuffle_do's order draw for draw,
    and leaves out shuffle_do's membership check because an agent is removed
    only in its own step: both are checked here, on a busy economy where
    ventures fail and exit, spaces close and angels leave."""
    model = StartupEcosystem(
        rng=3,
        scale=0.3,
        makerspace_subsidy_mode="per_seat",
        makerspace_subsidy_rate=600.0,
        local_target_spaces=60,
        subsidy_taper=[1.0, 0.0],
        crowdfunding_enabled=True,
        regional_equity_market=1.0,
        collect=False,
    )
    ventures = model.agents_by_type[Entrepreneur]
    twin = random.Random()
    twin.setstate(model.random.getstate())
    expected = list(ventures)
    twin.shuffle(expected)
    seen = []
    monkeypatch.setattr(Entrepreneur, "step", lambda self: seen.append(self))
    model.activate(Entrepreneur)
    assert seen == expected
    monkeypatch.undo()

    stepped_gone = []
    for kind in (Entrepreneur, Makerspace, AngelInvestor):
        original = kind.step

        def guarded(self, original=original, kind=kind):
            if self not in self.model.agents_by_type[kind]:
                stepped_gone.append(self)
            original(self)

        monkeypatch.setattr(kind, "step", guarded)
    before = dict(model.cumulative)
    for _ in range(36):
        model.step()
    ended = {n: model.cumulative[n] - before.get(n, 0) for n in model.cumulative}
    assert ended["startups_failed"] > 0 and ended["startups_exited"] > 0
    assert ended["makerspaces_closed"] > 0
    assert stepped_gone == []
