# The two commands a newcomer needs: `make run` and `make test`.
# Both create .venv with Python >= 3.12 when it is missing and install the package.

VENV      := .venv
PY        := $(VENV)/bin/python
STAMP     := $(VENV)/.installed
SCENARIO  ?= scenarios/baseline.yaml
WORKERS   ?= 2
PYTEST_ARGS ?= -n 2

VIZ_STAMP := $(VENV)/.viz-installed
HOST      ?= 127.0.0.1
PORT      ?= 8765

.PHONY: run test lint format bench docs clean help viz dashboard calibration history stories notebooks

help:
	@echo "make run    - run the baseline scenario, write results and plots under results/"
	@echo "make test   - run the test suite"
	@echo "make lint   - ruff check and format check"
	@echo "make bench  - speed and memory benchmarks (benchmarks/)"
	@echo "make calibration / history / stories - the model against the published figures"
	@echo "make notebooks - install Jupyter (the notebooks extra) and open notebooks/ in JupyterLab"
	@echo "make docs   - regenerate docs/levers.md from the lever catalogue"
	@echo "make dashboard - install the viz extra and serve the interactive page (prints its address)"

$(PY):
	@PYBIN=$$(bash .ci/find-python) || exit 1; \
	echo "creating $(VENV) with $$PYBIN ($$($$PYBIN --version))"; \
	$$PYBIN -m venv $(VENV)

$(STAMP): $(PY) pyproject.toml
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test,profile,analysis,cluster]"
	@touch $(STAMP)

# the viz extra (Solara, pinned for offline rendering), beside the test extras
$(VIZ_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e ".[test,profile,viz]"
	@touch $(VIZ_STAMP)

viz: $(VIZ_STAMP)

dashboard: $(VIZ_STAMP)
	$(VENV)/bin/sim dashboard --host $(HOST) --port $(PORT) --scenario $(SCENARIO)

run: $(STAMP)
	$(VENV)/bin/sim run $(SCENARIO) --workers $(WORKERS) --fresh

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

docs: $(STAMP)
	$(VENV)/bin/sim levers --markdown > docs/levers.md

bench: $(STAMP)
	$(PY) benchmarks/bench_model.py
	$(PY) benchmarks/bench_sweep.py

calibration: $(STAMP)
	$(PY) benchmarks/calibration.py

history: $(STAMP)
	$(PY) benchmarks/history.py

stories: $(STAMP)
	$(PY) benchmarks/policy_stories.py

notebooks: $(STAMP)
	$(PY) -m pip install --quiet -e ".[notebooks]"
	$(VENV)/bin/jupyter lab notebooks/

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
