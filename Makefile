# The two commands a newcomer needs: `make run` and `make test`.
# Both create .venv with Python >= 3.12 when it is missing and install the package.

VENV      := .venv
PY        := $(VENV)/bin/python
STAMP     := $(VENV)/.installed
SCENARIO  ?= scenarios/baseline.yaml
WORKERS   ?= 2
PYTEST_ARGS ?= -n 2

.PHONY: run test lint format bench docs clean help

help:
	@echo "make run    - run the baseline scenario, write results and plots under results/"
	@echo "make test   - run the test suite"
	@echo "make lint   - ruff check and format check"
	@echo "make bench  - speed and memory benchmarks (benchmarks/)"
	@echo "make docs   - regenerate docs/levers.md from the lever catalogue"

$(PY):
	@PYBIN=$$(bash .ci/find-python) || exit 1; \
	echo "creating $(VENV) with $$PYBIN ($$($$PYBIN --version))"; \
	$$PYBIN -m venv $(VENV)

$(STAMP): $(PY) pyproject.toml
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test,profile,cluster]"
	@touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/sim run $(SCENARIO) --workers $(WORKERS) --fresh

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check sim tests benchmarks
	$(VENV)/bin/ruff format --check sim tests benchmarks

format: $(STAMP)
	$(VENV)/bin/ruff format sim tests benchmarks
	$(VENV)/bin/ruff check --fix sim tests benchmarks

docs: $(STAMP)
	$(VENV)/bin/sim levers --markdown > docs/levers.md

bench: $(STAMP)
	$(PY) benchmarks/bench_model.py
	$(PY) benchmarks/bench_sweep.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
