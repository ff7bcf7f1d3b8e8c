# Two commands do everything: `make run` and `make test` (see README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test
PORT   ?= 8501

.PHONY: run test setup setup-test samples bench browser-deps clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(TSTAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP) $@

setup: $(STAMP)

setup-test: $(TSTAMP) browser-deps

# Debian's Chromium for the browser test; skipped quietly where apt-get is not available.
browser-deps:
	@if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Chromium from the OS packages for the browser test..."; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
		|| echo "Could not install chromium; the browser test will say why it is skipped."; \
	fi

samples: $(STAMP)
	$(PY) sample_data/make_samples.py

run: $(STAMP)
	@test -f sample_data/churn.csv || $(PY) sample_data/make_samples.py
	$(VENV)/bin/fairtrial app --port $(PORT)

test: setup-test
	@test -f sample_data/churn.csv || $(PY) sample_data/make_samples.py
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache build src/*.egg-info
