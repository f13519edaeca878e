"""The column_rules data test (tests/dbt/generic/column_rules.sql): one query per model for its
not_null, unique, accepted_values, accepted_range, relationships and expressions rules. Its compiled queries are run on a
copy of the built warehouse with one broken value per rule, and the build's failure message is
checked to say which column broke which rule.

hefei-warehouse build checks the same tests in one query at the end of dbt's run
(macros/column_rules_in_one_query.sql); on a broken copy that query must find exactly what
the tests find one by one."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from conftest import REPO
from hefei_warehouse import history
from hefei_warehouse.build import RULES_IN_ONE_QUERY, _first_error
from hefei_warehouse.dbt_runner import failed_test_findings
from project_copy import copy_project, run_dbt

HEFEI = "340100"


def break_rules(database: Path) -> None:
    """One broken value or row for each kind of rule, in a few models."""
    with duckdb.connect(str(database)) as con:
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


@pytest.fixture(scope="module")
def checked_copy(built_warehouse, tmp_path_factory) -> dict:
    """A broken copy of the shared build (the breaks of break_rules and two more), the column_rules
    tests compiled for it by dbt, and what the one-query check said about it."""
    # Same file name: DuckDB names the catalog after the file, and the compiled SQL uses it.
    copy = tmp_path_factory.mktemp("rules") / built_warehouse.name
    shutil.copyfile(built_warehouse, copy)
    break_rules(copy)
    with duckdb.connect(str(copy)) as con:
        con.execute("""update marts.fct_hefei_twins set nearness_rank = 3
                       where nearness_rank = (select max(nearness_rank) from marts.fct_hefei_twins)""")
        con.execute("""update intermediate.int_city_policy_talent set chain_boss_num_chains = 1,
                       chain_boss_level = 'none_recorded' where city_code = '140100'""")
    compiled = run_dbt(REPO, copy, "compile", "--select", "test_name:column_rules")
    assert compiled.returncode == 0, compiled.stdout
    manifest = json.loads((copy.parent / "target" / "manifest.json").read_text(encoding="utf-8"))
    tests = {
        node["name"]: node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test" and (node.get("test_metadata") or {}).get("name") == "column_rules"
    }
    checked = run_dbt(REPO, copy, "run-operation", "check_column_rules")
    return {"database": copy, "tests": tests, "checked": checked}


@pytest.fixture(scope="module")
def compiled_rules(checked_copy) -> dict[str, dict]:
    """The column_rules test nodes, by name, with their compiled SQL."""
    return checked_copy["tests"]


@pytest.fixture
def broken_copy(built_warehouse, tmp_path) -> Path:
    copy = tmp_path / built_warehouse.name
    shutil.copyfile(built_warehouse, copy)
    break_rules(copy)
    return copy


def run(database: Path, sql: str) -> set[tuple]:
    with duckdb.connect(str(database), read_only=True) as con:
        return set(con.execute(sql).fetchall())


def test_every_model_with_column_rules_passes_them_in_the_built_warehouse(compiled_rules, built_warehouse):
    # One test per model with column rules; each query finds nothing on the shared build.
    assert len(compiled_rules) >= 70
    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        for name, node in compiled_rules.items():
            assert con.execute(node["compiled_code"]).fetchall() == [], name


def test_the_build_checks_every_column_rules_test_in_one_query(compiled_rules, built_warehouse):
    # The shared build left the test nodes out of dbt's run and checked all of them at its end.
    assert history.read(built_warehouse)[-1]["column_rules"] == f"{len(compiled_rules)} passed, checked in one query"
    results = json.loads((built_warehouse.parent / ".dbt-target" / "run_results.json").read_text(encoding="utf-8"))
    ran = {r["unique_id"]: r["status"] for r in results["results"]}
    assert not set(ran) & {node["unique_id"] for node in compiled_rules.values()}
    assert ran["operation.hefei_warehouse.hefei_warehouse-on-run-end-0"] == "success"
    assert sum(uid.startswith("test.") for uid in ran) >= 15, "the other data tests still run as nodes"


FINDING = re.compile(r"(column_rules_\w+): model=(\w+), column_name=(.*?), rule=(\w+), failing_rows=(\d+), "
                     r"example_value=(.*?)(?= \| column_rules_\w+: model=|$)")


def findings_of_one_query(output: str) -> set[tuple]:
    message = next(line for line in output.splitlines() if "Failure in column_rules (checked in one query)" in line)
    return {
        (test, model, column, rule, int(rows), None if example == "None" else example)
        for test, model, column, rule, rows, example in FINDING.findall(message.strip())
    }


def test_the_one_query_check_finds_exactly_what_the_tests_find_one_by_one(checked_copy):
    database, tests, checked = checked_copy["database"], checked_copy["tests"], checked_copy["checked"]
    one_by_one = set()
    for name, node in tests.items():
        model = node["attached_node"].split(".")[-1]
        for column, rule, rows, example in run(database, node["compiled_code"]):
            one_by_one.add((name, model, column, rule, rows, example))
    assert checked.returncode == 1
    assert findings_of_one_query(checked.stdout) == one_by_one
    # every kind of rule, in four models, is among them
    assert {(f[0], f[3]) for f in one_by_one} >= {
        ("column_rules_dim_city", "accepted_values"), ("column_rules_dim_city", "accepted_range"),
        ("column_rules_dim_city", "not_null"), ("column_rules_dim_city", "unique"),
        ("column_rules_int_city_policy_talent", "relationships"),
        ("column_rules_int_city_policy_talent", "expression_is_true"),
        ("column_rules_int_city_year_values_screened", "unique"), ("column_rules_fct_hefei_twins", "unique"),
    }
    # a condition with quotes in it is named as written
    assert ("column_rules_int_city_policy_talent", "int_city_policy_talent",
            "chain_boss_num_chains is null or chain_boss_level = 'city'", "expression_is_true", 1, None) in one_by_one


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


def test_keys_that_only_share_a_hash_are_not_repeats(compiled_rules, broken_copy, built_warehouse):
    """The unique rule first groups a hash of each key and then groups exactly the keys whose
    hash repeats. With every key given one and the same hash, it must find exactly what the
    real hash finds: the repeated keys on the broken copy, nothing on the build."""
    for name in ("column_rules_dim_city", "column_rules_int_city_year_values_screened"):
        real = compiled_rules[name]["compiled_code"]
        # (a cast, not a bare 0, which GROUP BY would read as a column position)
        colliding, hashes = re.subn(r"\bhash\([^()]*\)", "cast(0 as bigint)", real)
        assert hashes >= 2, f"{name}: no key hash in the compiled rule"
        found = run(broken_copy, real)
        assert any(rule == "unique" for _, rule, _, _ in found)
        assert run(broken_copy, colliding) == found
        assert run(built_warehouse, colliding) == set()


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


def test_the_build_names_the_rules_the_one_query_check_found_broken():
    # dbt's output when the check at the end of its run fails (copied from a run with a rule
    # made impossible); dbt's header line names only the hook.
    output = "\n".join([
        "07:59:38  1 of 2 ERROR hook: hefei_warehouse.on-run-end.0 ................................ [ERROR in 0.68s]",
        "07:59:39  Completed with 2 errors, 0 partial successes, and 0 warnings:",
        "07:59:39  Failure in operation hefei_warehouse-on-run-end-0 (./dbt_project.yml)",
        "07:59:39    hefei_warehouse.on-run-end.0 failed, error:",
        " Invalid Input Error: Failure in column_rules (checked in one query): 1 broken rule(s): "
        "column_rules_dim_city: model=dim_city, column_name=n_universities, rule=accepted_range, "
        "failing_rows=13, example_value=51",
    ])
    assert _first_error(subprocess.CompletedProcess([], 1, output, "")) == (
        "Failure in column_rules (checked in one query): 1 broken rule(s): column_rules_dim_city: "
        "model=dim_city, column_name=n_universities, rule=accepted_range, failing_rows=13, example_value=51")
    # any other failure: its own first line, as before
    other = "07:59:39  Failure in test golden_wuhan_gdp_2022 (tests/dbt/core/golden_wuhan_gdp_2022.sql)"
    assert _first_error(subprocess.CompletedProcess([], 1, other, "")) == \
        "Failure in test golden_wuhan_gdp_2022 (tests/dbt/core/golden_wuhan_gdp_2022.sql)"


def test_the_one_query_check_in_runs_that_select_or_fail(tmp_path):
    # Small runs on a copy of the project: the sources seed and its staging model, whose
    # column_rules test reads nothing else, and a data test that always fails on them.
    project = copy_project(tmp_path / "project")
    database = tmp_path / "db" / "hefei.duckdb"
    database.parent.mkdir()
    rules = project / "models" / "staging" / "_staging__models.yml"
    written = rules.read_text(encoding="utf-8")
    assert written.count("            unique: [source_id]\n") == 1

    def build(*selection: str) -> subprocess.CompletedProcess:
        return run_dbt(project, database, "build", "--fail-fast", "--select", "+stg_seeds__sources", *selection,
                       *RULES_IN_ONE_QUERY)

    # 1. A selection leaves most models unbuilt: their rules cannot be checked, and the run
    #    must not pass as if they had been.
    result = build()
    assert result.returncode == 1, result.stdout
    assert "ERROR hook: hefei_warehouse.on-run-end.0" in result.stdout
    assert _first_error(result).startswith(
        "Failure in column_rules (checked in one query): it is for runs that build every node, and 77 "
        "column_rules test(s) read nodes this run did not build, e.g. ")

    # 2. Another node fails: the rules of what was built are still checked, and a broken one is
    #    what the build reports (it may be why the other node failed).
    (project / "tests" / "dbt" / "always_fails.sql").write_text(
        "select source_id from {{ ref('stg_seeds__sources') }}\n", encoding="utf-8")
    rules.write_text(written.replace("            unique: [source_id]\n", "            unique: [source_id]\n"
                                     "            accepted_values: {source_id: [none_of_them]}\n"), encoding="utf-8")
    result = build("always_fails")
    assert result.returncode == 1, result.stdout
    assert "Failure in test always_fails" in result.stdout
    assert _first_error(result).startswith("Failure in column_rules (checked in one query): 1 broken rule(s): "
                                           "column_rules_stg_seeds__sources: model=stg_seeds__sources, "
                                           "column_name=source_id, rule=accepted_values, failing_rows=")

    # 3. A test with settings the one query would not apply is refused, not checked another way.
    rules.write_text(written.replace("            unique: [source_id]\n",
                                     "            unique: [source_id]\n          config: {severity: warn}\n"),
                     encoding="utf-8")
    result = build("always_fails")
    assert result.returncode == 1, result.stdout
    assert _first_error(result) == (
        "Failure in column_rules (checked in one query): cannot check column_rules_stg_seeds__sources: its test "
        "settings are not dbt's defaults; plain dbt build runs such tests one node each")

    # 4. A rule naming a column the model lacks (read from "Encountered an error", as in a build
    #    where nothing else failed): DuckDB's error points at the check's line,
    #    which names the test (dbt ends such a run as if interrupted, with exit code 2).
    rules.write_text(written.replace("              - producer\n", "              - producer\n              - no_such_column\n", 1),
                     encoding="utf-8")
    result = build("always_fails")
    assert result.returncode == 2, result.stdout
    message = _first_error(subprocess.CompletedProcess([], 2, result.stdout[result.stdout.index("Encountered an error"):], ""))
    assert message.startswith('Runtime Error: Binder Error: Referenced column "no_such_column" not found')
    assert message.endswith("-- column_rules_stg_seeds__sources")
