# The two set-up commands of the README: `make demo` and `make test`.
# Both create .venv and install amparo on first use; later runs reuse them.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test lint test-sqlite test-postgres messages

$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

## Start the app with demo data on SQLite at http://127.0.0.1:8000
demo: $(INSTALLED) pango
	DEBUG=true $(BIN)/amparo migrate --noinput
	DEBUG=true $(BIN)/amparo demo
	DEBUG=true $(BIN)/amparo runserver 127.0.0.1:8000

## ruff, then the whole test suite on SQLite, then on PostgreSQL ($(PG_URL))
test: $(INSTALLED) lint test-sqlite test-postgres

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=true $(BIN)/amparo makemigrations --check --dry-run

# The browser tests drive the system Chromium (Playwright downloads no browser here).
$(CHROMIUM):
	$(SUDO) apt-get update -qq
	$(SUDO) apt-get install -y -qq chromium

# WeasyPrint (PDF reports) needs Pango from the system, and warns (an error in the tests)
# without HarfBuzz's subsetter.
HAS_PANGO := $(shell ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 \
	&& ldconfig -p | grep -q libharfbuzz-subset && echo yes)
.PHONY: pango
pango:
ifneq ($(HAS_PANGO),yes)
	$(SUDO) apt-get update -qq
	$(SUDO) apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
		fonts-dejavu-core
endif

# Each half runs in TEST_WORKERS processes (pytest-xdist), each with a test database of its
# own (suffix _gw0, _gw1...); worksteal hands the slow tests out as workers free up.
TEST_WORKERS ?= 2
PYTEST := $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal

test-sqlite: $(INSTALLED) $(CHROMIUM) pango
	$(PYTEST)

test-postgres: $(INSTALLED) $(CHROMIUM) pango
	DATABASE_URL=$(PG_URL) $(PYTEST)

## Refresh the translation catalogs after changing text (needs gettext)
messages: $(INSTALLED)
	cd amparo && ../$(BIN)/django-admin makemessages -l es -l en --no-obsolete
	cd amparo && ../$(BIN)/django-admin compilemessages
