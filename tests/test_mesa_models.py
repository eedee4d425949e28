"""Scenario files that run other Mesa models (``model: module:Class``).

Mesa's ``batch_run`` passes keywords, so it cannot run Mesa's own
Scenario-based examples; the runner builds each run the way the class takes
its inputs. These tests run Mesa's Boltzmann wealth example and a keyword
model through the runner and check every recorded value against the same
model stepped by hand with the run's seed.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

import sim
from sim.cli import main
from sim.errors import UserError
from sim.experiments.models import ModelProblem, describe

BOLTZMANN = """\
name: boltzmann
description: Does a crowded grid concentrate wealth?
model: mesa.examples:BoltzmannWealth
months: 15
replications: 2
seed: 11
parameters: {width: 6, height: 6}
sweep:
  design: grid
  factors:
    n: [20, 40]
"""


def run(text: str, tmp_path: Path, workers: int, name: str = "out", **kw):
    path = tmp_path / "s.yaml"
    path.write_text(text)
    return sim.run_experiment(
        path, out=tmp_path / name, workers=workers, quiet=True, plots=False, **kw
    )


def by_hand_boltzmann(n: int, seed: int, steps: int) -> list[float]:
    from mesa.examples.basic.boltzmann_wealth_model.model import (
        BoltzmannScenario,
        BoltzmannWealth,
    )

    model = BoltzmannWealth(scenario=BoltzmannScenario(rng=seed, n=n, width=6, height=6))
    for _ in range(steps):
        model.step()
    return model.datacollector.model_vars["Gini"][1:]  # after each step, as the runner keeps


def test_runs_mesas_own_scenario_based_example(tmp_path):
    res = run(BOLTZMANN, tmp_path, workers=2)
    assert res.manifest["status"] == "complete" and res.manifest["runs_done"] == 4
    assert res.manifest["model"] == "mesa.examples:BoltzmannWealth"
    assert res.manifest["model_parameters"] == {"n": 100, "width": 10, "height": 10}
    assert list(res.timeseries.columns) == ["run_id", "month", "date", "Gini"]
    assert {"n", "Gini"} <= set(res.runs.columns)
    for run_row in res.runs.itertuples():
        series = res.timeseries[res.timeseries.run_id == run_row.run_id]
        assert series["month"].tolist() == list(range(1, 16))
        assert series["Gini"].tolist() == by_hand_boltzmann(run_row.n, run_row.seed, 15)
        assert run_row.Gini == series["Gini"].iloc[-1]


def test_batch_run_cannot_pass_a_scenario_based_example_its_parameters():
    """The claim the README makes for this feature; if Mesa changes batch_run,
    this fails and the README must change with it."""
    import multiprocessing

    import mesa
    from mesa.examples import BoltzmannWealth

    method = multiprocessing.get_start_method(allow_none=True)
    try:
        with pytest.raises(TypeError, match="unexpected keyword argument 'n'"):
            mesa.batch_run(BoltzmannWealth, parameters={"n": [10, 20]}, max_steps=2)
    finally:  # batch_run sets the start method of the whole process to spawn
        multiprocessing.set_start_method(method, force=True)


def test_another_model_gives_the_same_bytes_with_one_or_two_workers(tmp_path):
    one = run(BOLTZMANN, tmp_path, workers=1, name="one")
    two = run(BOLTZMANN, tmp_path, workers=2, name="two")
    tables = [
        pq.read_table(r.path / "timeseries.parquet").sort_by([("run_id", "ascending")])
        for r in (one, two)
    ]
    assert tables[0].equals(tables[1])


KEYWORDS = """\
name: keywords
model: runner_models:KeywordModel
months: 9
replications: 2
parameters: {stop_after: 7}
sweep:
  design: lhs
  samples: 3
  factors:
    rate: [0.2, 0.8]
    n: [3, 9]
