# Two commands for a new user: `make warehouse` builds and publishes, `make test` checks everything.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
RAW    ?= snapshots

export DBT_SEND_ANONYMOUS_USAGE_STATS := false

.PHONY: warehouse test browser ingest rollback clean

warehouse: $(STAMP)
	$(BIN)/hefei-warehouse build

test: $(STAMP) browser
	$(BIN)/python -m pytest

# Headless Chromium for the report test (installs the Debian package once; a no-op after).
browser:
	./scripts/ensure_chromium.sh

# Re-create the committed seeds from the raw public data (not needed to build).
ingest: $(STAMP)
	$(BIN)/hefei-warehouse ingest --raw $(RAW)

rollback: $(STAMP)
	$(BIN)/hefei-warehouse rollback

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

clean:
	rm -rf target logs warehouse/.build

# Time the build against its DuckDB floor, the index scenarios and synthetic 10x/100x data
# (about 15 minutes; BENCH_ARGS=--quick for a few). Results: /tmp/hefei-bench/results.md.
.PHONY: bench
bench: $(STAMP)
	$(BIN)/python bench/run_benchmarks.py $(BENCH_ARGS)
