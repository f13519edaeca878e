"""The project's DuckDB seed materialization (macros/duckdb/seed_from_csv.sql) skips dbt's
agate read of every CSV, and its comment writer (macros/duckdb/persist_docs.sql) skips dbt's
column lookups. Together they must give exactly what dbt's own seed materialization and comment
writer give: same columns in the same order, same types, same comments and the same rows."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import duckdb
import pytest

from project_copy import copy_project, run_dbt

OWN_LOADER = Path("macros") / "duckdb" / "seed_from_csv.sql"
OWN_COMMENTS = Path("macros") / "duckdb" / "persist_docs.sql"


@pytest.fixture(scope="module")
def loaders(tmp_path_factory) -> Path:
    """A project copy holding both loaders: ours under its usual name, dbt's own by renaming
    the file that overrides it (so both tests share one parse of the project)."""
    return copy_project(tmp_path_factory.mktemp("seed-loaders") / "project")


@pytest.fixture(scope="module")
def default_seeds(loaders) -> Path:
    """The seeds loaded, and their comments written, by dbt's own macros."""
    own = [loaders / OWN_LOADER, loaders / OWN_COMMENTS]
    for path in own:
        path.rename(path.with_suffix(".aside"))
    try:
        database = loaders.parent / "default.duckdb"
        result = run_dbt(loaders, database, "seed")
        assert result.returncode == 0, result.stdout + result.stderr
    finally:
        for path in own:
            path.with_suffix(".aside").rename(path)
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


def test_a_declared_seed_column_missing_from_the_file_is_a_clear_error(loaders, default_seeds):
    # The column comments take a seed's columns from its declared types, so a declared column
    # the file lacks must stop the load rather than fail later on a comment.
    path = loaders / "seeds" / "science_centres.csv"
    original = path.read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(original)))
    dropped = rows[0][-1]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(row[:-1] for row in rows)
    try:
        result = run_dbt(loaders, default_seeds, "seed", "--select", "science_centres")
    finally:
        path.write_text(original, encoding="utf-8")
    assert result.returncode == 1
    assert (f"seed 'science_centres': column '{dropped}' is declared in column_types (seeds/*.yml) "
            "but not in the file's header") in result.stdout
