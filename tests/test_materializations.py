"""The project's own DuckDB materializations and comment writer (macros/duckdb/):
  - seeds are loaded by DuckDB's CSV reader (seed_from_csv.sql), not read into Python first;
  - tables and views are built under their own name in one transaction (build_in_place.sql),
    without dbt's temporary name, rename and backup;
  - comments take the columns the build already checked (persist_docs.sql).
They must give exactly what dbt's and dbt-duckdb's own macros give: the same relations, columns,
types, comments, view SQL and rows. A rebuild must replace a relation, and a rebuild that fails
must leave the old one as it was."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import duckdb
import pytest

from project_copy import copy_project, run_dbt

pytestmark = pytest.mark.long

OWN_MACROS = [Path("macros") / "duckdb" / name for name in ("seed_from_csv.sql", "build_in_place.sql", "persist_docs.sql")]
# Every seed, and the city dimension with what it is built from: staging views, intermediate
# tables and a mart with a contract and column comments.
SELECTION = ["--select", "resource_type:seed", "+dim_city", "--exclude-resource-type", "test",
             "--exclude-resource-type", "unit_test"]
MODELS = {"dim_city", "int_cities_located", "int_city_policy_talent", "stg_seeds__cities", "stg_talent__universities",
          "stg_talent__science_centres", "stg_policy__chain_boss_adoption"}


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    # Under a folder named like a partition (`year=1999`): the seed loader must read only the
    # files' own columns, whatever the path a project is cloned to.
    return copy_project(tmp_path_factory.mktemp("materializations") / "year=1999" / "project")


@pytest.fixture(scope="module")
def built_by_dbt(project) -> Path:
    """The selection built by dbt's and dbt-duckdb's own macros (the project's are moved aside),
    in the database the rebuild below builds over."""
    for path in OWN_MACROS:
        (project / path).rename((project / path).with_suffix(".aside"))
    try:
        database = project.parent / "rebuilt" / "hefei.duckdb"
        result = run_dbt(project, database, "build", *SELECTION)
        assert result.returncode == 0, result.stdout + result.stderr
    finally:
        for path in OWN_MACROS:
            (project / path).with_suffix(".aside").rename(project / path)
    return database


@pytest.fixture(scope="module")
def dbts_own(built_by_dbt) -> Path:
    """A copy of what dbt's own macros built, kept to compare with."""
    database = built_by_dbt.parent.parent / "dbt-own" / "hefei.duckdb"
    database.parent.mkdir()
    shutil.copy2(built_by_dbt, database)
    return database


@pytest.fixture(scope="module")
def rebuilt(project, built_by_dbt, dbts_own) -> tuple[Path, object]:
    """That database built again by the project's macros over the relations there. The same
    file and target folder as the first build: dbt re-parses only the macros put back."""
    return built_by_dbt, run_dbt(project, built_by_dbt, "build", *SELECTION)


def catalog(database: Path, schemas=("seeds", "staging", "intermediate", "marts")) -> dict:
    """Every relation with its comment and (for a view) its SQL; every column with its type,
    nullability and comment; every constraint."""
    where = "database_name = 'hefei' and schema_name in (" + ", ".join(f"'{name}'" for name in schemas) + ")"
    with duckdb.connect(str(database), read_only=True) as con:
        return {
            "tables": con.execute(f"select schema_name, table_name, comment from duckdb_tables() where {where} order by all").fetchall(),
            "views": con.execute(f"select schema_name, view_name, comment, sql from duckdb_views() where {where} "
                                 "and not internal order by all").fetchall(),
            "columns": con.execute("select schema_name, table_name, column_index, column_name, data_type, is_nullable, "
                                   f"comment from duckdb_columns() where {where} order by all").fetchall(),
            "constraints": con.execute("select schema_name, table_name, constraint_type, constraint_text "
                                       f"from duckdb_constraints() where {where} order by all").fetchall(),
        }


def rows(database: Path, relation: str) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(f"select * from {relation} order by all").fetchall()


def test_own_seed_loader_gives_what_dbts_loader_gives(dbts_own, built_warehouse):
    expected, got = catalog(dbts_own, ["seeds"]), catalog(built_warehouse, ["seeds"])
    assert len(expected["tables"]) >= 18
    assert got == expected
    con = duckdb.connect()
    con.execute(f"attach '{dbts_own}' as dflt (read_only)")
    con.execute(f"attach '{built_warehouse}' as own (read_only)")
    for _, name, _ in expected["tables"]:
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


def test_models_built_in_place_match_dbts_own_materializations(dbts_own, built_warehouse):
    models = ["staging", "intermediate", "marts"]
    expected = catalog(dbts_own, models)
    names = {name for _, name, *_ in expected["tables"] + expected["views"]}
    assert names == MODELS
    # the same relations in the warehouse the project's macros built (which has every model)
    got = catalog(built_warehouse, models)
    got = {key: [row for row in found if row[1] in names] for key, found in got.items()}
    assert got == expected
    assert any(name == "dim_city" and comment for _, name, comment in got["tables"])
    assert [c for c in got["columns"] if c[1] == "dim_city" and not c[6]] == [], "every dim_city column has a comment"
    for relation in ("marts.dim_city", "intermediate.int_cities_located", "staging.stg_talent__universities"):
        found = rows(built_warehouse, relation)
        assert found and found == rows(dbts_own, relation), relation
    # a golden row: Hefei in the city dimension
    hefei = [r for r in rows(built_warehouse, "marts.dim_city") if r[0] == "340100"]
    assert len(hefei) == 1 and hefei[0][1:3] == ("合肥市", "Hefei")


def test_a_rebuild_replaces_relations_and_a_failed_one_keeps_the_old(project, dbts_own, rebuilt):
    database, result = rebuilt
    assert result.returncode == 0, result.stdout + result.stderr
    # The rebuild re-parsed only the macros put back: they must be in its manifest, or dbt's
    # own materializations (which pass the checks below too) would have built it.
    macros = json.loads((database.parent / "target" / "manifest.json").read_text(encoding="utf-8"))["macros"]
    assert {"macro.hefei_warehouse.materialization_table_duckdb", "macro.hefei_warehouse.materialization_view_duckdb",
            "macro.hefei_warehouse.materialization_seed_duckdb", "macro.hefei_warehouse.duckdb__persist_docs"} <= set(macros)
    before = catalog(dbts_own)
    assert catalog(database) == before, "no temporary or backup names, and the same relations"
    table_rows = rows(database, "intermediate.int_cities_located")
    view_rows = rows(database, "staging.stg_talent__universities")
    assert table_rows == rows(dbts_own, "intermediate.int_cities_located")

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
        failed = run_dbt(project, database, "run", "--select", "int_cities_located", "stg_talent__universities")
    finally:
        for path, text in originals.items():
            path.write_text(text, encoding="utf-8")
    assert failed.returncode == 1
    assert "deliberate failure" in failed.stdout
    assert "no_such_column" in failed.stdout
    assert catalog(database) == before, "the old table and view, with their comments, are still there"
    assert rows(database, "intermediate.int_cities_located") == table_rows
    assert rows(database, "staging.stg_talent__universities") == view_rows


@pytest.fixture(scope="module")
def seeds_that_do_not_match_their_types(project, rebuilt) -> tuple[object, str]:
    """One dbt seed run over two broken seeds: science_centres.csv with a column it does not
    declare, science_centre_census.csv without its last declared column. Run in the rebuild's
    database and target folder, so dbt re-parses only what changed; the load stops before it
    touches any table. Returns the run and the dropped column."""
    database, _ = rebuilt
    undeclared = project / "seeds" / "science_centres.csv"
    missing = project / "seeds" / "science_centre_census.csv"
    originals = {path: path.read_text(encoding="utf-8") for path in (undeclared, missing)}
    lines = originals[undeclared].splitlines()
    census_rows = list(csv.reader(io.StringIO(originals[missing])))
    try:
        undeclared.write_text("\n".join([lines[0] + ",undeclared_note", *(line + ",x" for line in lines[1:])]) + "\n",
                              encoding="utf-8")
        with open(missing, "w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows(row[:-1] for row in census_rows)
        result = run_dbt(project, database, "seed", "--select", "science_centres", "science_centre_census")
    finally:
        for path, text in originals.items():
            path.write_text(text, encoding="utf-8")
    return result, census_rows[0][-1]


def test_a_seed_column_without_a_declared_type_is_a_clear_error(seeds_that_do_not_match_their_types):
    result, _ = seeds_that_do_not_match_their_types
    assert result.returncode == 1
    assert "seed 'science_centres': column 'undeclared_note' has no declared type" in result.stdout


def test_a_declared_seed_column_missing_from_the_file_is_a_clear_error(seeds_that_do_not_match_their_types):
    # The column comments take a seed's columns from its declared types, so a declared column
    # the file lacks must stop the load rather than fail later on a comment.
    result, dropped = seeds_that_do_not_match_their_types
    assert result.returncode == 1
    assert (f"seed 'science_centre_census': column '{dropped}' is declared in column_types (seeds/*.yml) "
            "but not in the file's header") in result.stdout
