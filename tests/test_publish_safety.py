"""Readers are never blocked and a killed build harms nothing: tried with real builds."""

from __future__ import annotations

import os
import signal
import shutil
import time

import duckdb
import pytest

from project_copy import build, copy_project, digest, start_build


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("project"))


@pytest.fixture()
def published(tmp_path, built_warehouse):
    target = tmp_path / "pub" / "hefei.duckdb"
    target.parent.mkdir()
    shutil.copy2(built_warehouse, target)
    return target


def count_city_rows(path) -> int:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("select count(*) from marts.dim_city").fetchone()[0]


def test_readers_see_complete_data_before_during_and_after_a_rebuild(project, published):
    expected = count_city_rows(published)
    process = start_build(project, published)
    reads, errors = 0, []
    deadline = time.monotonic() + 300
    while process.poll() is None and time.monotonic() < deadline:
        try:
            assert count_city_rows(published) == expected
            reads += 1
        except Exception as error:  # any error a reader would see is a failure of the swap
            errors.append(repr(error))
        time.sleep(0.05)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert errors == []
    assert reads > 10, "the reader loop should have run during the build"
    assert count_city_rows(published) == expected


def test_build_killed_mid_way_leaves_published_file_intact_and_next_build_works(project, published):
    before = digest(published)
    process = start_build(project, published)
    work_root = published.parent / ".build"
    deadline = time.monotonic() + 120
    # Wait until the new database file exists, i.e. dbt is writing, then kill the whole group.
    while time.monotonic() < deadline and not list(work_root.glob("*/hefei.duckdb")):
        time.sleep(0.05)
    assert process.poll() is None, "build ended before it could be killed"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert digest(published) == before
    result = build(project, published)
    assert result.returncode == 0, result.stderr
    assert count_city_rows(published) > 0
    assert not any(p.name.endswith(".wal") for p in published.parent.iterdir())
