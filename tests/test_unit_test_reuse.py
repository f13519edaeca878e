"""A build leaves dbt's unit tests out only when they passed on exactly the same code: any change
to a model, macro, test, seed property file, the project or profile, or a version of dbt or
DuckDB brings them back; new seed data does not (unit tests read fixture rows, not seeds).
The real rebuild that reuses them is checked in test_publish_safety.py."""

from __future__ import annotations

import json
import shutil

import pytest

from hefei_warehouse import cli, unit_tests
from project_copy import copy_project


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("pristine"))


@pytest.fixture()
def project(pristine, tmp_path):
    copy = tmp_path / "project"
    shutil.copytree(pristine, copy)
    return copy


def test_a_copy_of_the_project_has_the_same_fingerprint(pristine, project):
    assert unit_tests.fingerprint(project) == unit_tests.fingerprint(pristine)


def test_new_seed_data_keeps_the_fingerprint(pristine, project):
    # new data comes with a new seed manifest (the build refuses seeds that do not match it)
    with open(project / "seeds" / "city_year_values.csv", "a", encoding="utf-8") as handle:
        handle.write("340100,2024,gdp_cny_100m,1.0,made_up_for_this_test,true\n")
    manifest = project / "seeds" / "seed_manifest.json"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace('"rows": ', '"rows":  ', 1), encoding="utf-8")
    assert unit_tests.fingerprint(project) == unit_tests.fingerprint(pristine)


def test_a_project_that_cannot_be_read_means_running_the_unit_tests(project, tmp_path):
    (project / "dbt_project.yml").write_text("name: [unclosed\n", encoding="utf-8")
    assert unit_tests.fingerprint(project) is None
    unit_tests.record_pass(tmp_path, "code-1", "build-a", 2)
    assert unit_tests.passed_before(tmp_path, None) is None


@pytest.mark.parametrize("changed", [
    "models/intermediate/int_city_year_indicators_spined.sql",
    "macros/pct_gap.sql",
    "dbt_project.yml",
    "profiles.yml",
    "seeds/city_year_values.yml",
])
def test_a_change_to_the_code_changes_the_fingerprint(pristine, project, changed):
    path = project / changed
    assert path.is_file(), changed
    path.write_text(path.read_text(encoding="utf-8") + "\n-- changed\n" if path.suffix == ".sql"
                    else path.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert unit_tests.fingerprint(project) != unit_tests.fingerprint(pristine)


def test_a_new_unit_test_file_changes_the_fingerprint(pristine, project):
    (project / "tests" / "dbt" / "extra.yml").write_text("unit_tests: []\n", encoding="utf-8")
    assert unit_tests.fingerprint(project) != unit_tests.fingerprint(pristine)


def test_another_duckdb_version_changes_the_fingerprint(pristine, monkeypatch):
    before = unit_tests.fingerprint(pristine)
    real = unit_tests.metadata.version
    monkeypatch.setattr(unit_tests.metadata, "version", lambda name: "0.0.1" if name == "duckdb" else real(name))
    assert unit_tests.fingerprint(pristine) != before


def write_results(target, statuses: dict[str, str], defined=("unit_test.p.m.a", "unit_test.p.m.b")) -> None:
    """dbt's run results with these statuses, and a manifest defining these unit tests."""
    results = [{"unique_id": uid, "status": status} for uid, status in statuses.items()]
    (target / "run_results.json").write_text(json.dumps({"results": results}), encoding="utf-8")
    (target / "manifest.json").write_text(json.dumps({"unit_tests": {uid: {} for uid in defined}}), encoding="utf-8")


def test_a_pass_is_remembered_for_its_code_only(tmp_path):
    write_results(tmp_path, {"unit_test.p.m.a": "pass", "unit_test.p.m.b": "pass", "test.p.x": "pass", "model.p.m": "success"})
    assert unit_tests.passed_in_run(tmp_path) == 2
    assert unit_tests.passed_before(tmp_path, "code-1") is None  # nothing recorded yet
    unit_tests.record_pass(tmp_path, "code-1", "build-a", 2)
    assert unit_tests.passed_before(tmp_path, "code-1") == {"fingerprint": "code-1", "build_id": "build-a", "passed": 2}
    assert unit_tests.passed_before(tmp_path, "code-2") is None
    assert not list(tmp_path.glob("*.partial"))


def test_a_run_is_remembered_only_when_its_code_has_a_fingerprint(tmp_path):
    write_results(tmp_path, {"unit_test.p.m.a": "pass", "unit_test.p.m.b": "pass"})
    assert unit_tests.remember_run(tmp_path, None, "build-a") == 2
    assert not (tmp_path / unit_tests.RECORD).exists()
    assert unit_tests.remember_run(tmp_path, "code-1", "build-b") == 2
    assert unit_tests.passed_before(tmp_path, "code-1")["build_id"] == "build-b"


def test_a_failed_unit_test_is_not_a_pass(tmp_path):
    write_results(tmp_path, {"unit_test.p.m.a": "pass", "unit_test.p.m.b": "fail"})
    assert unit_tests.passed_in_run(tmp_path) is None


def test_a_run_that_left_unit_tests_out_is_not_a_pass(tmp_path):
    # e.g. DBT_EXCLUDE_RESOURCE_TYPES=unit_test in the user's environment: nothing ran
    write_results(tmp_path, {"test.p.x": "pass"})
    assert unit_tests.passed_in_run(tmp_path) is None
    write_results(tmp_path, {"unit_test.p.m.a": "pass"})
    assert unit_tests.passed_in_run(tmp_path) is None
    write_results(tmp_path, {"test.p.x": "pass"}, defined=())
    assert unit_tests.passed_in_run(tmp_path) is None


def test_a_run_with_the_unit_tests_first_forgets_the_earlier_pass(tmp_path):
    unit_tests.record_pass(tmp_path, "code-1", "build-a", 2)
    unit_tests.forget(tmp_path)
    assert unit_tests.passed_before(tmp_path, "code-1") is None
    unit_tests.forget(tmp_path)  # nothing to forget is fine


def test_missing_or_unreadable_results_are_not_a_pass(tmp_path):
    assert unit_tests.passed_in_run(tmp_path) is None
    (tmp_path / "run_results.json").write_text("{cut short", encoding="utf-8")
    assert unit_tests.passed_in_run(tmp_path) is None


@pytest.mark.parametrize("content", ["", "{not json", "[1, 2]", '{"build_id": "b"}'])
def test_a_damaged_record_means_running_the_unit_tests(tmp_path, content):
    (tmp_path / unit_tests.RECORD).write_text(content, encoding="utf-8")
    assert unit_tests.passed_before(tmp_path, "code-1") is None


def test_the_build_command_can_insist_on_the_unit_tests(monkeypatch, tmp_path):
    seen = {}

    def stand_in(published, **kwargs):
        seen.update(kwargs)
        raise SystemExit(0)

    monkeypatch.setattr("hefei_warehouse.build.build_warehouse", stand_in)
    for argv, expected in ((["build"], False), (["build", "--rerun-unit-tests"], True)):
        with pytest.raises(SystemExit):
            cli.main([*argv, "--warehouse", str(tmp_path / "hefei.duckdb"), "--no-progress"])
        assert seen["rerun_unit_tests"] is expected