"""


def test_keyword_models_run_as_batch_run_would_and_every_step_is_recorded(tmp_path):
    from runner_models import KeywordModel

    res = run(KEYWORDS, tmp_path, workers=2)
    assert res.manifest["runs_done"] == 6
    assert res.runs["n"].dtype.kind == "i" and res.runs["rate"].dtype.kind == "f"
    for row in res.runs.itertuples():
        series = res.timeseries[res.timeseries.run_id == row.run_id]
        # the model stops itself after 7 of the 9 steps; it collects only on even
        # steps, so the runner collects on the odd ones
        assert series["month"].tolist() == list(range(1, 8))
        model = KeywordModel(n=int(row.n), rate=float(row.rate), stop_after=7, rng=int(row.seed))
        totals = []
        while model.running:
            model.step()
            totals.append(model.total)
        assert series["total"].tolist() == totals
        assert series["draws"].tolist() == [s * row.n for s in range(1, 8)]


def test_validate_names_the_model_and_its_parameters(tmp_path, capsys):
    path = tmp_path / "s.yaml"
    path.write_text(BOLTZMANN)
    assert main(["validate", str(path)]) == 0
    assert "4 run(s)" in capsys.readouterr().out
    path.write_text(BOLTZMANN.replace("{width: 6", "{widht: 6"))
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:7: parameters.widht: unknown parameter 'widht' (did you mean 'width'?)" in err


def test_levers_lists_another_models_parameters_and_outcomes(capsys):
    assert main(["levers", "--model", "mesa.examples:BoltzmannWealth"]) == 0
    out = capsys.readouterr().out
    assert "width" in out and "any integer" in out and "model reporters): Gini" in out
    assert main(["levers", "--model", "mesa.examples:NoSuchModel"]) == 2
    assert "has no 'NoSuchModel'" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("ref", "problem"),
    [
        ("mesa.examples", "is not a model name"),
        ("os.system('ls'):x", "is not a model name"),
        ("mesa:DataCollector", "is not a Mesa model class"),
        ("no_such_package_xyz:Model", "cannot import 'no_such_package_xyz'"),
        ("runner_models:ClashingModel", "reporter named 'month'"),
    ],
)
def test_a_model_that_cannot_be_run_is_refused_before_anything_runs(ref, problem):
    with pytest.raises(ModelProblem, match=problem):
        describe(ref)


def test_a_model_function_and_a_model_key_are_not_both_accepted(tmp_path):
    with pytest.raises(UserError, match="not both"):
        run(BOLTZMANN, tmp_path, workers=1, simulate="sim.evaluation:simulate")
    assert not (tmp_path / "out").exists()


def test_figures_and_report_of_another_model_use_its_own_outcomes(tmp_path):
    text = BOLTZMANN.replace("months: 15", "months: 6")
    path = tmp_path / "s.yaml"
    path.write_text(text)
    res = sim.run_experiment(path, out=tmp_path / "out", workers=1, quiet=True)
    plots = {p.name for p in (res.path / "plots").iterdir()}
    assert {"Gini.png", "sweep_n.png"} <= plots
    report = (res.path / "report.html").read_text()
    assert "mesa.examples:BoltzmannWealth" in report and "not in the lever catalogue" not in report


def test_an_odd_reporter_name_stays_a_file_inside_the_plots_folder():
    from sim.plots.style import file_stem

    assert file_stem("Trade Volume") == "Trade_Volume"
    assert file_stem("../../etc/passwd") == "etc_passwd"
    assert file_stem("startups_alive") == "startups_alive"
    assert file_stem("..") == "outcome"


def test_another_models_figures_count_steps_not_calendar_months(tmp_path):
    from sim.plots.curves import curve_figure
    from sim.plots.data import load

    text = BOLTZMANN.replace("months: 15", "months: 6").replace(
        "replications: 2", "replications: 1"
    )
    res = load(run(text, tmp_path, workers=1).path)
    assert not res.calendar and res.when() == "step 6"
    ax = curve_figure(res, "Gini").axes[0]
    assert ax.get_xlabel() == "step"
    assert sorted(ax.lines[0].get_xdata()) == [1, 2, 3, 4, 5, 6]
    # Boltzmann's agent count is called `n`, like the runs-per-band column
    by_n = curve_figure(res, "Gini", by="n").axes[0]
    assert [line.get_label() for line in by_n.lines[::2]] == ["n = 20", "n = 40"]


SCRIPT = """\
import mesa
import sim


class Coin(mesa.Model):
    def __init__(self, p: float = 0.5, rng=None):
        super().__init__(rng=rng)
        self.p, self.heads = p, 0
        self.datacollector = mesa.DataCollector(model_reporters={"heads": "heads"})

    def step(self):
        self.heads += self.random.random() < self.p
        self.datacollector.collect(self)


if __name__ == "__main__":
    res = sim.run_experiment(
        {"name": "coin", "model": "__main__:Coin", "months": 30, "replications": 4,
         "sweep": {"design": "grid", "factors": {"p": [0.1, 0.9]}}},
        out="out", workers=2, quiet=True, plots=False,
    )
    print(res.runs.groupby("p")["heads"].mean().to_dict())
"""


def test_a_model_defined_in_the_script_that_starts_the_sweep(tmp_path):
    import ast
    import subprocess
    import sys

    (tmp_path / "coin.py").write_text(SCRIPT)
    done = subprocess.run(
        [sys.executable, "coin.py"], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    means = ast.literal_eval(done.stdout.strip().splitlines()[-1])
    assert means[0.1] < 10 < 20 < means[0.9]  # 30 tosses: about 3 heads, and about 27
