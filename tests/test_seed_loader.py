"""The project's DuckDB seed materialization (macros/duckdb/seed_from_csv.sql) skips dbt's
agate read of every CSV. It must give exactly what dbt's own seed materialization gives:
same columns in the same order, same types, same comments and the same rows."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from project_copy import copy_project

OWN_LOADER = Path("macros") / "duckdb" / "seed_from_csv.sql"


def run_dbt(project: Path, database: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DBT_", "HEFEI_"))}
    env.update(DBT_SEND_ANONYMOUS_USAGE_STATS="false", HEFEI_BUILD_PATH=str(database),
               DBT_TARGET_PATH=str(database.parent / "target"), DBT_LOG_PATH=str(database.parent / "logs"))
    dbt = Path(sys.executable).with_name("dbt")
    return subprocess.run([str(dbt) if dbt.exists() else "dbt", *args], cwd=project, env=env,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def loaders(tmp_path_factory) -> Path:
    """A project copy holding both loaders: ours under its usual name, dbt's own by renaming
    the file that overrides it (so both tests share one parse of the project)."""
    return copy_project(tmp_path_factory.mktemp("seed-loaders") / "project")


@pytest.fixture(scope="module")
def default_seeds(loaders) -> Path:
    """The seeds loaded by dbt's own materialization."""
    own = loaders / OWN_LOADER
    aside = own.with_suffix(".aside")
    own.rename(aside)
    try:
        database = loaders.parent / "default.duckdb"
        result = run_dbt(loaders, database, "seed")
        assert result.returncode == 0, result.stdout + result.stderr
    finally:
        aside.rename(own)
    return database


def describe(con, catalog: str) -> dict:
    tables = con.execute(
        "select table_name, comment from duckdb_tables() where database_name = ? and schema_name = 'seeds'",
        [catalog]).fetchall()
    columns = con.execute(
        "select table_name, column_index, column_name, data_type, comment from duckdb_columns() "
        "where database_name = ? and schema_name = 'seeds' order by table_name, column_index", [catalog]).fetchall()
    return {"tables": sorted(tables), "columns": columns}


def test_own_seed_loader_gives_what_dbts_loader_gives(default_seeds, built_warehouse):
    con = duckdb.connect()
    con.execute(f"attach '{default_seeds}' as dflt (read_only)")
    con.execute(f"attach '{built_warehouse}' as own (read_only)")
    expected, got = describe(con, "dflt"), describe(con, "own")
    assert len(expected["tables"]) >= 18
    assert got == expected
    for name, _ in expected["tables"]:
        rows = con.execute(f"select count(*) from dflt.seeds.{name}").fetchone()[0]
        assert rows > 0, name
        for left, right in (("dflt", "own"), ("own", "dflt")):
            extra = con.execute(
                f"select count(*) from (select * from {left}.seeds.{name} except all select * from {right}.seeds.{name})"
            ).fetchone()[0]
            assert extra == 0, f"{name}: {extra} rows in {left} not in {right}"
    # a golden figure through both loaders: Hefei's 2022 GDP
    query = ("select value from {}.seeds.city_year_values where city_code = '340100' and year = 2022 "
             "and indicator_code = 'gdp_cny_100m' and source_id = 'gp_industry_structure'")
    assert con.execute(query.format("own")).fetchone()[0] == con.execute(query.format("dflt")).fetchone()[0] == 12013


def test_a_seed_column_without_a_declared_type_is_a_clear_error(loaders, default_seeds):
    path = loaders / "seeds" / "science_centres.csv"
    original = path.read_text(encoding="utf-8")
    lines = original.splitlines()
    path.write_text("\n".join([lines[0] + ",undeclared_note", *(line + ",x" for line in lines[1:])]) + "\n",
                    encoding="utf-8")
    try:
        # the same database and target folder as the fixture, so dbt re-parses only what changed;
        # the load stops before it touches any table
        result = run_dbt(loaders, default_seeds, "seed", "--select", "science_centres")
    finally:
        path.write_text(original, encoding="utf-8")
    assert result.returncode == 1
    assert "seed 'science_centres': column 'undeclared_note' has no declared type" in result.stdout
