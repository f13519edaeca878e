"""The whole project built on Apache Spark from the committed seeds, compared with the DuckDB
build table by table (hefei-warehouse spark-check). Needs `make spark-deps` and Java 17;
`make test` installs them; `make test-duckdb` leaves these tests out."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.spark

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def spark_check(tmp_path_factory):
    """Run the comparison once: both builds, every mart and semantic table, the seed checks."""
    work = tmp_path_factory.mktemp("spark-check")
    result = subprocess.run(
        [sys.executable, "-m", "hefei_warehouse", "spark-check", "--work", str(work)],
        cwd=REPO, capture_output=True, text=True,
    )
    print(result.stdout)  # the comparison table, shown with -s or on failure
    report = work / "spark-check.json"
    return result, json.loads(report.read_text()) if report.exists() else None


def test_every_mart_and_semantic_table_equals_duckdb(spark_check):
    result, report = spark_check
    assert report is not None, f"no comparison made:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    different = {t["relation"]: t["problems"] for t in report["tables"] if t["problems"]}
    assert different == {}
    assert result.returncode == 0, result.stdout[-4000:]
    assert report["tolerance"] == 1e-6


def test_the_comparison_covers_the_index_and_core_marts_with_rows(spark_check):
    _, report = spark_check
    tables = {t["relation"]: t for t in report["tables"]}
    assert len([r for r in tables if r.startswith("marts.")]) >= 18
    for relation in ("marts.fct_replicability_ranking", "marts.fct_replicability_pillar_scores",
                     "marts.dim_index_indicator", "marts.fct_city_year_panel", "semantic.sem_replicability_index"):
        assert tables[relation]["rows_spark"] == tables[relation]["rows_duckdb"] > 0, relation
    # 174 inland cities are ranked in the latest rankable year (README)
    assert tables["marts.fct_replicability_ranking"]["rows_spark"] >= 150


def test_seeds_keep_nulls_and_apostrophes_on_spark(spark_check):
    _, report = spark_check
    assert report["seed_problems"] == []


def test_every_unit_test_passed_on_both_engines(spark_check):
    """Spark reads unit-test fixtures as inline tables (macros/spark/spark_unit_test_fixtures.sql),
    DuckDB as dbt writes them: the same unit tests must run and pass on both."""
    _, report = spark_check
    passed = report["duckdb_unit_tests_passed"]  # None unless every unit test passed
    assert passed is not None and passed >= 21, passed
    assert report["spark_unit_tests_passed"] == report["duckdb_unit_tests_passed"]
