"""The command-line tool as a user meets it: help, exit codes, one-line errors."""

from __future__ import annotations

import subprocess

from conftest import REPO, hefei_warehouse_command


def run_cli(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([*hefei_warehouse_command(), *args], cwd=REPO, capture_output=True, text=True, **kwargs)


def test_help_lists_the_commands():
    result = run_cli("--help")
    assert result.returncode == 0
    for command in ("build", "ingest", "rollback"):
        assert command in result.stdout


def test_unknown_command_is_a_usage_error():
    result = run_cli("frobnicate")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


def test_rollback_without_previous_build_fails_in_one_line(tmp_path):
    result = run_cli("rollback", "--warehouse", str(tmp_path / "hefei.duckdb"))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "no previous version" in lines[0]
