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


# ---------------------------------------------------------------- releases with exports and report

from hefei_warehouse.publish import current_release, publish_release, releases_dir  # noqa: E402


def make_release(folder, label):
    make_db(folder / "hefei.duckdb", label)
    (folder / "exports").mkdir()
    (folder / "exports" / "manifest.json").write_text(label)
    (folder / "report.html").write_text(label)
    return folder


def test_release_publishes_database_exports_and_report_together(tmp_path):
    published = tmp_path / "w" / "hefei.duckdb"
    for build_id in ("b1", "b2"):
        publish_release(make_release(tmp_path / build_id, build_id), published, build_id)
    assert label_of(published) == "b2"
    assert (published.parent / "exports" / "manifest.json").read_text() == "b2"
    assert (published.parent / "report.html").read_text() == "b2"
    assert published.is_symlink() and current_release(published).name == "b2"
    rollback(published)
    assert label_of(published) == "b1"
    assert (published.parent / "exports" / "manifest.json").read_text() == "b1"
    assert (published.parent / "report.html").read_text() == "b1"


def test_only_current_and_previous_releases_are_kept(tmp_path):
    published = tmp_path / "w" / "hefei.duckdb"
    for build_id in ("b1", "b2", "b3", "b4"):
        publish_release(make_release(tmp_path / build_id, build_id), published, build_id)
    assert sorted(p.name for p in releases_dir(published).iterdir()) == ["b3", "b4"]
    assert label_of(previous_path(published)) == "b3"


def test_plain_published_file_is_taken_over_without_a_gap(tmp_path):
    # A warehouse published by an older version (a regular file and previous/ folder).
    published = tmp_path / "hefei.duckdb"
    make_db(published, "legacy")
    make_db(tmp_path / "previous" / "hefei.duckdb", "legacy-previous")
    reader = duckdb.connect(str(published), read_only=True)
    publish_release(make_release(tmp_path / "new", "new"), published, "new")
    assert reader.execute("select label from t").fetchone()[0] == "legacy"
    reader.close()
    assert label_of(published) == "new"
    assert label_of(previous_path(published)) == "legacy"
    rollback(published)
    assert label_of(published) == "legacy"
    assert not (published.parent / "exports").exists()  # the legacy release had none


def test_failed_release_publish_changes_nothing(tmp_path):
    published = tmp_path / "w" / "hefei.duckdb"
    publish_release(make_release(tmp_path / "b1", "b1"), published, "b1")
    before = sorted((p.name, os.readlink(p)) for p in published.parent.iterdir() if p.is_symlink())
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(PublishError):
        publish_release(empty, published, "b2")
    after = sorted((p.name, os.readlink(p)) for p in published.parent.iterdir() if p.is_symlink())
    assert after == before and label_of(published) == "b1"


# ---------------------------------------------------------------- killed inside publish or rollback

import signal  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402

from hefei_warehouse.publish import previous_release  # noqa: E402

# Runs publish or rollback in a child that SIGKILLs itself just before its N-th change to the
# file system (a link, a rename, a removal, a mode change), so every instruction is tried.
KILLER = """
import os, signal, sys
from pathlib import Path
from hefei_warehouse import publish

action, stop_at, published = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
calls = 0

def deadly(original):
    def call(*args, **kwargs):
        global calls
        calls += 1
        if calls == stop_at:
            os.kill(os.getpid(), signal.SIGKILL)
        return original(*args, **kwargs)
    return call

for name in ("symlink", "replace", "rename", "link", "unlink", "rmdir", "chmod", "mkdir"):
    setattr(os, name, deadly(getattr(os, name)))
if action == "publish":
    publish.publish_release(Path(sys.argv[4]), published, "b3")
else:
    publish.rollback(published)
"""


def killed_at(action: str, stop_at: int, published, release=None) -> int:
    args = [sys.executable, "-c", KILLER, action, str(stop_at), str(published)] + ([str(release)] if release else [])
    return subprocess.run(args, capture_output=True, text=True, timeout=60).returncode


def assert_consistent(published) -> None:
    """current and previous are different complete releases, and rollback really swaps them."""
    current = current_release(published)
    assert current is not None and (current / "hefei.duckdb").is_file()
    older = previous_release(published)
    assert older is not None and older != current
    assert label_of(published) == current.name and label_of(previous_path(published)) == older.name
    rollback(published)
    assert label_of(published) == older.name, "rollback must change what readers see"
    rollback(published)
    assert label_of(published) == current.name
    strays = [p for p in published.parent.rglob(".*.new")]
    assert strays == [], strays


