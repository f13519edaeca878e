"""A throw-away copy of the dbt project, so tests can break seeds without touching the real ones."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import duckdb

from conftest import REPO, hefei_warehouse_command
from hefei_warehouse import workspace
from hefei_warehouse.dbt_runner import dbt_command
from hefei_warehouse.publish import publish


def copy_project(target: Path) -> Path:
    """A copy of this repository's dbt project (not of whatever HEFEI_PROJECT_DIR names)."""
    return workspace.copy_project(target, REPO)


def build_env(project: Path) -> dict[str, str]:
    return dict(os.environ, HEFEI_PROJECT_DIR=str(project), DBT_SEND_ANONYMOUS_USAGE_STATS="false")


def build(project: Path, published: Path, **popen) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*hefei_warehouse_command(), "build", "--warehouse", str(published), "--quiet"],
        cwd=REPO, env=build_env(project), capture_output=True, text=True, **popen,
    )


def start_build(project: Path, published: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [*hefei_warehouse_command(), "build", "--warehouse", str(published), "--quiet"],
        cwd=REPO, env=build_env(project), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def stand_in_warehouse(published: Path, label: str = "live") -> Path:
    """A small published release (a real DuckDB file, published as a build publishes), for
    tests of builds that must leave the published warehouse as it was: its contents do not
    matter to them, it fits on the machine-failure tests' small disks, and a copy of the real
    one would be 74 MB to write and hash twice per test."""
    staged = published.parent / f"staged-{label}" / published.name
    staged.parent.mkdir(parents=True)
    with duckdb.connect(str(staged)) as con:
        con.execute("create table t as select ? as label", [label])
    publish(staged, published)
    shutil.rmtree(staged.parent)
    return published


def run_dbt(project: Path, database: Path, *args: str) -> subprocess.CompletedProcess:
    """`dbt <args>` in a project copy, started as the build starts it, writing to `database`;
    dbt's target and logs go beside the database, so two databases in two folders keep two
    partial parses."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DBT_", "HEFEI_"))}
    env.update(DBT_SEND_ANONYMOUS_USAGE_STATS="false", HEFEI_BUILD_PATH=str(database),
               DBT_TARGET_PATH=str(database.parent / "target"), DBT_LOG_PATH=str(database.parent / "logs"))
    return subprocess.run([*dbt_command(), *args], cwd=project, env=env, capture_output=True, text=True, timeout=600)


class StandInDbt:
    """Stands in for the dbt child the build starts (`dbt_runner.DbtProcess`): it has already
    ended, with this exit code and output."""

    def __init__(self, returncode: int = 0, output: str = "") -> None:
        self.returncode, self.output = returncode, output

    def show_output(self) -> None:
        pass

    def wait(self) -> subprocess.CompletedProcess:
        return subprocess.CompletedProcess(["dbt", "build"], self.returncode, self.output, "")

    def stop(self) -> None:
        pass
