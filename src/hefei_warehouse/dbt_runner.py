"""Run dbt in a child process against a given DuckDB file.

A child process (not dbt's Python API) so the database is closed when dbt ends and the
caller can open it again, and so a crash in dbt cannot leave our process half-way.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .paths import project_dir


def dbt_executable() -> str:
    beside_python = Path(sys.executable).with_name("dbt")
    return str(beside_python) if beside_python.exists() else "dbt"


def dbt_env(database: Path, work_dir: Path, target_dir: Path | None = None, *, colour: bool = False) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        HEFEI_BUILD_PATH=str(database),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
        DBT_TARGET_PATH=str(target_dir or work_dir / "target"),
        DBT_LOG_PATH=str(work_dir / "logs"),
        DBT_PROFILES_DIR=str(project_dir()),
        DBT_PROJECT_DIR=str(project_dir()),
        # Colour only for a person watching a terminal, never into a redirected log.
        DBT_USE_COLORS="true" if colour else "false",
        DBT_USE_COLORS_FILE="false",
    )
    return env


def run_dbt(
    args: list[str], database: Path, work_dir: Path, *, quiet: bool = False, target_dir: Path | None = None,
) -> subprocess.CompletedProcess:
    """Run `dbt <args>`; output streams to the terminal unless quiet (then it is captured).

    target_dir (default work_dir/target) is where dbt keeps its manifest; a folder kept
    between builds lets dbt re-parse only the files that changed."""
    command = [dbt_executable(), *args]
    return subprocess.run(
        command,
        cwd=project_dir(),
        env=dbt_env(database, work_dir, target_dir, colour=not quiet and sys.stdout.isatty()),
        text=True,
        capture_output=quiet,
        check=False,
    )
