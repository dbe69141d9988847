# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export CASEFLOW_SCHEDULER ?= 1

.PHONY: run test lint setup clean-db messages

$(BIN)/caseflow: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

setup: $(BIN)/caseflow

## Set up, create the SQLite database with demo data, and serve http://127.0.0.1:5000
# development: a random secret key kept in instance/secret_key, cookies not marked Secure
run: export CASEFLOW_ENV ?= development
run: setup
	$(BIN)/caseflow init-db
	$(BIN)/caseflow demo
	$(BIN)/caseflow run --host 127.0.0.1 --port 5000

## Set up and run the tests (SQLite; set CASEFLOW_TEST_DATABASE_URL for PostgreSQL)
test: setup
	$(BIN)/pytest $(PYTEST_ARGS)

## ruff: lint and format (checked, not changed)
lint: setup
	$(BIN)/ruff check caseflow tests bench
	$(BIN)/ruff format --check caseflow tests bench

## Extract the pages' and messages' texts into the catalogs, then compile them
messages: setup
	mkdir -p build
	$(BIN)/pybabel extract -F babel.cfg -k _ -k gettext -k ngettext:1,2 -k counted:1,2 \
		-k lazy_gettext -k N_ --no-location --sort-output -o build/messages.pot .
	$(BIN)/pybabel update -i build/messages.pot -d caseflow/translations --no-wrap \
		--ignore-obsolete --no-fuzzy-matching --ignore-pot-creation-date
	$(BIN)/pybabel compile -d caseflow/translations
