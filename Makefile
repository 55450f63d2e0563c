# Two commands run the whole course (see README "Quickstart"):
#   make lab    set up, then open the course in JupyterLab
#   make test   set up, then run the whole test suite (what CI runs)
#   make lecture NB=05   present a notebook live in lecture style (docs/lecture_mode.md)
#   make slides / make site   reveal.js slides / a static site of every executed notebook, offline (build/)
# Both are idempotent: the virtual environment is rebuilt only when pyproject.toml changes.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
JOBS   ?= 2

.PHONY: lab test lint setup browser-deps benchmark sync clean lecture slides site guide

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

# Two steps: the suite (nbval's run leaves every executed notebook in build/executed/, see conftest.py),
# then the site and slides of every notebook rendered from those copies and checked offline in Chromium.
test: $(STAMP) browser-deps lint
	$(BIN)/python -m pytest -n $(JOBS) --dist loadfile -m "not pages"
	COURSE_PAGES_CACHED_ONLY=1 $(BIN)/python -m pytest -m pages tests/browser/test_browser_pages.py

# pyflakes errors over the library, the notebook sources, tests, benchmarks and scripts.
lint: $(STAMP)
	$(BIN)/ruff check course_lib notebook_sources tests benchmarks scripts solutions

# Re-pair every notebook after editing its .py (the source of truth).
sync: $(STAMP)
	$(BIN)/jupytext --sync notebook_sources/*.py

benchmark: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

NB ?= 05
lecture: $(STAMP)
	$(BIN)/python scripts/lecture.py $(NB)

# Executes every notebook once (cached in build/executed/ by the notebook's hash), then renders.
slides: $(STAMP)
	$(BIN)/python scripts/build_pages.py slides

site: $(STAMP)
	$(BIN)/python scripts/build_pages.py site

# docs/instructor_guide.md's table of measured run times (re-measures every notebook: minutes)
guide: $(STAMP)
	$(BIN)/python scripts/instructor_guide.py --measure

clean:
	rm -rf $(VENV) .pytest_cache
