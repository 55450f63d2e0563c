# Two commands run the whole course (see README "Quickstart"):
#   make lab    set up, then open the course in JupyterLab (as root too: see scripts/lab.sh)
#   make test   set up, then run the whole test suite (what CI runs)
#   make lock   refresh constraints.txt, the versions the suite was last green with (make setup installs them)
#   make test-latest   the notebooks under the newest releases, in .venv-latest (no constraints: what Colab meets)
#   make lecture NB=05   present a notebook live in lecture style (docs/lecture_mode.md)
#   make slides / make site   reveal.js slides / a static site of every executed notebook, offline (build/)
# Both are idempotent: the virtual environment is rebuilt only when pyproject.toml or constraints.txt changes.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)
JOBS   ?= 2

.PHONY: lab test lint setup browser-deps benchmark sync clean lecture slides site guide lock test-latest

setup: $(STAMP)

# constraints.txt pins every package to the version the suite was last green with (`make lock` writes it).
$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	@rm -f $(VENV)/.installed-*
	@touch $@

browser-deps:
	@bash scripts/ensure_chromium.sh

lab: $(STAMP)
	JUPYTER=$(BIN)/jupyter bash scripts/lab.sh

# Refresh the lock after a green `make test` on the newest releases (pip's own resolver picks them; pip freeze
# writes what it installed). Review the diff, run `make test`, commit constraints.txt.
lock:
	rm -rf .venv-lock
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet --upgrade pip
	.venv-lock/bin/python -m pip install --quiet -e ".[dev]"
	( echo "# Versions the test suite was last green with; written by 'make lock' (pip freeze), not by hand."; \
	  echo "# Python $$(.venv-lock/bin/python -c 'import platform; print(platform.python_version(), platform.system(), platform.machine())')"; \
	  .venv-lock/bin/python -m pip freeze --exclude-editable ) > constraints.txt
	rm -rf .venv-lock

# The notebooks and the library's tests with the newest releases (no constraints), as a Colab user gets them.
test-latest:
	@test -x .venv-latest/bin/python || $(PYTHON) -m venv .venv-latest
	.venv-latest/bin/python -m pip install --quiet --upgrade pip
	.venv-latest/bin/python -m pip install --quiet --upgrade --upgrade-strategy eager -e ".[dev]"
	export COURSE_KERNEL_CPU="$$(.venv-latest/bin/python scripts/test_cpu_capability.py)"; \
	  .venv-latest/bin/python -m pytest -n $(JOBS) --dist loadfile -m "not pages and not browser" -p no:cacheprovider

# Two steps: the suite (nbval's run leaves every executed notebook in build/executed/, see conftest.py),
# then the site and slides of every notebook rendered from those copies and checked offline in Chromium.
# The notebooks run with CPU kernels that round differently from the ones their outputs were recorded with
# (scripts/test_cpu_capability.py; conftest.py hands COURSE_KERNEL_CPU to every notebook kernel), so a check that
# holds only with the recording machine's rounding fails here, not on a student's laptop.
test: $(STAMP) browser-deps lint
	export COURSE_KERNEL_CPU="$$($(BIN)/python scripts/test_cpu_capability.py)"; \
	echo "make test: notebook kernels run with $$COURSE_KERNEL_CPU (outputs recorded with $$(grep cpu_capability tests/expected_outputs/RECORDED_WITH))"; \
	$(BIN)/python -m pytest -n $(JOBS) --dist loadfile -m "not pages" && \
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
