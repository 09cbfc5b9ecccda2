# Two commands set everything up on a fresh Debian machine with Python 3.11: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint install demo-city demo-region bench loadtest clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Potrzebny jest Python 3.11 ($(PYTHON))."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	mkdir -p var
	DJANGO_SETTINGS_MODULE=config.settings.local $(PY) manage.py seal_demo_key
	DJANGO_SETTINGS_MODULE=config.settings.local $(PY) manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=config.settings.local $(PY) manage.py seed_demo --scale small --if-empty
	DJANGO_SETTINGS_MODULE=config.settings.local $(PY) manage.py demo_logins
	@echo "Serwer WWW i obok niego worker zadań w tle (PDF-y i e-maile po złożeniu oferty): manage.py db_worker"
	export DJANGO_SETTINGS_MODULE=config.settings.local; \
	$(PY) manage.py db_worker --no-reload --interval 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:8000

# The whole suite runs in one process per core (pytest-xdist; each has its own test database; a file's tests stay
# in one process): first everything but the browser journeys, then the journeys (Playwright keeps an event loop
# running in its process, which the other tests must not inherit). Both parts always run; either failing fails.
# `make test PYTEST_ARGS="tests/organisations -k directory"` runs just that, in one process.
XDIST := -n auto --dist loadfile

test: $(STAMP)
	mkdir -p var
ifdef PYTEST_ARGS
	$(PY) -m pytest $(PYTEST_ARGS)
else
	status=0; \
	$(PY) -m pytest $(XDIST) --ignore=tests/browser || status=$$?; \
	$(PY) -m pytest $(XDIST) tests/browser || status=$$?; \
	exit $$status
endif

lint: $(STAMP)
	$(VENV)/bin/ruff check .

demo-city: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.local $(PY) manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=config.settings.local $(PY) manage.py seed_demo --scale city

demo-region: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.local $(PY) manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=config.settings.local $(PY) manage.py seed_demo --scale region

clean:
	rm -rf $(VENV) var/db.sqlite3 var/test.sqlite3

bench: $(STAMP)
	mkdir -p var
	$(PY) tests/benchmarks/bench_pages.py
	$(PY) tests/benchmarks/bench_annual_report.py

loadtest: $(STAMP)
	mkdir -p var
	$(PY) tests/benchmarks/deadline_day.py $(LOADTEST_ARGS)
