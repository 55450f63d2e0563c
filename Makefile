# Two commands run the whole course (see README "Quickstart"):
#   make lab    set up, then open the course in JupyterLab
#   make test   set up, then run the whole test suite (what CI runs)
# Both are idempotent: the virtual environment is rebuilt only when pyproject.toml changes.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
JOBS   ?= 2

.PHONY: lab test lint setup browser-deps benchmark sync clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@rm -f $(VENV)/.installed-*
	@touch $@

browser-deps:
	@bash scripts/ensure_chromium.sh

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

test: $(STAMP) browser-deps lint
	$(BIN)/python -m pytest -n $(JOBS) --dist loadfile

# pyflakes errors over the library, the notebook sources, tests, benchmarks and scripts.
lint: $(STAMP)
	$(BIN)/ruff check course_lib notebook_sources tests benchmarks scripts solutions

# Re-pair every notebook after editing its .py (the source of truth).
sync: $(STAMP)
	$(BIN)/jupytext --sync notebook_sources/*.py

benchmark: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache
