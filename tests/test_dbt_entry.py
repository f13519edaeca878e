"""The build starts dbt as `python -P -m hefei_warehouse.dbt_entry`, not through the `dbt`
script: it must be the same command line, with the same messages and exit codes. Every real
build in this suite goes through it, and so does tests/project_copy.run_dbt, whose tests check
dbt's exit code when a model or a seed fails."""

from __future__ import annotations

import os
import subprocess

from hefei_warehouse.dbt_runner import dbt_command, dbt_executable


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
