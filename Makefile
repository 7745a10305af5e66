# Tandem: the two commands are `make demo` and `make test`.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
ADDR ?= 127.0.0.1:8000
# Links in the demo's e-mails point where the demo serves (0.0.0.0 listens everywhere: link to
# localhost); an exported TANDEM_BASE_URL wins.
TANDEM_BASE_URL ?= http://$(subst 0.0.0.0,localhost,$(ADDR))
PG_URL ?= postgres://postgres@127.0.0.1:5432/tandem
# The first Python >= 3.12 found (Django 6 needs it); override with `make PYTHON=...`.
PYTHON ?= $(shell for p in python3.12 python3.13 python3 /root/.pyenv/versions/3.12*/bin/python3.12 /root/.pyenv/versions/3.13*/bin/python3.13 /usr/bin/python3.12 /usr/bin/python3.13; do $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { echo $$p; break; }; done)

.PHONY: demo test test-sqlite test-postgres test-clocks lint browser-deps install bench bench-load clean

$(BIN)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.12+ is required (set PYTHON=...)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/.installed

## demo: set up, migrate, load the demo cohort and serve it on http://$(ADDR)/
demo: install
	$(BIN)/python manage.py migrate --noinput -v0
	TANDEM_BASE_URL=$(TANDEM_BASE_URL) $(BIN)/python manage.py seed_demo --if-empty
	@echo
	@echo "  Tandem demo: http://$(ADDR)/   (links in e-mails: $(TANDEM_BASE_URL))"
	@echo "  Coordinator: coordinator@example.org / tandem-demo"
	@echo "  Back office: admin@example.org / tandem-demo         (Django admin at /admin/)"
	@echo "  Participant: participant@example.org / tandem-demo   (lead01..lead59@example.org too)"
	@echo
	TANDEM_BASE_URL=$(TANDEM_BASE_URL) $(BIN)/python manage.py runserver $(ADDR)

## browser-deps: Debian's chromium for the Playwright tests (never a downloaded browser)
browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi
	@/usr/bin/chromium --version

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-logo

test-sqlite: install browser-deps
	$(BIN)/pytest -q

test-postgres: install
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -q -p no:cacheprovider --create-db

## test-clocks: the whole suite again (SQLite) as if run at odd instants (tests/clocks.py):
## no test may depend on the hour or the day it runs at.
CLOCKS ?= eu-fall-back fri-2355Z
test-clocks: install browser-deps
	@for clock in $(CLOCKS); do \
		echo "== suite at clock $$clock"; \
		$(BIN)/pytest -q -p no:cacheprovider --clock=$$clock || exit 1; \
	done

## test: lint, then the whole suite on SQLite, again on PostgreSQL (127.0.0.1:5432), and again
## on SQLite at odd instants
test: lint test-sqlite test-postgres test-clocks

## bench: every bench/*.py but the load test and its seeding module (minutes, see bench-load)
bench: install
	@for f in bench/*.py; do \
		case $$f in bench/load.py|bench/seed_large.py) continue;; esac; \
		echo "== $$f"; $(BIN)/python $$f; \
	done

## bench-load: gunicorn (production settings) on PostgreSQL with 2,000 participants, 50 users
## (bench/load.py; a scratch database tandem_load on PG_ADMIN_URL's server; ~10 minutes)
PG_ADMIN_URL ?= postgres://postgres@127.0.0.1:5432/postgres
bench-load: install
	$(BIN)/python bench/load.py --admin-url $(PG_ADMIN_URL) $(LOAD_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 .pytest_cache
