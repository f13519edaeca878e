"""The build starts dbt as `python -P -m hefei_warehouse.dbt_entry`, not through the `dbt`
script: it must be the same command line, with the same messages and exit codes. Every real
build in this suite goes through it, and so does tests/project_copy.run_dbt, whose tests check
dbt's exit code when a model or a seed fails. The build also sets what dbt says and logs."""

from __future__ import annotations

import os
import subprocess

from hefei_warehouse.dbt_runner import dbt_command, dbt_executable, start_dbt


def test_the_build_starts_dbts_own_command_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DBT_", "HEFEI_"))}
    env.update(DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    runs = [subprocess.run([*command, "no-such-command"], cwd=tmp_path, env=env, capture_output=True, text=True,
                           timeout=120)
            for command in (dbt_command(), [dbt_executable()])]
    ours, plain = runs
    assert ours.returncode == plain.returncode == 2
    assert "Usage: dbt [OPTIONS]" in ours.stderr and "No such command 'no-such-command'" in ours.stderr
    assert (ours.stdout, ours.stderr) == (plain.stdout, plain.stderr)


def test_the_builds_dbt_says_its_info_lines_and_logs_its_statements_whatever_the_users_settings(
        tmp_path, monkeypatch):
    # The build reads dbt's info lines on standard output (its first error, the column_rules
    # count), and on failure points the user at dbt's log file, whose debug lines hold the
    # statements dbt ran. A user's quiet or JSON settings must change neither.
    monkeypatch.setenv("DBT_QUIET", "true")
    monkeypatch.setenv("DBT_LOG_LEVEL", "warn")
    monkeypatch.setenv("DBT_LOG_LEVEL_FILE", "none")
    monkeypatch.setenv("DBT_LOG_FORMAT", "json")
    work = tmp_path / "work"
    result = start_dbt(["debug"], tmp_path / "hefei.duckdb", work, quiet=True,
                       target_dir=tmp_path / "target").wait()
    assert result.returncode == 0, result.stdout
    assert "Running with dbt=" in result.stdout and "All checks passed" in result.stdout
    assert not any(line.startswith("{") for line in result.stdout.splitlines()), "text lines, not JSON"
    log = (work / "logs" / "dbt.log").read_text(encoding="utf-8")
    assert "[info ]" in log
    assert log.count("[debug]") >= 5, "dbt's file log must keep its debug lines"
    assert "select 1 as id" in log, "the statement dbt ran to try the connection is logged"


def test_the_builds_dbt_takes_none_of_the_users_dbt_flags(tmp_path, monkeypatch):
    # dbt reads these as flags: another target (the read-only published one), an empty or a
    # sampled warehouse, relations deferred to elsewhere, checks left out.
    from hefei_warehouse.dbt_runner import dbt_env

    users = {"DBT_TARGET": "published", "DBT_PROFILE": "other", "DBT_EMPTY": "true", "DBT_SAMPLE": "3 days",
             "DBT_DEFER": "true", "DBT_STATE": "/elsewhere", "DBT_EXCLUDE_RESOURCE_TYPES": "test",
             "DBT_WRITE_JSON": "false", "DBT_ENV_CUSTOM_ENV_team": "regional"}
    for name, value in users.items():
        monkeypatch.setenv(name, value)
    env = dbt_env(tmp_path / "hefei.duckdb", tmp_path / "work")
    assert not {"DBT_TARGET", "DBT_PROFILE", "DBT_EMPTY", "DBT_SAMPLE", "DBT_DEFER", "DBT_STATE",
                "DBT_EXCLUDE_RESOURCE_TYPES", "DBT_WRITE_JSON"} & set(env)
    assert env["DBT_ENV_CUSTOM_ENV_team"] == "regional"  # dbt's metadata prefix is the user's to set
    assert env["HEFEI_BUILD_PATH"] == str(tmp_path / "hefei.duckdb")
