"""Scenario files that run other Mesa models (``model: module:Class``).

Mesa's ``batch_run`` passes keywords, so it cannot run Mesa's own
Scenario-based examples; the runner builds each run the way the class takes
its inputs. These tests run Mesa's Boltzmann wealth example and a keyword
model through the runner and check every recorded value against the same
model stepped by hand with the run's seed.
"""

from __future__ import annotations

import re
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
        ("runner_models:NumberedReporter", "model reporter named 1"),
        ("runner_models:Unseedable", "cannot be seeded"),
        (["mesa.examples", "BoltzmannWealth"], "is not a model name"),
        ({"a": 1}, "is not a model name"),
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

    assert file_stem("startups_alive") == "startups_alive"  # a safe name stays as it is
    assert file_stem("Trade Volume").startswith("Trade_Volume-")
    assert file_stem("../../etc/passwd").startswith("etc_passwd-")
    names = ["a/b", "a_b", "", " ", "..", "Ünï cøde"]
    stems = [file_stem(n) for n in names]
    assert len(set(stems)) == len(names)  # no two figures share a file
    assert all(re.fullmatch(r"[A-Za-z0-9_.-]+", s) and not s.startswith(".") for s in stems)


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


AWKWARD = """\
name: awkward
model: runner_models:Awkward
months: 4
seed: 3
sweep:
  design: grid
  factors:
    extra: [true, false]
    word: [false, true]
"""


def test_a_reporter_missing_for_some_parameters_is_recorded_as_missing(tmp_path):
    # as Mesa's Wolf-Sheep counts grass only when grass grows
    res = run(AWKWARD.replace("    word: [false, true]\n", ""), tmp_path, workers=2)
    assert res.manifest["runs_done"] == 2 and res.manifest["runs_failed"] == 0
    bonus = res.runs.set_index("extra")["bonus"]
    assert bonus[True] == 7 and bonus[False] != bonus[False]  # NaN without the reporter


def test_a_reporter_that_is_not_a_number_fails_its_runs_by_name_and_outputs_can_leave_it(tmp_path):
    res = run(AWKWARD, tmp_path, workers=1)
    failed = res.runs[res.runs.status == "failed"]
    assert set(failed["word"]) == {True} and len(failed) == 2
    assert failed["error"].str.contains("model reporter 'label' returned 'high'").all()
    kept = run(AWKWARD + "outputs: [level, bonus]\n", tmp_path, workers=1, name="kept")
    assert kept.manifest["runs_failed"] == 0


def test_a_model_that_never_steps_fails_its_run_with_the_reason(tmp_path):
    text = AWKWARD.split("sweep:")[0] + "parameters: {stop_at_once: true}\n"
    res = run(text, tmp_path, workers=1)
    assert res.manifest["runs_failed"] == 1
    assert "stopped before its first step" in res.runs["error"].iloc[0]


def test_numpy_defaults_are_typed_and_an_untyped_range_must_say_so(tmp_path):
    spec = describe("runner_models:Awkward")
    assert (spec.parameters["size"].type, spec.parameters["size"].default) == ("integer", 7)
    assert (spec.parameters["share"].type, spec.parameters["cap"].type) == ("real", "value")
    lhs = "name: l\nmodel: runner_models:Awkward\nmonths: 2\nsweep:\n  design: lhs\n  samples: 6\n"
    with pytest.raises(UserError, match=r"type of 'cap' is not known.*\{min: \.\., max: \.\.\}"):
        run(lhs + "  factors:\n    cap: [0, 10]\n", tmp_path, workers=1)
    res = run(lhs + "  factors:\n    cap: {min: 0, max: 10}\n    size: [1, 4]\n", tmp_path, 1)
    assert res.runs["cap"].dtype.kind == "f" and res.runs["size"].dtype.kind == "i"
    assert res.runs["cap"].between(0, 10).all() and res.runs["cap"].nunique() == 6
    assert main(["levers", "--model", "runner_models:Awkward", "--json"]) == 0


@pytest.mark.parametrize(
    ("value", "problem"),
    [(2**63, "too large for a 64-bit integer"), (-1e300, "too large"), (2.5, "whole number")],
)
def test_integers_the_tables_cannot_hold_are_refused(value, problem):
    with pytest.raises(ValueError, match=problem):
        describe("runner_models:Awkward").parameters["size"].check(value)
    assert describe("runner_models:Awkward").parameters["size"].check(2**63 - 1) == 2**63 - 1


MODEL_SOURCE = """\
import mesa
from {rules} import FACTOR


class Counter(mesa.Model):
    def __init__(self, rng=None):
        super().__init__(rng=rng)
        self.datacollector = mesa.DataCollector(model_reporters={{"v": lambda m: m.steps * FACTOR}})
"""


@pytest.fixture
def fresh_imports(monkeypatch, tmp_path):
    """Models written into tmp_path, importable here; forgotten afterwards."""
    import sys

    from sim.experiments import models

    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    for name, module in list(sys.modules.items()):
        if str(getattr(module, "__file__", None) or "").startswith(str(tmp_path)):
            del sys.modules[name]
    models._describe.cache_clear()


def test_the_fingerprint_covers_a_models_whole_package(fresh_imports):
    from sim.experiments.fingerprint import source_fingerprint

    root = fresh_imports / "pkgx"
    (root / "parts").mkdir(parents=True)
    (root / "__init__.py").write_text("")
    (root / "parts" / "__init__.py").write_text("")
    (root / "parts" / "rules.py").write_text("FACTOR = 1\n")
    (root / "model.py").write_text(MODEL_SOURCE.format(rules="pkgx.parts.rules"))
    spec = describe("pkgx.model:Counter")
    assert spec.fingerprint == source_fingerprint(spec.model_class)
    (root / "parts" / "rules.py").write_text("FACTOR = 1000\n")  # a submodule, not model.py
    assert source_fingerprint(spec.model_class) != spec.fingerprint


