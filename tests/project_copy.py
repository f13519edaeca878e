"""A throw-away copy of the dbt project, so tests can break seeds without touching the real ones."""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

from conftest import REPO, hefei_warehouse_command
from hefei_warehouse import workspace


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
