"""Shared fixtures: the warehouse is built once per test session, into a temporary folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[1]
# The raw files the ingest reads: the repository's own snapshots, so a clone needs nothing beside it.
RAW_DIR = REPO / "snapshots"


def hefei_warehouse_command() -> list[str]:
    return [sys.executable, "-m", "hefei_warehouse"]


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    assert RAW_DIR.is_dir(), f"snapshot folder expected at {RAW_DIR}"
    return RAW_DIR


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory) -> Path:
    """Build and publish the warehouse from the committed seeds, exactly as `make warehouse` does."""
    published = tmp_path_factory.mktemp("warehouse") / "hefei.duckdb"
    env = dict(os.environ, DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    result = subprocess.run(
        [*hefei_warehouse_command(), "build", "--warehouse", str(published), "--quiet"],
        cwd=REPO, env=env, capture_output=True, text=True,
    )
    assert result.returncode == 0, f"build failed:\n{result.stdout}\n{result.stderr}"
    assert published.is_file()
    return published


@pytest.fixture(scope="session")
def warehouse(built_warehouse):
    """A read-only connection, as an analyst or BI tool would open the published file."""
    con = duckdb.connect(str(built_warehouse), read_only=True)
    yield con
    con.close()
