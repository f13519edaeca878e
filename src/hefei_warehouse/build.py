"""Write, audit, publish: build a fresh DuckDB file, check it, and only then publish it."""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import duckdb

from . import docs, exports, history, preflight, report, validate
from .dbt_runner import run_dbt
from .paths import seeds_dir
from .publish import publish_release


class BuildFailed(RuntimeError):
    """A build step failed; nothing was published."""

    def __init__(self, step: str, what: str, details: Path | None = None) -> None:
        self.step, self.what, self.details = step, what, details
        message = f"build failed at {step}: {what}"
        if details:
            message += f" (details: {details})"
        super().__init__(message)


@dataclass
class BuildResult:
    build_id: str
    published: Path
    seconds: float
    tables: dict[str, int] = field(default_factory=dict)
    release: Path | None = None

    @property
    def exports(self) -> Path:
        return self.published.parent / "exports"

    @property
    def report(self) -> Path:
        return self.published.parent / "report.html"

    @property
    def docs(self) -> Path:
        return self.published.parent / "docs" / "index.html"


class Progress:
    """Says which step is running and how long each took (the build has fixed steps)."""

    STEPS = (
        "seed check", "seed validation", "dbt build", "warehouse validation",
        "dbt docs", "exports", "report", "publish",
    )

    def __init__(self, say: Callable[[str], None] | None) -> None:
        self.say = say or (lambda text: None)
        self.started: float | None = None

    def step(self, name: str) -> None:
        self.done()
        number = self.STEPS.index(name) + 1
        self.say(f"[{number}/{len(self.STEPS)}] {name} ...")
        self.started = time.monotonic()

    def done(self) -> None:
        if self.started is not None:
            self.say(f"      ok ({time.monotonic() - self.started:.1f} s)")
            self.started = None


def reports_dir(published: Path) -> Path:
    return published.parent / "reports"


def dbt_target_dir(published: Path) -> Path:
    """dbt's target folder, kept between builds for partial parsing."""
    return published.parent / ".dbt-target"


def _work_root(published: Path) -> Path:
    return published.parent / ".build"


@contextmanager
def _exclusive_lock(published: Path):
    published.parent.mkdir(parents=True, exist_ok=True)
    lock_path = published.parent / ".build.lock"
    with open(lock_path, "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildFailed("start", f"another build holds {lock_path}") from None
        yield


def _clear_leftovers(work_root: Path) -> None:
    # Folders left by a failed or killed build; safe to remove because we hold the lock.
    if work_root.exists():
        for leftover in work_root.iterdir():
            shutil.rmtree(leftover, ignore_errors=True)


def new_build_id() -> str:
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + "-" + uuid.uuid4().hex[:6]


def table_row_counts(database: Path) -> dict[str, int]:
    """Row counts of every table and view outside the seeds schema, keyed schema.name."""
    with duckdb.connect(str(database), read_only=True) as con:
        names = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema not in ('seeds', 'information_schema') order by 1, 2"
        ).fetchall()
        return {
            f"{schema}.{name}": con.execute(f'select count(*) from "{schema}"."{name}"').fetchone()[0]
            for schema, name in names
        }


def _now() -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime())


def build_warehouse(
    published: Path, *, quiet: bool = False, say: Callable[[str], None] | None = None
) -> BuildResult:
    """Build into a fresh file, audit it, and publish it with its exports, docs and report
    only if every step passed. `say` receives one line per step.

    Every attempt, failed or not, is appended to the build history log."""
    started = time.monotonic()
    published = Path(os.path.abspath(published))  # never resolved: it is a symlink once published
    record = {
        "build_id": new_build_id(),
        "started_at": _now(),
        "git_commit": history.git_commit(),
        "seed_checksums": history.seed_checksums(),
    }
    with _exclusive_lock(published):
        try:
            result = _build_and_publish(published, record, quiet=quiet, progress=Progress(say))
        except BuildFailed as failure:
            record.update(finished_at=_now(), status="failed", failed_step=failure.step, message=str(failure))
            history.append(published, record)
            raise
    result.seconds = time.monotonic() - started
    return result


