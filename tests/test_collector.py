"""The build's garbage-collector settings hold only while its checks run: a process that calls
the build or the validation (a test, a notebook) gets its own settings back."""

from __future__ import annotations

import gc

import pytest

from hefei_warehouse import cli
from hefei_warehouse.collector import fewer_collections


@pytest.fixture(autouse=True)
def nothing_frozen():
    """Each test starts in a process that froze nothing; afterwards the worker gets back a
    frozen set if it had one (Great Expectations' import freezes what it made: validate.py)."""
    had_frozen = gc.get_freeze_count() > 0
    gc.unfreeze()
    yield
    if had_frozen:
        gc.freeze()
    else:
        gc.unfreeze()


def test_inside_the_block_collections_start_less_often_and_earlier_objects_are_set_aside():
    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold() == (50_000, *before[1:])
        assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_settings_come_back_when_the_block_fails():
    before = gc.get_threshold()
    with pytest.raises(ZeroDivisionError):
        with fewer_collections():
            1 / 0
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_what_the_caller_froze_stays_frozen():
    gc.freeze()
    frozen = gc.get_freeze_count()
    with fewer_collections():
        pass
    assert gc.get_freeze_count() >= frozen


def test_validate_leaves_the_callers_settings_as_they_were(tmp_path, capsys, monkeypatch):
    # A checkout with no warehouse built yet: validate checks the seeds alone.
    from hefei_warehouse import workspace

    monkeypatch.setenv("HEFEI_PROJECT_DIR", str(workspace.copy_project(tmp_path / "project")))
    monkeypatch.delenv("HEFEI_WAREHOUSE_PATH", raising=False)
    original = gc.get_threshold()
    gc.set_threshold(1234, 11, 12)
    try:
        status = cli.main(["validate"])
        assert gc.get_threshold() == (1234, 11, 12)
        assert gc.get_freeze_count() == 0
    finally:
        gc.set_threshold(*original)
    assert status == 0, capsys.readouterr()
    assert "Checked seeds (no published warehouse yet)" in capsys.readouterr().out
