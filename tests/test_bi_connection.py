"""Read the published warehouse the way BI tools do, and check they find the documented columns.

Superset and Metabase-style tools connect through SQLAlchemy (duckdb-engine) read-only;
Tableau and Evidence read the Parquet exports. The SQLAlchemy address is taken from
docs/bi_recipes.md, so the recipe people copy is the one that is tested. The semantic layer
is queried with MetricFlow (`mf query`) on a copy of the project.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import yaml

from conftest import REPO
from project_copy import copy_project


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


def test_metricflow_answers_the_headline_metrics(built_warehouse, tmp_path):
    mf = Path(sys.executable).with_name("mf")
    assert mf.exists(), "dbt-metricflow is pinned in requirements.txt"
    project = copy_project(tmp_path / "project")
    database = tmp_path / "db" / built_warehouse.name
    database.parent.mkdir()
    shutil.copyfile(os.path.realpath(built_warehouse), database)  # MetricFlow opens its file read-write
    env = dict(os.environ, HEFEI_BUILD_PATH=str(database), DBT_PROFILES_DIR=str(project),
               DBT_SEND_ANONYMOUS_USAGE_STATS="false", DBT_LOG_PATH=str(tmp_path / "logs"))
    env.pop("DBT_TARGET_PATH", None)
    parse = subprocess.run([str(mf.with_name("dbt")), "parse", "--quiet"], cwd=project, env=env, capture_output=True, text=True)
    assert parse.returncode == 0, parse.stdout + parse.stderr
    query = subprocess.run(
        [str(mf), "query", "--metrics", "gdp,real_gdp_growth,avg_wage_ratio_to_national,index_score",
         "--group-by", "metric_time__year,city__name_en", "--where", "{{ Dimension('city__name_en') }} = 'Hefei'",
         "--order", "metric_time__year", "--csv", str(tmp_path / "out.csv")],
        cwd=project, env=env, capture_output=True, text=True,
    )
    assert query.returncode == 0, query.stdout + query.stderr
    rows = (tmp_path / "out.csv").read_text(encoding="utf-8").splitlines()
    header = rows[0].split(",")
    hefei_2022 = dict(zip(header, next(r for r in rows if r.startswith("2022")).split(",")))
    with duckdb.connect(str(database), read_only=True) as con:
        expected = con.execute(
            "select gdp_cny_100m from marts.fct_city_year_panel where city_code = '340100' and year = 2022").fetchone()[0]
    assert float(hefei_2022["gdp"]) == pytest.approx(expected)