@pytest.mark.parametrize("action", ["publish", "rollback"])
def test_kill_at_every_step_of_publish_or_rollback_leaves_a_working_pair(action, tmp_path):
    """Case 6: a kill inside publish left current and previous at the same release, so
    rollback said it rolled back and changed nothing, and stray .new links stayed."""
    outcomes = []
    for stop_at in range(1, 60):
        published = tmp_path / str(stop_at) / "w" / "hefei.duckdb"
        for build_id in ("b1", "b2"):
            publish_release(make_release(tmp_path / str(stop_at) / build_id, build_id), published, build_id)
        release = make_release(tmp_path / str(stop_at) / "b3", "b3") if action == "publish" else None
        code = killed_at(action, stop_at, published, release)
        outcomes.append(code)
        assert code in (0, -signal.SIGKILL)
        assert_consistent(published)
        if code == 0:
            break
    assert outcomes[-1] == 0 and len(outcomes) > 3, outcomes


def _tree(folder):
    """Every path under folder, with each file's bytes, links as where they point."""
    found = {}
    for path in sorted(folder.rglob("*")):
        relative = str(path.relative_to(folder))
        if path.is_symlink():
            found[relative] = "-> " + os.readlink(path)
        elif path.is_file():
            found[relative] = path.read_bytes()
        else:
            found[relative] = "folder"
    return found


def _users_database(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(path)) as con:
        con.execute("create table my_work as select 42 as answer")


@pytest.mark.parametrize("setup, named", [
    (lambda w: (w / "report.html").write_text("mine"), "report.html is a file of its own"),
    (lambda w: (w / "docs").mkdir() or (w / "docs" / "readme.md").write_text("x"), "docs is a folder of its own"),
    (lambda w: (w / "exports").write_text("x"), "exports is a file of its own"),
    (lambda w: (w / "current").mkdir(), "current is a folder of its own"),
    (lambda w: (w / "previous").mkdir() or (w / "previous" / "thesis.txt").write_text("x"),
     "previous is not the previous warehouse"),
    (lambda w: (w / "releases" / "my-old-project").mkdir(parents=True), "releases holds my-old-project"),
    (lambda w: (w / "reports" / "2025 notes").mkdir(parents=True), "reports holds 2025 notes"),
    (lambda w: (w / ".build" / "cache").mkdir(parents=True), ".build holds cache"),
    (lambda w: (w / "releases").write_text("x"), "releases is a file"),
    (lambda w: _users_database(w / "hefei.duckdb"), "hefei.duckdb is a file this tool did not publish"),
    (lambda w: (w / "hefei.duckdb").write_text("not a database"), "hefei.duckdb is a file this tool did not publish"),
    (lambda w: (w / "hefei.duckdb").mkdir(), "hefei.duckdb is a folder"),
])
def test_a_folder_holding_what_a_build_would_replace_or_delete_is_refused(tmp_path, setup, named):
    from hefei_warehouse.publish import NotAWarehouseFolder, check_folder

    folder = tmp_path / "w"
    folder.mkdir()
    setup(folder)
    before = _tree(folder)
    with pytest.raises(NotAWarehouseFolder) as refused:
        check_folder(folder / "hefei.duckdb")
    assert named in str(refused.value)
    assert str(folder) in str(refused.value) and "choose another --warehouse path" in str(refused.value)
    assert _tree(folder) == before


def test_warehouse_folders_this_tool_made_pass_the_check(tmp_path):
    from hefei_warehouse.publish import check_folder, new_build_id

    new = tmp_path / "new" / "hefei.duckdb"
    check_folder(new)  # nothing there yet
    published = tmp_path / "w" / "hefei.duckdb"
    for build_id in ("20261203T215341Z-7b8ae5", "20261203T215342Z-0a1b2c"):
        publish_release(make_release(tmp_path / build_id, build_id), published, build_id)
    (published.parent / "reports" / "20261203T215342Z-0a1b2c").mkdir(parents=True)
    (published.parent / "reports" / new_build_id()).mkdir()  # the check knows the ids builds make
    (published.parent / ".build" / "database").mkdir(parents=True)
    (published.parent / "build_history.jsonl").write_text("{}\n")
    (published.parent / "notes.txt").write_text("a file of the user's beside the warehouse is left alone")
    check_folder(published)
    # An older version's plain file and previous/ folder, with the warehouse's tables.
    legacy = tmp_path / "legacy" / "hefei.duckdb"
    for path in (legacy, legacy.parent / "previous" / "hefei.duckdb"):
        path.parent.mkdir(parents=True, exist_ok=True)
        with duckdb.connect(str(path)) as con:
            con.execute("create schema marts; create table marts.dim_city as select '340100' as city_code")
    check_folder(legacy)