def _build_and_publish(published: Path, record: dict, *, quiet: bool, progress: Progress) -> BuildResult:
    work_root = _work_root(published)
    _clear_leftovers(work_root)
    work_dir = work_root / record["build_id"]
    work_dir.mkdir(parents=True)
    # Same file name as the published copy: DuckDB names the catalog after the file,
    # and the views dbt creates refer to it. The folder is the same for every build so the
    # dbt profile does not change between builds, which lets dbt re-parse only changed files
    # (its manifest is kept in a target folder beside the warehouse).
    database = work_root / "database" / published.name
    database.parent.mkdir()
    target_dir = dbt_target_dir(published)

    progress.step("seed check")
    problems = preflight.check_seeds(seeds_dir())
    if problems:
        details = work_dir / "seed-problems.txt"
        details.write_text("\n".join(str(p) for p in problems) + "\n", encoding="utf-8")
        raise BuildFailed("seed check", str(preflight.SeedCheckFailed(problems)), details)

    progress.step("seed validation")
    seed_outcomes = validate.run_suites(seeds=seeds_dir(), stage="seeds")
    _stop_on_failures(seed_outcomes, "seed validation", published, record)

    progress.step("dbt build")
    result = run_dbt(["build", "--fail-fast"], database, work_dir, quiet=quiet, target_dir=target_dir)
    if result.returncode != 0:
        details = work_dir / "logs" / "dbt.log"
        if quiet:
            details = work_dir / "dbt-output.txt"
            details.write_text(result.stdout + result.stderr)
        raise BuildFailed("dbt build", f"dbt exited with {result.returncode}: {_first_error(result)}", details)

    progress.step("warehouse validation")
    outcomes = seed_outcomes + validate.run_suites(database, seeds=seeds_dir(), stage="warehouse")
    _stop_on_failures(outcomes, "validation", published, record)

    tables = table_row_counts(database)
    record.update(finished_at=_now(), status="published", row_counts=tables)
    history.write_table(database, [*history.read(published), record])

    # Everything below is written into the release folder, which readers see only once
    # `publish_release` points `current` at it, together with the database.
    release = work_dir / "release"
    progress.step("dbt docs")
    try:
        docs.generate(database, work_dir, release / "docs", target_dir)
    except docs.DocsError as error:
        raise BuildFailed("dbt docs", str(error), error.details) from None
    with duckdb.connect(str(database)) as con:
        con.execute("checkpoint")

    progress.step("exports")
    exports.write_exports(
        database, release / "exports", build_id=record["build_id"], git_commit=record["git_commit"],
        dbt_manifest=target_dir / "manifest.json",
    )
    progress.step("report")
    try:
        report.write_report(database, release / "report.html", build_id=record["build_id"], git_commit=record["git_commit"])
    except report.ReportError as error:
        raise BuildFailed("report", str(error)) from None

    progress.step("publish")
    os.replace(database, release / published.name)
    final = publish_release(release, published, record["build_id"])
    history.append(published, record)
    shutil.rmtree(work_dir, ignore_errors=True)
    progress.done()
    return BuildResult(record["build_id"], published, 0.0, tables, final)


def _stop_on_failures(outcomes, step: str, published: Path, record: dict) -> None:
    """Write the validation report; raise if any expectation failed."""
    report = validate.write_report(outcomes, reports_dir(published) / record["build_id"], record["build_id"])
    record["validation_summary"] = validate.summary(outcomes)
    record["validation_report"] = str(report)
    failed = [o for o in outcomes if not o.success]
    if failed:
        more = f" (+{len(failed) - 1} more)" if len(failed) > 1 else ""
        raise BuildFailed(step, failed[0].one_line() + more, report)


_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_CLOCK = re.compile(r"^\d{2}:\d{2}:\d{2}\s+")


def _first_error(result) -> str:
    """The first line dbt marks as an error or failure, to say in one line what broke."""
    for line in (result.stdout or "").splitlines():
        text = _CLOCK.sub("", _ANSI.sub("", line).strip())
        if any(word in text for word in ("Failure in", "Error in", "Compilation Error", "Runtime Error", "Database Error")):
            return text
    return "see the details file"
