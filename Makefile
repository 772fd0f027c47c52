# The course's two everyday commands:
#   make lab   set up (first time only) and open the course in JupyterLab
#   make test  set up (first time only) and run every test
# Set-up is keyed on the dependency files: when they have not changed it takes seconds.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
# Two installs: the course alone (make lab) and the course with the test tools (make test).
COURSE_STAMP := $(VENV)/.installed-course
TEST_STAMP   := $(VENV)/.installed-test
# nbgrader starts `alembic` as a subprocess: the environment's bin folder must be on PATH.
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)

.PHONY: lab test lint setup check-python benchmarks clean-venv help

help:
	@echo "make lab    set up and open the course in JupyterLab"
	@echo "make test   set up, then the static checks and every test, with coverage"
	@echo "make lint   the static checks alone: ruff check, ruff format --check, mypy"
	@echo "make benchmarks   measure journal, grading and start-up speed"

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || \
	  { echo "This course needs Python 3.11 or newer; '$(PYTHON)' is older. Install a newer Python or run: make PYTHON=python3.12 lab"; exit 1; }
	@$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || \
	  { echo "Python's venv module is missing. On Debian or Ubuntu: sudo apt-get install python3-venv"; exit 1; }

# tools/install.py shows the phases and a progress line; pip's full output goes to
# $(VENV)/install.log.
$(COURSE_STAMP): pyproject.toml constraints.txt tools/install.py | check-python
	@$(PYTHON) tools/install.py $(VENV)
	@touch $@

$(TEST_STAMP): pyproject.toml constraints.txt tools/install.py | check-python
	@$(PYTHON) tools/install.py $(VENV) --extra test
	@touch $@ $(COURSE_STAMP)

setup: $(COURSE_STAMP)
	@$(VENV)/bin/intimacy-course setup

# `intimacy-course lab` runs the set-up steps itself, so lab needs only the installed venv.
lab: $(COURSE_STAMP)
	@$(VENV)/bin/intimacy-course lab $(LAB_ARGS)

# The static part of `make test`: lint rules, formatting and types, in seconds.
lint: $(TEST_STAMP)
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .
	@$(VENV)/bin/mypy

# Coverage of src/ is measured in every process the tests start (command line, kernels,
# grading workers) and reported at the end; below 85 % the run fails.
test: $(TEST_STAMP) setup lint
	@rm -f .coverage .coverage.*
	@INTIMACY_COVERAGE_DIR=$(CURDIR) $(PY) -m pytest --cov --cov-report=term $(PYTEST_ARGS)

benchmarks: setup
	@$(PY) benchmarks/journal.py
	@$(PY) benchmarks/grading.py
	@$(PY) benchmarks/startup.py

clean-venv:
	rm -rf $(VENV)
