# erpimpl — see README.md. `make run` starts the app with a demo project; `make test` runs the suite.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup run test lint bench messages

$(VENV)/bin/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found: install Python 3.11 or run 'make PYTHON=python3 ...'"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(VENV)/bin/python requirements.txt requirements-dev.txt
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

setup: $(STAMP) node_modules/.package-lock.json

run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	scripts/run-dev

test: setup
	scripts/test

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

messages: setup
	$(PY) manage.py makemessages -l vi --ignore=node_modules --ignore=.venv --ignore=var --ignore=bench
	$(PY) manage.py compilemessages -l vi --ignore=node_modules --ignore=.venv

bench: setup
	$(PY) -m pip install --quiet -r bench/requirements.txt
	$(PY) bench/run.py $(BENCH_ARGS)
