# The front door. On a fresh machine with python3 and make:
#   make reports   # venv + install + sample data + every report under params/
#   make test      # the whole test suite
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
WB     := $(VENV)/bin/workbench
STAMP  := $(VENV)/.installed
JOBS   ?=
BUILD_FLAGS ?=
# Jupyter refuses to start as root (containers, CI images) unless told to.
LAB_FLAGS ?= $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root)

.PHONY: install reports sample-data test lint lab bench calibrate clean-venv help
.DEFAULT_GOAL := help

help:
	@echo "make reports     render every report from params/ (creates .venv and sample data if missing)"
	@echo "make test        run the whole test suite (lint first)"
	@echo "make lint        ruff lint and format check (notebooks included), mypy on the pipeline"
	@echo "make lab         start JupyterLab with the project's kernel"
	@echo "make bench       run the benchmarks in benchmarks/"
	@echo "make calibrate   measure the calibration of the verdicts (benchmarks/calibrate.py)"
	@echo "make sample-data (re)generate data/sample/"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

install: $(STAMP)

data/sample/.complete: $(wildcard src/workbench/data/sample/*.py) | $(STAMP)
	$(WB) data sample --out data/sample --warehouse
	@touch data/sample/.complete

sample-data: data/sample/.complete

reports: $(STAMP) data/sample/.complete
	$(WB) build $(if $(JOBS),--jobs $(JOBS)) $(BUILD_FLAGS)

# Independent reference implementations (lifetimes, channelattribution) that tests compare
# against. channelattribution compiles C++; if it cannot be installed, those tests skip with a reason.
REFSTAMP := $(VENV)/.references

$(REFSTAMP): $(STAMP)
	$(PY) -m pip install --quiet -e ".[test,spark]" \
	  || echo "Spark and Ibis could not be installed: the engine tests will skip"
	$(PY) -m pip install --quiet -e ".[test,spark,bench]" \
	  || echo "reference packages could not be installed: tests that compare against them will skip"
	@touch $(REFSTAMP)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy src/workbench/pipeline src/workbench/data

# The sample data is generated first: tests that rebuild and reproduce every sample report need it.
test: lint $(REFSTAMP) data/sample/.complete
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 $(PY) -m pytest -n 2 --dist loadfile

lab: $(STAMP) data/sample/.complete
	$(PY) -m pip install --quiet -e ".[lab]"
	$(PY) -m ipykernel install --sys-prefix --name marketing-workbench --display-name "Marketing Workbench"
	$(VENV)/bin/jupyter lab notebooks/ $(LAB_FLAGS)

bench: $(STAMP) $(REFSTAMP)
	$(PY) benchmarks/run_all.py

calibrate: $(STAMP) $(REFSTAMP)
	$(PY) benchmarks/calibrate.py

clean-venv:
	rm -rf $(VENV)
