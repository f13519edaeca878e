"""Shared fixtures: the warehouse is built once per test session, into a temporary folder."""

from __future__ import annotations

import fcntl
import gc
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
    """Build and publish the warehouse from the committed seeds, exactly as `make warehouse` does.

    Built once per test run and shared: with parallel workers (pytest-xdist) the first worker
    to need it builds it while the others wait on a lock; a failed build is reported to every
    worker that needs it, without building again."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the folder all workers of this run have in common
    folder = shared / "shared-warehouse"
    published = folder / "hefei.duckdb"
    failure = shared / "shared-warehouse.failed"
    with open(shared / "shared-warehouse.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not published.exists() and not failure.exists():
            folder.mkdir(exist_ok=True)
            env = dict(os.environ, DBT_SEND_ANONYMOUS_USAGE_STATS="false")
            result = subprocess.run(
                [*hefei_warehouse_command(), "build", "--warehouse", str(published), "--quiet"],
                cwd=REPO, env=env, capture_output=True, text=True,
            )
            if result.returncode != 0:
                failure.write_text(f"{result.stdout}\n{result.stderr}", encoding="utf-8")
    if failure.exists():
        pytest.fail("build failed:\n" + failure.read_text(encoding="utf-8"), pytrace=False)
    assert published.is_file()
    return published


@pytest.fixture(scope="session")
def warehouse(built_warehouse):
    """A read-only connection, as an analyst or BI tool would open the published file."""
    con = duckdb.connect(str(built_warehouse), read_only=True)
    yield con
    con.close()


def pytest_collection_modifyitems(config, items):
    """Order the files for the parallel workers (each file runs on one worker, in this order).
    The Spark comparison is the longest file by far (minutes): it goes first, so it runs beside
    the rest of the suite instead of after it. Then the files that never open the shared
    warehouse, so that while one worker builds it the others have work that needs no waiting.
    Among the rest, the long files (marked `long`) first: the short ones left for the end let
    both workers finish at about the same time."""
    needs_warehouse = {item.path for item in items if "built_warehouse" in item.fixturenames}
    items.sort(key=lambda item: (item.get_closest_marker("spark") is None, item.path in needs_warehouse,
                                 item.get_closest_marker("long") is None))


def pytest_unconfigure(config):
    """A worker ends holding dbt's, Great Expectations' and pandas' objects: leave them to the
    operating system, as the command-line tool does, instead of collecting them one by one."""
    gc.freeze()
