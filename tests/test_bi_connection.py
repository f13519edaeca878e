"""Read the published warehouse the way BI tools do, and check they find the documented columns.

Superset and Metabase-style tools connect through SQLAlchemy (duckdb-engine) read-only;
Tableau and Evidence read the Parquet exports. The SQLAlchemy address is taken from
docs/bi_recipes.md, so the recipe people copy is the one that is tested. The semantic layer
is checked offline from dbt's semantic manifest against the published tables.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import yaml

from conftest import REPO


def documented_mart_columns() -> dict[str, list[str]]:
    """Mart name -> its columns in the order the model YAML documents them."""
    documented = {}
    for path in sorted((REPO / "models" / "marts").glob("**/_*.yml")):
        for model in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("models", []):
            documented[model["name"]] = [column["name"] for column in model.get("columns", [])]
    return documented


def recipe_url(published: Path) -> str:
    """The SQLAlchemy URI given in docs/bi_recipes.md, pointed at the test's warehouse."""
    recipes = (REPO / "docs" / "bi_recipes.md").read_text(encoding="utf-8")
    match = re.search(r"duckdb:////\S+?hefei\.duckdb\?access_mode=read_only", recipes)
    assert match, "docs/bi_recipes.md gives the read-only SQLAlchemy address"
    return re.sub(r"duckdb:////\S+?hefei\.duckdb", f"duckdb:///{published}", match.group(0))


# A BI tool is its own process: the check runs in a child process, so it opens the file the way
# Superset would, beside (not inside) the test session's own read-only connection.
BI_CLIENT = r"""
import json, sys
from sqlalchemy import create_engine, inspect, text
engine = create_engine(sys.argv[1])
inspector = inspect(engine)
marts = sorted(inspector.get_table_names(schema="marts"))
out = {"columns": {m: [c["name"] for c in inspector.get_columns(m, schema="marts")] for m in marts}}
with engine.connect() as connection:
    out["hefei"] = list(connection.execute(text(
        "select nominal_rank, name_zh from marts.fct_replicability_ranking where city_code = '340100'")).one())
    try:
        connection.execute(text("create table marts.scratch (x integer)"))
        out["write_error"] = None
    except Exception as error:
        out["write_error"] = str(error)
print(json.dumps(out, ensure_ascii=False))
"""


@pytest.fixture(scope="module")
def bi_client(built_warehouse) -> dict:
    result = subprocess.run([sys.executable, "-c", BI_CLIENT, recipe_url(built_warehouse)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_sqlalchemy_read_only_connection_finds_the_documented_columns(bi_client):
    documented = documented_mart_columns()
    assert {"dim_city", "fct_replicability_ranking", "fct_city_vs_hefei", "fct_state_investment"} <= set(documented)
    assert set(documented) <= set(bi_client["columns"])
    for mart, columns in documented.items():
        assert bi_client["columns"][mart] == columns, mart


def test_sqlalchemy_connection_is_read_only_and_answers_queries(bi_client):
    assert bi_client["hefei"][1] == "合肥市"
    assert bi_client["write_error"] and "read-only" in bi_client["write_error"]


def test_parquet_exports_have_the_documented_columns(built_warehouse):
    # What Tableau (Parquet connector) and Evidence (DuckDB over Parquet) read.
    exports = built_warehouse.parent / "exports"
    con = duckdb.connect()
    for mart, columns in documented_mart_columns().items():
        described = con.execute(f"describe select * from read_parquet('{exports / (mart + '.parquet')}')").fetchall()
        assert [row[0] for row in described] == columns, mart


def test_semantic_layer_defines_the_headline_metrics_on_real_columns(built_warehouse, warehouse):
    """The semantic manifest dbt wrote when it parsed the project for the build (offline; the
    file MetricFlow reads): every metric's measure points at a column that exists in the
    published warehouse, and the gdp measure gives Hefei's 2022 GDP.
    (MetricFlow's own CLI is not run here: it contacts a package index to check for updates.)"""
    written = built_warehouse.parent / ".dbt-target" / "semantic_manifest.json"
    manifest = json.loads(written.read_text(encoding="utf-8"))
    metrics = {m["name"]: m for m in manifest["metrics"]}
    assert {"gdp", "real_gdp_growth", "avg_wage_ratio_to_national", "index_score"} <= set(metrics)

    measures = {}
    for model in manifest["semantic_models"]:
        relation = model["node_relation"]
        for measure in model.get("measures", []):
            measures[measure["name"]] = (relation["schema_name"], relation["alias"], measure)
    for name in ("gdp", "real_gdp_growth", "avg_wage_ratio_to_national", "index_score"):
        measure_name = metrics[name]["type_params"]["measure"]["name"]
        schema, table, measure = measures[measure_name]
        columns = {r[0] for r in warehouse.execute(f'describe "{schema}"."{table}"').fetchall()}
        assert measure["expr"] in columns, (name, schema, table, measure["expr"])

    schema, table, measure = measures[metrics["gdp"]["type_params"]["measure"]["name"]]
    hefei_2022 = warehouse.execute(
        f'select {measure["agg"]}({measure["expr"]}) from "{schema}"."{table}" where city_code = ? and year = 2022',
        ["340100"]).fetchone()[0]
    assert hefei_2022 == pytest.approx(12013.0)


# DuckDB's storage format numbers and the release that introduced each (DuckDB's
# storage_info: 64 up to 1.1, 65 = 1.2, 66 = 1.3, 67 = 1.4).
FIRST_RELEASE_READING = {64: "0.10", 65: "1.2", 66: "1.3", 67: "1.4"}


def test_bi_recipes_state_the_minimum_duckdb_version_the_file_needs(built_warehouse):
    import re
    import struct

    import yaml

    recipes = (REPO / "docs" / "bi_recipes.md").read_text(encoding="utf-8")
    stated = re.search(r"\*\*Minimum DuckDB version: (\d+\.\d+)\.\*\*", recipes)
    stated_format = re.search(r"DuckDB storage format (\d+)", recipes)
    assert stated and stated_format, "docs/bi_recipes.md must state the minimum DuckDB version"
    header = built_warehouse.read_bytes()[:20]
    assert header[8:12] == b"DUCK"
    storage = struct.unpack("<Q", header[12:20])[0]
    assert storage == int(stated_format.group(1))
    assert FIRST_RELEASE_READING[storage] == stated.group(1)
    profile = yaml.safe_load((REPO / "profiles.yml").read_text(encoding="utf-8"))
    configured = profile["hefei_warehouse"]["outputs"]["local"]["config_options"]["storage_compatibility_version"]
    assert configured == f"v{stated.group(1)}.0"
