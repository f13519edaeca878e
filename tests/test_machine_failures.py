"""Failures of the machine, not of the data: a full disk, a read-only folder, a file where a
folder should be. Each ends with one line naming the step and what to do, exit 1, a row in
the build history where the disk allows one, no leftovers, and the published warehouse
untouched. The full and read-only disks are real: a small tmpfs mounted for the test
(the tests run as root, as `make test` does in the project's container)."""

from __future__ import annotations

import errno
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from hefei_warehouse import build as build_module
from hefei_warehouse import cli, docs, exports, history, validate
from project_copy import StandInDbt, copy_project, digest, stand_in_warehouse

pytestmark = pytest.mark.long


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("project"))


class SmallDisk:
    def __init__(self, folder: Path, size: str) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                                 capture_output=True, text=True)
        if mounted.returncode != 0:
            pytest.fail(f"these tests mount a small tmpfs and need root: {mounted.stderr.strip()}")

    def read_only(self) -> None:
        subprocess.run(["mount", "-o", "remount,ro", str(self.folder)], check=True)

    def release(self) -> None:
        subprocess.run(["umount", "-l", str(self.folder)], check=True)


@pytest.fixture()
def small_disk(tmp_path):
    disks = []

    def make(size: str) -> SmallDisk:
        disks.append(SmallDisk(tmp_path / f"disk{len(disks)}", size))
        return disks[-1]

    yield make
    for disk in disks:
        disk.release()


def one_line(capsys) -> str:
    message = capsys.readouterr().err.strip()
    assert len(message.splitlines()) == 1, message
    assert message.startswith("error: ")
    return message


def test_disk_full_while_dbt_writes(project, small_disk, monkeypatch, capsys):
    """Case 3: dbt's output was lost in an OSError traceback and the leftovers kept the disk full."""
    disk = small_disk("20m")  # room for the seed checks and dbt's parse, not for the database
    published = stand_in_warehouse(disk.folder / "hefei.duckdb")
    before = digest(published)
    monkeypatch.setenv("HEFEI_PROJECT_DIR", str(project))
    status = cli.main(["build", "--warehouse", str(published), "--quiet", "--no-progress"])
    message = one_line(capsys)
    assert status == 1
    assert message.startswith("error: build failed at dbt build: ")
    assert "the disk is full; free some space and run the build again" in message
    assert digest(published) == before
    assert not (published.parent / ".build" / "database").exists(), "the unpublished database is removed"
    last = history.read(published)[-1]
    assert (last["status"], last["failed_step"]) == ("failed", "dbt build")
    assert shutil.disk_usage(disk.folder).free > 8 * 2**20, "a failed build must not keep the disk full"


CHECKED = "12:00:00  78 column_rules tests checked in one query: all passed\n"


def dbt_that_built(built_warehouse: Path, output: str = CHECKED):
    """A stand-in for start_dbt: leaves what a successful dbt build leaves (the database, its
    manifest and its run results), taken from the session's real build, and says what it says
    about the column_rules tests."""
    def start(args, database, work_dir, *, quiet=False, target_dir=None):
        assert args[0] == "build"
        shutil.copyfile(built_warehouse.resolve(), database)
        target_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built_warehouse.parent / "docs" / "manifest.json", target_dir / "manifest.json")
        shutil.copyfile(built_warehouse.parent / ".dbt-target" / "run_results.json", target_dir / "run_results.json")
        return StandInDbt(0, output)  # ended, and built
    return start


def test_a_dbt_run_that_does_not_say_the_rules_were_checked_is_not_published(project, built_warehouse, tmp_path,
                                                                            monkeypatch, capsys):
    # dbt passed, but its output lacks the one-query check's count (the hook did not run, or
    # its line was hidden): the build cannot tell the rules were checked.
    published = stand_in_warehouse(tmp_path / "w" / "hefei.duckdb")
    before = digest(published)
    monkeypatch.setattr(build_module, "start_dbt", dbt_that_built(built_warehouse, output="12:00:00  Done.\n"))
    monkeypatch.setenv("HEFEI_PROJECT_DIR", str(project))
    status = cli.main(["build", "--warehouse", str(published), "--quiet", "--no-progress"])
    assert status == 1
    assert one_line(capsys) == ("error: build failed at dbt build: dbt ended without saying that the column_rules "
                                "tests were checked (macros/column_rules_in_one_query.sql); nothing was published")
    assert digest(published) == before
    assert (history.read(published)[-1]["status"], history.read(published)[-1]["failed_step"]) == ("failed", "dbt build")


