# Two commands do everything: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
# Where `make run` serves: make run PORT=8010 HOST=0.0.0.0
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint check-deploy bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@# Browser capture needs a Chromium: CHROMIUM_PATH, Debian's, or Playwright's own build
	@# (downloaded here when possible); without one the worker captures with the http engine.
	@if [ -z "$$CHROMIUM_PATH" ] && [ ! -x /usr/bin/chromium ] && ! ls $$HOME/.cache/ms-playwright/chromium-*/chrome-linux*/chrome >/dev/null 2>&1; then \
		$(VENV)/bin/playwright install chromium || echo "No Chromium could be installed: sources are captured with the http engine (CAPTURE_ENGINE=http)."; \
	fi
	HOST=$(HOST) PORT=$(PORT) $(PY) -m workbench.runall

# The suite uses its own broker folder so it never steals a dev worker's messages.
test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run
	BROKER_DIR=$(CURDIR)/data/test-broker $(VENV)/bin/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) data
