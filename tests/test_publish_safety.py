"""Readers are never blocked and a killed build harms nothing: tried with real builds."""

from __future__ import annotations

import json
import re
import os
import signal
import shutil
import stat
import subprocess
import sys
import time
import types
from pathlib import Path

import duckdb
import pytest

from hefei_warehouse.dbt_runner import PROJECT_MARK, keep_parse_of_this_project, start_dbt
from project_copy import build, copy_project, digest, start_build

pytestmark = pytest.mark.long


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


def test_readers_see_complete_data_before_during_and_after_a_rebuild(killed_then_rebuilt, built_warehouse):
    run = killed_then_rebuilt
    assert run.rebuild_returncode == 0, run.rebuild_stderr
    assert run.reader_errors == []
    assert run.reads > 10, "the reader loop should have run during the build"
    assert count_city_rows(run.published) == run.city_rows_before
    # Case 9: the same seeds give byte-identical exports (floats used to differ in their last bits).
    assert export_digests(run.published) == export_digests(built_warehouse)


def export_digests(published) -> dict[str, str]:
    marts = json.loads((published.parent / "exports" / "manifest.json").read_text())["marts"]
    digests = {f["name"]: f["sha256"] for mart in marts.values() for f in mart["files"]}
    assert len(digests) > 20
    return digests


# ---------------------------------------------------------------- killed, refused and concurrent builds

def children_of(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry))
    return found


def is_alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            state = handle.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")  # a zombie has ended; it only waits to be reaped


def wait_for_dbt(process) -> list[int]:
    """The pid of dbt once the build has started it."""
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and process.poll() is None:
        found = []
        for pid in children_of(process.pid):
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as handle:
                    if b"dbt" in handle.read():
                        found.append(pid)
            except OSError:
                continue
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError("dbt never started as a child of the build")


def rebuild_while_reading(project, published) -> tuple[subprocess.CompletedProcess, int, list[str]]:
    """Run a build to its end while a reader counts the cities of the published warehouse
    every 50 ms: the build's outcome, the number of reads and any error a reader saw."""
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
    return subprocess.CompletedProcess(process.args, process.returncode, out, err), reads, errors


@pytest.fixture(scope="module")
def killed_then_rebuilt(project, built_warehouse, tmp_path_factory):
    """Case 2 (orphaned dbt holding the lock) and case 3 (refused and killed builds missing
    from the history), with real signals, then the rebuild that follows them, read from
    throughout. One complete build serves both the kill test and the readers test: each
    real build costs most of a minute of the suite."""
    published = tmp_path_factory.mktemp("killed") / "pub" / "hefei.duckdb"
    published.parent.mkdir()
    shutil.copy2(built_warehouse, published)
    # The session's build passed the unit tests on this code and left that record beside its
    # warehouse; with it here too, as after an earlier build in this folder, the rebuild below
    # is a scheduled build on unchanged code: it leaves the unit tests out (unit_tests.py).
    (published.parent / ".dbt-target").mkdir()
    shutil.copy2(built_warehouse.parent / ".dbt-target" / "unit_tests_passed.json", published.parent / ".dbt-target")
    run = types.SimpleNamespace(published=published, before=digest(published),
                                city_rows_before=count_city_rows(published))

    process = start_build(project, published)
    dbt = wait_for_dbt(process)
    run.build_pid = process.pid
    run.refused = build(project, published)  # a second build while the first runs
    os.kill(process.pid, signal.SIGKILL)  # the build process only, not its process group
    process.wait(timeout=30)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and is_alive(dbt[0]):
        time.sleep(0.1)
    run.dbt_alive_after_kill = is_alive(dbt[0])
    run.digest_after_kill = digest(published)

    rebuilt, run.reads, run.reader_errors = rebuild_while_reading(project, published)
    run.rebuild_returncode, run.rebuild_stderr = rebuilt.returncode, rebuilt.stderr
    return run