def test_a_single_file_model_counts_the_packages_beside_it_that_it_imports(fresh_imports):
    from sim.experiments.fingerprint import source_fingerprint

    (fresh_imports / "helpers").mkdir()
    (fresh_imports / "helpers" / "__init__.py").write_text("")
    (fresh_imports / "helpers" / "consts.py").write_text("FACTOR = 1\n")
    (fresh_imports / "lone.py").write_text(MODEL_SOURCE.format(rules="helpers.consts"))
    spec = describe("lone:Counter")
    (fresh_imports / "helpers" / "consts.py").write_text("FACTOR = 100\n")
    assert source_fingerprint(spec.model_class) != spec.fingerprint


def test_a_model_edited_since_this_session_imported_it_is_refused(fresh_imports, monkeypatch):
    """Edited or not, by the files the model imports, wherever it imports them."""
    import sys

    from sim.experiments import models

    (fresh_imports / "solo_rules.py").write_text("FACTOR = 1\n")
    source = MODEL_SOURCE.format(rules="solo_rules").replace("from solo_rules import FACTOR\n", "")
    source = source.replace("m.steps * FACTOR", "m.steps * __import__('solo_rules').FACTOR")
    source += "\n    def step(self):\n        import solo_rules  # imported only when stepping\n"
    (fresh_imports / "solo.py").write_text(source)
    (fresh_imports / "driver.py").write_text("X = 1\n")  # beside it, never imported by it
    text = "name: solo\nmodel: solo:Counter\nmonths: 3\n"
    assert run(text, fresh_imports, workers=1).timeseries["v"].tolist() == [1.0, 2.0, 3.0]
    __import__("driver")  # a script beside the model, loaded in this session: not the model
    (fresh_imports / "driver.py").write_text("X = 2\n")
    assert run(text, fresh_imports, workers=1, fresh=True).manifest["runs_done"] == 1
    (fresh_imports / "solo_rules.py").write_text("FACTOR = 10\n")
    for workers in (1, 2):
        with pytest.raises(UserError, match="changed after this Python session imported it"):
            run(text, fresh_imports, workers=workers, fresh=True)
    for name in ("solo", "solo_rules"):  # as a new session would
        monkeypatch.delitem(sys.modules, name, raising=False)
    models._describe.cache_clear()
    again = run(text, fresh_imports, workers=2, fresh=True)
    assert again.timeseries["v"].tolist() == [10.0, 20.0, 30.0]


def test_the_sim_command_finds_a_model_file_in_the_current_folder(tmp_path):
    import subprocess
    import sys

    (tmp_path / "flip.py").write_text(SCRIPT.split("\n\nif __name__")[0].replace("Coin", "Flip"))
    (tmp_path / "flip.yaml").write_text("name: flip\nmodel: flip:Flip\nmonths: 5\n")
    command = Path(sys.executable).parent / "sim"  # the console script, not python -m
    done = subprocess.run(
        [str(command), "run", "flip.yaml", "--out", "out", "--quiet", "--no-plots"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "1 of 1 runs done" in done.stdout


def test_figures_of_a_model_whose_names_are_also_ours(tmp_path):
    from sim.plots.curves import curve_figure
    from sim.plots.data import load

    text = (
        "name: namesake\nmodel: runner_models:Namesake\nmonths: 3\nreplications: 2\n"
        "sweep:\n  design: list\n  points:\n    - {mean: 1.0, seats: 1}\n"
        "    - {mean: 2.0, seats: 3, cap: 5}\n"
    )
    path = tmp_path / "s.yaml"
    path.write_text(text)
    res = sim.run_experiment(path, out=tmp_path / "out", workers=1, quiet=True)
    assert res.manifest["runs_done"] == 4
    folder = load(res.path)
    assert folder.swept == ["mean", "seats", "cap"] and folder.metrics == ["jobs", "alpha"]
    assert {"jobs.png", "alpha.png"} <= {p.name for p in (res.path / "plots").iterdir()}
    by_cap = curve_figure(folder, "alpha", by="cap").axes[0]  # a default of None is a group
    assert [line.get_label() for line in by_cap.lines[::2]] == ["cap = 5", "cap = None"]
    path.write_text(text.split("sweep:")[0] + "sweep: {design: grid, factors: {mean: [1, 2]}}\n")
    grid = sim.run_experiment(path, out=tmp_path / "grid", workers=1, quiet=True)
    assert (grid.path / "plots" / "sweep_mean.png").is_file()  # a lever called mean


def test_naming_this_packages_model_is_the_same_as_naming_none(tmp_path):
    from sim.experiments.loader import load_scenario

    plain = load_scenario({"name": "x", "months": 2})
    named = load_scenario({"name": "x", "months": 2, "model": "sim.model:StartupEcosystem"})
    assert named.scenario.model is None and named.run_hash == plain.run_hash


def test_folders_of_different_models_are_not_compared(tmp_path, capsys):
    one = run(BOLTZMANN.replace("months: 15", "months: 2"), tmp_path, workers=1, name="a")
    other = run("name: ours\nmonths: 2\nparameters: {scale: 0.05}\n", tmp_path, 1, name="b")
    assert main(["compare", str(one.path), str(other.path)]) == 2
    assert "runs of different models" in capsys.readouterr().err