def test_disk_full_while_writing_exports_names_the_exports_step(project, built_warehouse, tmp_path, monkeypatch, capsys):
    """Case 3: a full disk during the exports was reported as a failure to read the warehouse.
    Injected at the exports step (a disk sized to fill exactly there would depend on the models).
    What dbt's step leaves behind, the database, its manifest and its run results, is taken
    from the session's real build: this test is about the steps after dbt, and a second real
    dbt build would add most of a minute and nothing to what it checks."""
    published = stand_in_warehouse(tmp_path / "w" / "hefei.duckdb")
    before = digest(published)

    def full_disk(database, out_dir, **kwargs):
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / "dim_city.parquet").write_bytes(b"half")
        raise OSError(errno.ENOSPC, "No space left on device", str(out_dir / "dim_city.csv"))

    monkeypatch.setattr(build_module, "start_dbt", dbt_that_built(built_warehouse))
    monkeypatch.setattr(exports, "write_exports", full_disk)
    monkeypatch.setenv("HEFEI_PROJECT_DIR", str(project))
    status = cli.main(["build", "--warehouse", str(published), "--quiet", "--no-progress"])
    message = one_line(capsys)
    assert status == 1
    assert message.startswith("error: build failed at exports: [Errno 28] No space left on device (")
    assert message.endswith("dim_city.csv): the disk is full; free some space and run the build again")
    assert digest(published) == before
    assert list((published.parent / ".build").iterdir()) == [], "nothing of the failed build is left"
    last = history.read(published)[-1]
    assert (last["status"], last["failed_step"]) == ("failed", "exports")
    # the warehouse suites ran on the built database before the exports, and passed
    assert last["validation_summary"]["expectations"] > 40 and last["validation_summary"]["failed"] == 0


@pytest.mark.parametrize("case", ["a warehouse suite fails", "the docs are refused and the exports fill the disk"])
def test_a_failure_beside_the_release_writers_stops_them_and_publishes_nothing(
        case, project, built_warehouse, tmp_path, monkeypatch, capsys):
    """The docs, exports and report are written while the warehouse suites run: a failed suite
    tells the exports to stop, and a full disk is named before another step's refusal, so its
    files are removed at once. Nothing of the release is left either way."""
    published = stand_in_warehouse(tmp_path / "w" / "hefei.duckdb")
    before = digest(published)
    told_to_stop = threading.Event()

    def exports_in_progress(database, out_dir, *, stop, **kwargs):
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / "dim_city.parquet").write_bytes(b"half")
        if case == "a warehouse suite fails":
            assert stop.wait(120), "the exports were never told to stop"
            told_to_stop.set()
            return None
        raise OSError(errno.ENOSPC, "No space left on device", str(out_dir / "dim_city.csv"))

    real_suites = validate.run_suites

    def suites(database=None, suites=None, *, seeds=None, stage=None):
        if stage != "warehouse" or case != "a warehouse suite fails":
            return real_suites(database, suites, seeds=seeds, stage=stage)
        return [validate.ExpectationOutcome("marts_dim_city", "marts.dim_city", "expect_table_row_count_to_be_between",
                                            {"min_value": 300}, False, "observed 12")]

    def refused_docs(*args, **kwargs):
        raise docs.DocsError("the viewer page loads a script from the network")

    monkeypatch.setattr(build_module, "start_dbt", dbt_that_built(built_warehouse))
    monkeypatch.setattr(exports, "write_exports", exports_in_progress)
    monkeypatch.setattr(validate, "run_suites", suites)
    if case != "a warehouse suite fails":
        monkeypatch.setattr(docs, "write_site", refused_docs)
    monkeypatch.setenv("HEFEI_PROJECT_DIR", str(project))
    status = cli.main(["build", "--warehouse", str(published), "--quiet", "--no-progress"])
    message = one_line(capsys)
    assert status == 1
    last = history.read(published)[-1]
    if case == "a warehouse suite fails":
        assert message.startswith("error: build failed at validation: marts.dim_city expect_table_row_count_to_be_between 300..: observed 12")
        assert told_to_stop.is_set()
        assert (last["status"], last["failed_step"]) == ("failed", "validation")
    else:
        assert message.startswith("error: build failed at exports: [Errno 28] No space left on device (")
        assert (last["status"], last["failed_step"]) == ("failed", "exports")
    assert digest(published) == before
    work = published.parent / ".build"
    assert not list(work.glob("*/release")) and not (work / "database").exists(), "no release or database is left"
    if case != "a warehouse suite fails":
        assert list(work.iterdir()) == [], "a full disk is cleared of everything the build wrote"


def test_read_only_warehouse_folder(small_disk, capsys):
    """Case 3: a read-only target gave an OSError traceback on the lock file; rollback too."""
    disk = small_disk("4m")
    published = stand_in_warehouse(disk.folder / "hefei.duckdb", "first")
    stand_in_warehouse(published, "second")  # so that there is a release to roll back to
    before = digest(published)
    disk.read_only()

    assert cli.main(["build", "--warehouse", str(published), "--quiet"]) == 1
    message = one_line(capsys)
    assert message.startswith("error: build failed at start: [Errno 30] Read-only file system")
    assert "point --warehouse at a writable folder" in message
    assert "not recorded in the build history" in message

    assert cli.main(["rollback", "--warehouse", str(published)]) == 1
    message = one_line(capsys)
    assert message.startswith("error: rollback failed, nothing changed: [Errno 30] Read-only file system")
    assert digest(published) == before


def test_warehouse_path_under_a_regular_file(tmp_path, capsys):
    """Case 3: a FileExistsError traceback."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file")
    assert cli.main(["build", "--warehouse", str(blocker / "hefei.duckdb"), "--quiet"]) == 1
    message = one_line(capsys)
    assert message.startswith("error: build failed at start: [Errno 17] File exists")
    assert "a file is in the way of a folder the warehouse needs" in message
    assert blocker.read_text() == "a file"
