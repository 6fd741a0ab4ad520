# Two commands matter: `make run` and `make test`. Everything else is what they call.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test clock-sweep lint format messages-compile messages check-deploy worker beat clean

# uv installs the same pinned set as pip would, in a quarter of the time.
UV_VERSION := 0.9.9
# Test processes: one per core (pytest-xdist), each with its own database, Redis database
# number and media folder (tests/conftest.py). worksteal: a few tests take half a minute
# (the demo, the real workers), and an idle process takes work from a busy one.
TEST_WORKERS ?= auto
# Where the suite records which tests read the clock, for the clock sweep (tests/clock.py).
CLOCK_DIR := .pytest-clock

$(STAMP): pyproject.toml constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet uv==$(UV_VERSION)
	$(VENV)/bin/uv pip install --quiet --python $(PY) -c constraints.txt -e ".[dev]"
	@touch $(STAMP)

messages-compile: $(STAMP)
	$(PY) scripts/compile_messages.py

run: $(STAMP) messages-compile
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py consent_seed
	$(PY) manage.py runserver $(HOST):$(PORT)

# The whole suite at the suite's fixed moment, then the clock sweep: every test in which the
# app read the clock, again at each sweep moment. Both in parallel; the slowest tests shown.
test: $(STAMP) messages-compile
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	rm -rf $(CLOCK_DIR)
	$(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal --durations=15 --clock-record=$(CLOCK_DIR) \
		$(PYTEST_ARGS)
	$(MAKE) --no-print-directory clock-sweep

# Exit 5 is pytest's "no tests": a selection (PYTEST_ARGS) in which the app never read the
# clock has nothing to sweep.
clock-sweep: $(STAMP) messages-compile
	$(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal --durations=5 --clock-sweep=$(CLOCK_DIR) \
		$(PYTEST_ARGS) \
		|| test $$? -eq 5

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(STAMP)
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

# Needs GNU gettext (xgettext): refreshes the Dutch catalogues from the source strings.
messages: $(STAMP)
	$(PY) manage.py makemessages -l nl --no-obsolete --add-location=file

worker: $(STAMP)
	$(VENV)/bin/celery -A config worker --loglevel=INFO

beat: $(STAMP)
	$(VENV)/bin/celery -A config beat --loglevel=INFO

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles $(CLOCK_DIR)
