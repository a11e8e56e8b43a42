# Two commands for a fresh machine with Python 3.11: `make run` and `make test`.
PYTHON ?= python3.11
VENV   ?= .venv
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: run test test-unit lint bench install browser wheel

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	@rm -f $(VENV)/.installed-*; touch $@

install: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/vaka run

# Four workers on two cores: much of a test's time is spent waiting for a server. Each test
# file runs whole on one worker, so a server its tests share (a module fixture) starts once.
test: $(STAMP) browser
	$(VENV)/bin/python -m pytest -n 4 --dist loadfile

# The domain's rules alone, no servers: seconds, for the edit-test loop.
test-unit: $(STAMP)
	$(VENV)/bin/python -m pytest -q tests/unit tests/test_import_structure.py

# The browser tests use the system's Chromium; install Debian's package where we can.
browser:
	@command -v chromium >/dev/null || { command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] \
		&& apt-get install -y -q chromium >/dev/null; } || \
		echo "Chromium is not installed; the browser tests will be skipped (apt-get install chromium)"

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

bench: $(STAMP)
	$(VENV)/bin/python -m bench.write_load --start
	$(VENV)/bin/python -m bench.read_models

# Build the wheel, install it alone in a clean venv, import every module, start Vaka from it.
wheel:
	PYTHON=$(PYTHON) .ci/wheel
