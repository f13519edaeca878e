# Two commands for a new user: `make warehouse` builds and publishes, `make test` checks everything
# (the DuckDB suite, then the same project built on Apache Spark and compared table by table).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
RAW    ?= snapshots

export DBT_SEND_ANONYMOUS_USAGE_STATS := false

SPARK_STAMP := $(VENV)/.installed-spark

.PHONY: warehouse test test-duckdb spark-deps spark-check browser ingest rollback clean

warehouse: $(STAMP)
	$(BIN)/hefei-warehouse build

test: $(STAMP) $(SPARK_STAMP) browser
	$(BIN)/python -m pytest

# The inner loop: everything except the Spark build and comparison (no Java needed).
test-duckdb: $(STAMP) browser
	$(BIN)/python -m pytest -m "not spark"

# Apache Spark for the `spark` dbt target (pinned in requirements-spark.txt; needs Java 17).
spark-deps: $(SPARK_STAMP)

$(SPARK_STAMP): $(STAMP) requirements-spark.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-spark.txt
	touch $(SPARK_STAMP)

# Build on DuckDB and on local Spark, compare every mart and semantic table (docs/spark.md).
spark-check: $(SPARK_STAMP)
	$(BIN)/hefei-warehouse spark-check

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
# (about 50 minutes; BENCH_ARGS=--quick for a few). Results: /tmp/hefei-bench/results.md.
.PHONY: bench
bench: $(STAMP)
	$(BIN)/python bench/run_benchmarks.py $(BENCH_ARGS)
