# Two commands matter: `make run` and `make test`. Both install what they need first: `run` only the
# app (wheels; no compiler), `test` the app and everything the checks use.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
CHECKSUM   := $(shell cat pyproject.toml | cksum | cut -d' ' -f1)
APP_STAMP  := $(VENV)/.installed-app-$(CHECKSUM)
TEST_STAMP := $(VENV)/.installed-test-$(CHECKSUM)
SYSTEM_PACKAGES := chromium poppler-utils age

.PHONY: run test install bundle build-tools system-packages lint translations bench clean

run: $(APP_STAMP)
	$(VENV)/bin/incident-helper serve

# Lint first (ruff, mypy), then every test; pytest lists the 15 slowest at the end.
test: system-packages lint
	@$(PY) -m pytest --durations=15; status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing on purpose"; exit 1; fi; \
	test $$status -eq 0 || exit $$status
	@# The vault, crash and concurrency tests again, through the portable (Windows) implementation.
	$(PY) -m pytest --portable -q tests/test_vault.py tests/test_atomic.py tests/test_crash.py \
	  tests/test_disk_full.py tests/test_encryptor.py tests/test_portable.py tests/test_case_list.py tests/test_case_changes.py

install: $(APP_STAMP)

# A self-contained app in dist/incident-helper/ (one folder, no Python needed to run it). The same
# spec builds the macOS and Windows apps on those systems (README, "A self-contained app").
bundle: $(TEST_STAMP)
	$(VENV)/bin/pyinstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build/pyinstaller \
	  packaging/incident-helper.spec
	@echo "Built dist/incident-helper/incident-helper"

# The app alone: every dependency is a wheel, so no compiler is needed.
$(APP_STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e .
	@rm -f $(VENV)/.installed-app-*
	@touch $@

# The app, the test tools (pdqhash is built from source here) and PyInstaller, for the bundle's test.
$(TEST_STAMP): pyproject.toml | build-tools
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test,bundle]'
	@rm -f $(VENV)/.installed-test-*
	@touch $@

# Debian packages the tests use: Chromium (browser tests), poppler-utils (PDF checks), age (interop).
system-packages:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v pdftoppm >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	command -v age >/dev/null 2>&1 || missing="$$missing age"; \
	$(APT_OR_ASK)

# The tests check the app's own PDQ (numpy) against the reference, `pdqhash`, which PyPI publishes as
# source only: building it needs g++ and Python.h. (The app itself needs neither, nor any system font.)
build-tools:
	@missing=""; \
	command -v g++ >/dev/null 2>&1 || missing="$$missing g++"; \
	$(PYTHON) -c 'import os, sys, sysconfig; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' \
	  || missing="$$missing python3-dev"; \
	$(APT_OR_ASK)

define APT_OR_ASK
if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	  else \
	    echo "Please install these system packages first:$$missing (sudo apt-get install$$missing)"; exit 1; \
	  fi; \
	fi
endef

# After changing user-visible text: extract, merge into the French catalogue, compile.
translations: $(APP_STAMP)
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k ngettext:1,2 -k N_ -k say -k warn --no-location -o translations/messages.pot .
	$(VENV)/bin/pybabel update -i translations/messages.pot -d translations --width 110
	$(VENV)/bin/pybabel compile -d translations

lint: $(TEST_STAMP)
	$(PY) -m ruff check helper tests benchmarks
	$(PY) -m mypy helper tests benchmarks

bench: $(TEST_STAMP) system-packages
	$(PY) benchmarks/upload_throughput.py
	$(PY) benchmarks/intake.py
	$(PY) benchmarks/dossier.py
	$(PY) benchmarks/serve_verified.py
	$(PY) benchmarks/letters.py
	$(PY) benchmarks/handover.py
	$(PY) benchmarks/scale.py
	$(PY) benchmarks/unlock.py
	$(PY) benchmarks/cli_start.py

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .ruff_cache test-artifacts build dist
