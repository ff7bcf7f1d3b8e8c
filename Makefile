# Two commands do everything: `make run` and `make test` (see README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test
PORT   ?= 8501

.PHONY: run test setup setup-test samples bench browser-deps screenshots clean

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

# OS packages for two tests: Debian's Chromium (the real-browser test) and LibreOffice Calc
# (renders the Excel report to PDF). Installed with apt-get where it is available and we may;
# elsewhere those two tests are skipped and say why.
browser-deps:
	@if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		if [ ! -x /usr/bin/chromium ]; then \
			echo "Installing Chromium from the OS packages for the browser test..."; \
			(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
			|| echo "Could not install chromium; the browser test will say why it is skipped."; \
		fi; \
		if ! command -v soffice >/dev/null 2>&1; then \
			echo "Installing LibreOffice Calc from the OS packages for the report test..."; \
			(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-calc >/dev/null) \
			|| echo "Could not install libreoffice-calc; the PDF test will say why it is skipped."; \
		fi; \
	fi

samples: $(STAMP)
	$(PY) sample_data/make_samples.py

run: $(STAMP)
	@test -f sample_data/churn.csv || $(PY) sample_data/make_samples.py
	$(VENV)/bin/fairtrial app --port $(PORT) $(if $(NO_BROWSER),--no-browser,)

test: setup-test
	@test -f sample_data/churn.csv || $(PY) sample_data/make_samples.py
	$(PY) -m pytest

# The README's pictures: the browser walk (tests/app/test_browser_walk.py) takes one per page; the
# Check, Results and report (the HTML summary in the browser) pictures are kept in docs/screenshots.
SHOTS := docs/screenshots
screenshots: setup-test
	@test -f sample_data/churn.csv || $(PY) sample_data/make_samples.py
	rm -rf $(SHOTS)/walk
	FAIRTRIAL_SCREENSHOTS=$(SHOTS)/walk $(PY) -m pytest -q -p no:cacheprovider tests/app/test_browser_walk.py
	mv $(SHOTS)/walk/2-check.png $(SHOTS)/check.png
	mv $(SHOTS)/walk/4-results.png $(SHOTS)/results.png
	mv $(SHOTS)/walk/5-report.png $(SHOTS)/report.png
	rm -rf $(SHOTS)/walk

bench: $(STAMP)
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache build src/*.egg-info