def test_kill_9_of_the_build_process_alone_takes_dbt_with_it(killed_then_rebuilt):
    from hefei_warehouse import history

    run = killed_then_rebuilt
    published = run.published
    # A second build while the first runs is refused in one line, and recorded.
    assert run.refused.returncode == 1
    assert "another build or rollback is running" in run.refused.stderr and f"pid {run.build_pid}" in run.refused.stderr
    assert len(run.refused.stderr.strip().splitlines()) == 1
    assert not run.dbt_alive_after_kill, "dbt outlived the build that started it"
    assert run.digest_after_kill == run.before

    assert run.rebuild_returncode == 0, run.rebuild_stderr
    assert count_city_rows(published) > 0
    outcomes = {}
    for record in history.read(published):
        outcomes[record["build_id"]] = record["status"]
    assert sorted(outcomes.values()) == ["killed", "published", "refused"]
    with duckdb.connect(str(published), read_only=True) as con:
        rows = dict(con.execute("select status, count(*) from meta.build_history group by status").fetchall())
    assert rows == {"killed": 1, "published": 1, "refused": 1}
    assert not list((published.parent / ".build").glob("*/release"))
    assert not any(p.name.endswith(".wal") for p in published.parent.iterdir())


def node_ids(run_results: Path) -> list[str]:
    return [r["unique_id"] for r in json.loads(run_results.read_text(encoding="utf-8"))["results"]]


def test_a_parse_saved_by_another_checkout_is_not_reused(project, built_warehouse, tmp_path, monkeypatch):
    # Two checkouts that build into one warehouse folder share dbt's target folder and the
    # build database's path. dbt then finds no file changed and keeps the first checkout's
    # nodes, which read that checkout's seed files. Here the session's build (this repository)
    # left the parse; dbt runs from the project copy with the same database path.
    target = tmp_path / "target"
    shutil.copytree(built_warehouse.parent / ".dbt-target", target)
    database = built_warehouse.parent / ".build" / "database" / built_warehouse.name
    monkeypatch.setenv("HEFEI_PROJECT_DIR", str(project))
    # The vars of the session's build (build.RULES_IN_ONE_QUERY): other vars make dbt parse anew.
    result = start_dbt(["parse", "--vars", "{column_rules_in_one_query: true}"], database, tmp_path / "work",
                       quiet=True, target_dir=target).wait()
    assert result.returncode == 0, result.stdout
    nodes = json.loads((target / "manifest.json").read_text(encoding="utf-8"))["nodes"].values()
    roots = {node["root_path"] for node in nodes if node["resource_type"] == "seed"}  # where dbt reads them
    assert roots == {str(project.resolve())}
    assert (target / PROJECT_MARK).read_text(encoding="utf-8") == str(project.resolve())


def test_a_saved_parse_is_kept_only_for_the_project_that_made_it(tmp_path):
    target, one, other = tmp_path / "target", tmp_path / "one", tmp_path / "other"
    saved = target / "partial_parse.msgpack"
    keep_parse_of_this_project(target, one)  # a new folder: marked, nothing to drop
    saved.write_bytes(b"parse of one")
    keep_parse_of_this_project(target, one)
    assert saved.read_bytes() == b"parse of one"
    keep_parse_of_this_project(target, other)
    assert not saved.exists()
    assert (target / PROJECT_MARK).read_text(encoding="utf-8") == str(other.resolve())
    saved.write_bytes(b"parse of unknown origin")
    (target / PROJECT_MARK).unlink()  # left by a version that did not mark it
    keep_parse_of_this_project(target, other)
    assert not saved.exists()


