# ocrportal: `make run` to try it, `make test` to check it. See README.md.
PORT ?= 8000
PYTHON := .venv/bin/python

.PHONY: setup run test test-fast bench lint

setup:
	@bash scripts/setup.sh
	@$(PYTHON) manage.py migrate --noinput -v 0
	@$(PYTHON) manage.py compilemessages -v 0 --ignore=.venv --ignore=var

run: setup
	@PORT=$(PORT) bash scripts/run.sh

test: setup
	@.venv/bin/ruff check --quiet .
	@.venv/bin/ruff format --check --quiet .
	@.venv/bin/mypy documents ocrengine ocrportal
	@$(PYTHON) -m pytest $(PYTEST_ARGS)

# The quick loop while working: no Chromium, no worker processes (make test runs everything).
test-fast: setup
	@.venv/bin/ruff check --quiet .
	@$(PYTHON) -m pytest -m "not browser and not worker" $(PYTEST_ARGS)

bench: setup
	@$(PYTHON) bench/run.py

lint: setup
	@.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/mypy documents ocrengine ocrportal
