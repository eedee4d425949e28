"""sim.evaluate under the EMA Workbench, as its users would wrap it: no adapter."""

from __future__ import annotations

import warnings

import numpy as np

import sim

with warnings.catch_warnings():  # "ipyparallel not installed": not needed here
    warnings.simplefilter("ignore")
    from ema_workbench import (
        CategoricalParameter,
        Constant,
        Model,
        RealParameter,
        ScalarOutcome,
        perform_experiments,
    )


def test_perform_experiments_runs_sim_evaluate_as_it_is():
    model = Model("startups", function=sim.evaluate)
    model.uncertainties = [RealParameter("demand_growth", -0.1, 0.2)]
    model.levers = [
        RealParameter("mentorship", 0.1, 0.7),
        CategoricalParameter("crowdfunding_enabled", [False, True]),
    ]
    model.constants = [Constant("months", 12), Constant("scale", 0.05), Constant("seed", 3)]
    model.outcomes = [ScalarOutcome("startups_alive"), ScalarOutcome("cumulative_founded")]

    experiments, outcomes = perform_experiments(model, scenarios=2, policies=2)

    assert len(experiments) == 4 and set(outcomes) == {"startups_alive", "cumulative_founded"}
    for i, row in experiments.iterrows():  # the workbench passed every input through
        direct = sim.evaluate(
            {
                "demand_growth": row["demand_growth"],
                "mentorship": row["mentorship"],
                "crowdfunding_enabled": bool(row["crowdfunding_enabled"]),
                "scale": 0.05,
            },
            seed=3,
            months=12,
        )
        assert outcomes["startups_alive"][i] == direct["startups_alive"]
        assert outcomes["cumulative_founded"][i] == direct["cumulative_founded"]
    assert np.unique(outcomes["cumulative_founded"]).size > 1  # inputs reach the model
