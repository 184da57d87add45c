# One-command install, run and test for HRM2. Everything goes into .venv from pinned requirements.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
PIP    := $(BIN)/pip install --disable-pip-version-check --quiet
PYTEST_ARGS ?=

.PHONY: run install test lint format bench bench-large eval security reliability clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements/base.txt pyproject.toml | $(BIN)/python
	$(PIP) -r requirements/base.txt
	$(PIP) --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.test-installed: requirements/test.txt $(VENV)/.installed
	$(PIP) -r requirements/test.txt
	touch $@

install: $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/hrm2 serve --port $(PORT)

test: $(VENV)/.test-installed
	$(BIN)/pytest $(PYTEST_ARGS)

security: $(VENV)/.test-installed
	$(BIN)/pytest tests/security $(PYTEST_ARGS)

reliability: $(VENV)/.test-installed
	$(BIN)/pytest tests/reliability $(PYTEST_ARGS)

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .

bench: $(VENV)/.test-installed
	$(BIN)/python -m bench

eval: $(VENV)/.installed
	$(BIN)/python -m eval

bench-large: $(VENV)/.installed
	BENCH_ROWS=$${BENCH_ROWS:-1000000} $(BIN)/python -m bench.large

format: $(VENV)/.test-installed
	$(BIN)/ruff format src tests bench

clean:
	rm -rf $(VENV) var .pytest_cache
