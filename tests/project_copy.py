"""A throw-away copy of the dbt project, so tests can break seeds without touching the real ones."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

from conftest import REPO, hefei_warehouse_command

PROJECT_PARTS = ("dbt_project.yml", "profiles.yml", "models", "seeds", "macros", "analyses", "tests/dbt", "quality")


def copy_project(target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = REPO / part
        if not source.exists():
            continue
        destination = target / part
        destination.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, destination, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, destination)
    return target


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