def test_a_rebuild_of_unchanged_code_leaves_out_the_unit_tests_that_passed_on_it(killed_then_rebuilt, built_warehouse):
    from hefei_warehouse import history

    shared = history.read(built_warehouse)[-1]
    shared_nodes = node_ids(built_warehouse.parent / ".dbt-target" / "run_results.json")
    n_unit = sum(uid.startswith("unit_test.") for uid in shared_nodes)
    assert n_unit >= 19 and shared["unit_tests"] == f"{n_unit} passed"

    rebuilt = history.read(killed_then_rebuilt.published)[-1]
    assert rebuilt["status"] == "published"
    assert rebuilt["unit_tests"] == f"not run: {n_unit} passed on this code in build {shared['build_id']}"
    with duckdb.connect(str(killed_then_rebuilt.published), read_only=True) as con:
        recorded = con.execute("select unit_tests from meta.build_history where build_id = ?",
                               [rebuilt["build_id"]]).fetchone()
    assert recorded == (rebuilt["unit_tests"],)
    # Everything else ran: every seed, model and data test of the session's build.
    rebuilt_nodes = node_ids(killed_then_rebuilt.published.parent / ".dbt-target" / "run_results.json")
    assert sorted(rebuilt_nodes) == sorted(uid for uid in shared_nodes if not uid.startswith("unit_test."))
    assert sum(uid.startswith("test.") for uid in rebuilt_nodes) >= 15
    # and the column_rules tests, checked in one query at the end of dbt's run
    assert rebuilt["column_rules"] == shared["column_rules"]
    assert re.fullmatch(r"\d{2} passed, checked in one query", rebuilt["column_rules"])


def test_sigterm_stops_the_build_cleanly_and_records_it(project, published):
    from hefei_warehouse import history

    before = digest(published)
    process = start_build(project, published)
    dbt = wait_for_dbt(process)
    os.kill(process.pid, signal.SIGTERM)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 1
    assert err.strip().startswith("error: build failed at") and "stopped by SIGTERM" in err
    assert len(err.strip().splitlines()) == 1
    assert not any(is_alive(pid) for pid in dbt)
    assert history.read(published)[-1]["status"] == "stopped"
    assert digest(published) == before
    assert not (published.parent / ".build" / "database").exists(), "the unpublished database is removed"


# ---------------------------------------------------------------- a careless client

def test_published_database_is_read_only_for_a_careless_client(built_warehouse, tmp_path):
    """Case 8: a client that forgets read_only must not be able to write the live release."""
    for path in (built_warehouse.resolve(), (built_warehouse.parent / "exports" / "manifest.json").resolve(),
                 (built_warehouse.parent / "report.html").resolve()):
        assert stat.S_IMODE(path.stat().st_mode) & 0o222 == 0, f"{path} is writable"
    # The tests run as root, which ignores file modes; the careless client runs as the owner
    # without that power (the capabilities to override file permissions dropped before exec),
    # on a copy that keeps the release file's mode.
    copy = tmp_path / "hefei.duckdb"
    shutil.copy2(built_warehouse.resolve(), copy)
    as_owner = dict(capture_output=True, text=True, preexec_fn=without_permission_override)
    client = ("import duckdb, sys\n"
              "try:\n"
              "    duckdb.connect(sys.argv[1]).execute('create table marts.vandal as select 1')\n"
              "except duckdb.Error as error:\n"
              "    print(type(error).__name__, error); sys.exit(7)\n"
              "print('wrote')\n")
    careless = subprocess.run([sys.executable, "-c", client, str(copy)], **as_owner)
    assert careless.returncode == 7, careless.stdout + careless.stderr
    assert "Permission denied" in careless.stdout
    reader = subprocess.run(
        [sys.executable, "-c", "import duckdb, sys; print(duckdb.connect(sys.argv[1], read_only=True)"
         ".execute('select count(*) from marts.dim_city').fetchone()[0])", str(copy)], **as_owner)
    assert reader.returncode == 0 and int(reader.stdout) > 300, reader.stderr


def without_permission_override() -> None:
    """preexec_fn: drop CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH from the bounding set, so the
    program about to run obeys file modes even as root."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            os._exit(99)
