# The few verbs people use. `make run` runs the product; `make test` passes the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/clinic
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0
# Where `make run` listens (and what SITE_URL, the start of links in emails, says): make run PORT=8001
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test journeys fuzz lint format migrate bench bench-scale install chromium

run: install migrate
	$(BIN)/python manage.py seed_demo
	HOST=$(HOST) PORT=$(PORT) scripts/run_dev.sh

test: install chromium
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(BIN)/python scripts/check_services.py
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(BIN)/pytest --create-db -q -m "not fuzz"

# The user journeys in Chromium at desktop and phone size; screenshots in var/screenshots/ (README, Journeys).
journeys: install chromium
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(BIN)/python scripts/check_services.py
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(BIN)/pytest --create-db -q tests/browser/journeys

# Property-based API tests (schemathesis, tests/api/test_fuzz.py): about a minute, so apart from `make test`.
fuzz: install
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(BIN)/python scripts/check_services.py
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(BIN)/pytest --create-db -q -m fuzz

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy accounts privacy bookings intake workspace notifications data_rights outcomes care documents clinic

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrate: install
	$(BIN)/python manage.py migrate

bench: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/clinic_bench} $(BIN)/python bench/availability.py
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/clinic_bench} $(BIN)/python bench/reminders.py
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/clinic_bench_care} $(BIN)/python bench/series.py
	$(BIN)/python bench/load.py

# Availability and booking under load with 2 and 4 gunicorn workers, reminders with 1 and 2 Celery workers.
bench-scale: install
	$(BIN)/python bench/load.py --scale

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || \
		{ echo "Python 3.11 or newer is needed ($(PYTHON) is older). Install it, or run: make PYTHON=python3.12 ..."; exit 1; }
	@$(PYTHON) -m venv --help >/dev/null 2>&1 || \
		{ echo "$(PYTHON) has no venv module. On Debian/Ubuntu: apt-get install -y python3-venv"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

# Browser tests drive Debian's Chromium (Playwright's own browser download is not used).
chromium:
	@test -x /usr/bin/chromium || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing Debian's chromium for the browser tests..."; \
			apt-get install -y -q chromium >/dev/null || { apt-get update -q && apt-get install -y -q chromium; }; \
		else \
			echo "The browser tests need Chromium at /usr/bin/chromium. Install it with: sudo apt-get install -y chromium"; \
			exit 1; \
		fi; }
