"""The project's DuckDB table and view materializations (macros/duckdb/build_in_place.sql) build
each model under its own name inside one transaction, without dbt's temporary name, rename and
backup. They must give what dbt-duckdb's own materializations give, and a rebuild must replace
an existing relation or, when the new one fails, leave the old one as it was."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from project_copy import copy_project, run_dbt

OWN_MACROS = [Path("macros") / "duckdb" / "build_in_place.sql", Path("macros") / "duckdb" / "persist_docs.sql"]
# The city dimension and what it is built from: seeds, staging views, intermediate tables and a
# mart with a contract and column comments.
SELECTION = ["--select", "+dim_city", "--exclude-resource-type", "test", "--exclude-resource-type", "unit_test"]


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("in-place") / "project")


@pytest.fixture(scope="module")
def own_build(project) -> Path:
    database = project.parent / "own" / "hefei.duckdb"
    result = run_dbt(project, database, "build", *SELECTION)
    assert result.returncode == 0, result.stdout + result.stderr
    return database


@pytest.fixture(scope="module")
def dbts_build(project, own_build) -> Path:
    """The same models built by dbt-duckdb's own materializations and comment writer."""
    for path in OWN_MACROS:
        (project / path).rename((project / path).with_suffix(".aside"))
    try:
        database = project.parent / "dbt" / "hefei.duckdb"
        result = run_dbt(project, database, "build", *SELECTION)
        assert result.returncode == 0, result.stdout + result.stderr
    finally:
        for path in OWN_MACROS:
            (project / path).with_suffix(".aside").rename(project / path)
    return database


def catalog(database: Path) -> dict:
    """Every relation with its comment and (for a view) its SQL; every column with its type,
    nullability and comment; every constraint."""
    with duckdb.connect(str(database), read_only=True) as con:
        return {
            "tables": con.execute("select schema_name, table_name, comment from duckdb_tables() "
                                  "where database_name = 'hefei' order by all").fetchall(),
            "views": con.execute("select schema_name, view_name, comment, sql from duckdb_views() "
                                 "where database_name = 'hefei' and not internal order by all").fetchall(),
            "columns": con.execute("select schema_name, table_name, column_index, column_name, data_type, is_nullable, "
                                   "comment from duckdb_columns() where database_name = 'hefei' order by all").fetchall(),
            "constraints": con.execute("select schema_name, table_name, constraint_type, constraint_text "
                                       "from duckdb_constraints() where database_name = 'hefei' order by all").fetchall(),
        }


def rows(database: Path, relation: str) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(f"select * from {relation} order by all").fetchall()


def test_models_built_in_place_match_dbts_own_materializations(own_build, dbts_build):
    own, theirs = catalog(own_build), catalog(dbts_build)
    assert own == theirs
    names = {name for _, name, *_ in own["tables"] + own["views"]}
    assert {"dim_city", "int_cities_located", "stg_seeds__cities", "stg_talent__universities"} <= names
    assert not [name for name in names if "__dbt_" in name], "no temporary or backup names are left"
    # the mart keeps its comments
    assert any(t == "dim_city" and comment for _, t, comment in own["tables"])
    assert [c for c in own["columns"] if c[1] == "dim_city" and not c[6]] == [], "every dim_city column has a comment"
    for relation in ("marts.dim_city", "intermediate.int_cities_located", "staging.stg_talent__universities"):
        got = rows(own_build, relation)
        assert got and got == rows(dbts_build, relation), relation
    # a golden figure: Hefei's row in the city dimension
    hefei = [r for r in rows(own_build, "marts.dim_city") if r[0] == "340100"]
    assert len(hefei) == 1 and hefei[0][1:3] == ("合肥市", "Hefei")


def test_a_rebuild_replaces_relations_and_a_failed_one_keeps_the_old(project, own_build, dbts_build):
    before = catalog(own_build)
    table_rows = rows(own_build, "intermediate.int_cities_located")
    view_rows = rows(own_build, "staging.stg_talent__universities")

    again = run_dbt(project, own_build, "build", *SELECTION)
    assert again.returncode == 0, again.stdout + again.stderr
    assert catalog(own_build) == before
    assert rows(own_build, "intermediate.int_cities_located") == table_rows

    # A table whose query fails while its rows are written, and a view that no longer binds.
    broken = {
        project / "models" / "intermediate" / "int_cities_located.sql":
            "select error('deliberate failure') as city_code from {{ ref('stg_seeds__cities') }}\n",
        project / "models" / "staging" / "stg_talent__universities.sql":
            "select no_such_column from {{ ref('universities') }}\n",
    }
    originals = {path: path.read_text(encoding="utf-8") for path in broken}
    try:
        for path, text in broken.items():
            path.write_text(text, encoding="utf-8")
        failed = run_dbt(project, own_build, "run", "--select", "int_cities_located", "stg_talent__universities")
    finally:
        for path, text in originals.items():
            path.write_text(text, encoding="utf-8")
    assert failed.returncode == 1
    assert "deliberate failure" in failed.stdout
    assert "no_such_column" in failed.stdout
    assert catalog(own_build) == before, "the old table and view, with their comments, are still there"
    assert rows(own_build, "intermediate.int_cities_located") == table_rows
    assert rows(own_build, "staging.stg_talent__universities") == view_rows
