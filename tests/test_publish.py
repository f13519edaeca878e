"""Atomic publish and rollback, on small stand-in files (the real build is tested elsewhere)."""

from __future__ import annotations

import os

import duckdb
import pytest

from hefei_warehouse.publish import PublishError, previous_path, publish, rollback


def make_db(path, label):
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(path)) as con:
        con.execute("create table t as select ? as label", [label])


def label_of(path):
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("select label from t").fetchone()[0]


def test_publish_replaces_and_keeps_previous(tmp_path):
    published = tmp_path / "hefei.duckdb"
    make_db(tmp_path / "b1" / "hefei.duckdb", "first")
    publish(tmp_path / "b1" / "hefei.duckdb", published)
    assert label_of(published) == "first"
    make_db(tmp_path / "b2" / "hefei.duckdb", "second")
    publish(tmp_path / "b2" / "hefei.duckdb", published)
    assert label_of(published) == "second"
    assert label_of(previous_path(published)) == "first"


def test_rollback_swaps_and_rolls_forward(tmp_path):
    published = tmp_path / "hefei.duckdb"
    for label in ("first", "second"):
        make_db(tmp_path / label / "hefei.duckdb", label)
        publish(tmp_path / label / "hefei.duckdb", published)
    rollback(published)
    assert label_of(published) == "first"
    rollback(published)
    assert label_of(published) == "second"


def test_reader_holding_old_file_keeps_reading_during_swap(tmp_path):
    published = tmp_path / "hefei.duckdb"
    make_db(tmp_path / "a" / "hefei.duckdb", "old")
    publish(tmp_path / "a" / "hefei.duckdb", published)
    reader = duckdb.connect(str(published), read_only=True)
    make_db(tmp_path / "b" / "hefei.duckdb", "new")
    publish(tmp_path / "b" / "hefei.duckdb", published)
    assert reader.execute("select label from t").fetchone()[0] == "old"
    reader.close()
    assert label_of(published) == "new"


def test_publish_of_missing_file_changes_nothing(tmp_path):
    published = tmp_path / "hefei.duckdb"
    make_db(tmp_path / "a" / "hefei.duckdb", "kept")
    publish(tmp_path / "a" / "hefei.duckdb", published)
    before = published.read_bytes()
    with pytest.raises(PublishError):
        publish(tmp_path / "nothing" / "hefei.duckdb", published)
    assert published.read_bytes() == before
    assert os.path.exists(published)
