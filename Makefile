# The two set-up commands a new user needs: `make run` and `make test`.
# Both create .venv on first use; nothing else must be installed but Python 3.11+.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test
STAMP_BUNDLE := $(VENV)/.installed-bundle

.PHONY: run test lint format typecheck check bench clean screenshot bundle bundle-test

run: $(STAMP_RUN)
	$(BIN)/leaddesk $(ARGS)

test: $(STAMP_TEST)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP_TEST)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP_TEST)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: $(STAMP_TEST)
	$(BIN)/mypy leaddesk

check: lint typecheck test

# Both scripts run even when the first misses a target; bench fails if either does.
bench: $(STAMP_TEST)
	$(BIN)/python benchmarks/import_export.py $(BENCH_ARGS); csv=$$?; \
	$(BIN)/python benchmarks/xlsx_import_export.py $(XLSX_BENCH_ARGS); xlsx=$$?; \
	exit $$((csv || xlsx))

# A PyInstaller folder bundle in dist/leaddesk (leaddesk-cli and the windowed LeadDesk);
# bundle-test runs it from outside the repository on a fresh database.
bundle: $(STAMP_BUNDLE)
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build/pyinstaller packaging/leaddesk.spec

bundle-test: bundle
	$(BIN)/python packaging/smoke_test.py dist/leaddesk

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

$(STAMP_BUNDLE): $(VENV)/bin/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[packaging]'
	@touch $@ $(STAMP_RUN)

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
