"""The column_rules data test (tests/dbt/generic/column_rules.sql): one query per model for its
not_null, unique, accepted_values, accepted_range, relationships and expressions rules. Its compiled queries are run on a
copy of the built warehouse with one broken value per rule, and the build's failure message is
checked to say which column broke which rule."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from hefei_warehouse.dbt_runner import failed_test_findings

HEFEI = "340100"


@pytest.fixture(scope="module")
def compiled_rules(built_warehouse) -> dict[str, dict]:
    """The column_rules test nodes of the shared build, by name, with their compiled SQL."""
    manifest = json.loads((built_warehouse.parent / "docs" / "manifest.json").read_text(encoding="utf-8"))
    return {
        node["name"]: node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test" and (node.get("test_metadata") or {}).get("name") == "column_rules"
    }


@pytest.fixture
def broken_copy(built_warehouse, tmp_path) -> Path:
    # Same file name: DuckDB names the catalog after the file, and the compiled SQL uses it.
    copy = tmp_path / built_warehouse.name
    shutil.copyfile(built_warehouse, copy)
    with duckdb.connect(str(copy)) as con:
        con.execute("update marts.dim_city set region = 'North' where city_code = '110100'")
        con.execute("update marts.dim_city set name_zh = null where city_code = '120100'")
        con.execute("update marts.dim_city set n_universities = -1 where city_code = '130100'")
        con.execute("insert into marts.dim_city select * from marts.dim_city where city_code = ?", [HEFEI])
        con.execute("""insert into intermediate.int_city_year_values_screened
                       select * from intermediate.int_city_year_values_screened
                       where city_code = ? and year = 2020 and indicator_code = 'gdp_cny_100m'""", [HEFEI])
        # two missing ranks are gaps, not a repeated rank (as dbt's own unique test); a repeated one is
        con.execute("""update marts.fct_hefei_twins set nearness_rank = null
                       where nearness_rank in (select nearness_rank from marts.fct_hefei_twins order by 1 limit 2)""")
        # a code the city seed does not have, a row breaking a condition, and one where it is null
        con.execute("update intermediate.int_city_policy_talent set city_code = '999999' where city_code = '130100'")
        con.execute("update intermediate.int_city_policy_talent set n_project_985 = n_project_211 + 1 where city_code = '110100'")
        con.execute("update intermediate.int_city_policy_talent set n_universities = null where city_code = '120100'")
    return copy


def run(database: Path, sql: str) -> set[tuple]:
    with duckdb.connect(str(database), read_only=True) as con:
        return set(con.execute(sql).fetchall())


def test_every_model_with_column_rules_passes_them_in_the_built_warehouse(compiled_rules, built_warehouse):
    # One test per model with column rules, all of which the shared build ran and passed.
    assert len(compiled_rules) >= 70
    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        for name, node in compiled_rules.items():
            assert con.execute(node["compiled_code"]).fetchall() == [], name


def test_each_kind_of_rule_fails_on_a_broken_value(compiled_rules, broken_copy):
    found = run(broken_copy, compiled_rules["column_rules_dim_city"]["compiled_code"])
    assert found == {
        ("city_code", "unique", 1, HEFEI),
        ("name_zh", "not_null", 1, None),
        ("region", "accepted_values", 1, "North"),
        ("n_universities", "accepted_range", 1, "-1"),
        # the same value breaks a row condition of the model too
        ("n_elite_universities <= n_universities", "expression_is_true", 1, None),
    }
    # a key of several columns: the repeated combination, shown column by column
    found = run(broken_copy, compiled_rules["column_rules_int_city_year_values_screened"]["compiled_code"])
    assert found == {("city_code, year, indicator_code", "unique", 1, f"{HEFEI} | 2020 | gdp_cny_100m")}
    twins = compiled_rules["column_rules_fct_hefei_twins"]["compiled_code"]
    assert run(broken_copy, twins) == set()
    with duckdb.connect(str(broken_copy)) as con:
        con.execute("""update marts.fct_hefei_twins set nearness_rank = 3
                       where nearness_rank = (select max(nearness_rank) from marts.fct_hefei_twins)""")
    assert run(broken_copy, twins) == {("nearness_rank", "unique", 1, "3")}


def test_references_and_row_conditions_fail_on_a_broken_row(compiled_rules, broken_copy):
    found = run(broken_copy, compiled_rules["column_rules_int_city_policy_talent"]["compiled_code"])
    assert found == {
        ("city_code", "relationships", 1, "999999"),
        ("n_universities", "not_null", 1, None),
        # the row that breaks it and the row where it cannot be decided (null) both fail
        ("n_elite_universities <= n_universities and n_project_985 <= n_project_211", "expression_is_true", 2, None),
    }
    # a condition with quotes in it is shown as written
    with duckdb.connect(str(broken_copy)) as con:
        con.execute("""update intermediate.int_city_policy_talent set chain_boss_num_chains = 1,
                       chain_boss_level = 'none_recorded' where city_code = '140100'""")
    assert ("chain_boss_num_chains is null or chain_boss_level = 'city'", "expression_is_true", 1, None) in run(
        broken_copy, compiled_rules["column_rules_int_city_policy_talent"]["compiled_code"])


def test_a_failed_build_says_which_column_broke_which_rule(compiled_rules, broken_copy, tmp_path):
    # dbt's own message only counts the rows; the build reruns the failed test's query.
    node = compiled_rules["column_rules_dim_city"]
    target = tmp_path / "target"
    target.mkdir()
    long_text = "x" * 500
    (target / "run_results.json").write_text(json.dumps({"results": [
        {"unique_id": node["unique_id"], "status": "fail", "compiled_code": node["compiled_code"]},
        {"unique_id": "test.hefei_warehouse.other", "status": "pass", "compiled_code": "select 1"},
        # a unit test's rows are fixtures, not findings about the data
        {"unique_id": "unit_test.hefei_warehouse.dim_city.some_case", "status": "fail", "compiled_code": "select 1 as x"},
        {"unique_id": "test.hefei_warehouse.wide_row", "status": "fail", "compiled_code": f"select '{long_text}' as note"},
    ]}), encoding="utf-8")
    finding, wide = failed_test_findings(target, broken_copy, rows_per_test=10)
    assert wide == "wide_row: note=" + "x" * 79 + "…", "long values are cut, so the message stays one readable line"
    assert finding.startswith("column_rules_dim_city: ")
    assert "column_name=region, rule=accepted_values, failing_rows=1, example_value=North" in finding
    assert "column_name=name_zh, rule=not_null, failing_rows=1, example_value=None" in finding
    # no result file, or a query that cannot run: no findings, and no error of its own
    assert failed_test_findings(tmp_path / "missing", broken_copy) == []
    (target / "run_results.json").write_text(json.dumps({"results": [
        {"unique_id": "test.hefei_warehouse.broken", "status": "fail", "compiled_code": "drop table marts.dim_city"},
    ]}), encoding="utf-8")
    assert failed_test_findings(target, broken_copy) == []
