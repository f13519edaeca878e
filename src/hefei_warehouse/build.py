"""Write, audit, publish: build a fresh DuckDB file, check it, and only then publish it."""

from __future__ import annotations

import errno
import os
import re
import shutil
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import duckdb

from . import docs, exports, history, preflight, report, seed_manifest, unit_tests, validate
from .collector import fewer_collections
from .dbt_runner import failed_test_findings, start_dbt
from .paths import seeds_dir
from .publish import (
    Busy, PublishError, check_folder, clear_stray_links, describe_os_error, exclusive_lock, new_build_id,
    publish_release,
)

# Validation reports kept in warehouse/reports/ (the newest builds' folders; older ones are pruned).
REPORTS_KEPT = 20

# dbt checks the column_rules tests in one query at the end of its run rather than as 78 test
# nodes: the same checks, without dbt's cost per node (macros/column_rules_in_one_query.sql).
RULES_IN_ONE_QUERY = ("--exclude", "test_name:column_rules", "--vars", "{column_rules_in_one_query: true}")


class BuildFailed(RuntimeError):
    """A build step failed, or the machine failed under it; nothing was published."""

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
        "seed check", "seed validation", "seed manifest", "dbt build", "warehouse validation",
        "docs", "exports", "report", "publish",
    )

    def __init__(self, say: Callable[[str], None] | None) -> None:
        self.say = say or (lambda text: None)
        self.started: float | None = None
        self.current = "start"  # the step a failure of the machine is reported at

    def step(self, name: str, note: str = "") -> None:
        self.done()
        self.current = name
        number = self.STEPS.index(name) + 1
        self.say(f"[{number}/{len(self.STEPS)}] {name}{f' ({note})' if note else ''} ...")
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


def _clear_leftovers(work_root: Path) -> None:
    # Folders left by a failed or killed build; safe to remove because we hold the lock.
    if work_root.exists():
        for leftover in work_root.iterdir():
            shutil.rmtree(leftover, ignore_errors=True)


def _remove_bulk(work_root: Path, work_dir: Path, *, everything: bool) -> None:
    """After a failure, remove the large files (the unpublished database, the release being
    assembled) so a failed build does not keep the disk full until the next one. The small
    details files stay for the user, unless the disk is full (they may be cut short)."""
    shutil.rmtree(work_root / "database", ignore_errors=True)
    shutil.rmtree(work_dir / "release", ignore_errors=True)
    if everything:
        shutil.rmtree(work_dir, ignore_errors=True)


def prune_reports(published: Path, keep: int = REPORTS_KEPT) -> list[Path]:
    """Keep the validation reports of the newest `keep` builds (build ids sort by time)."""
    folder = reports_dir(published)
    if not folder.is_dir():
        return []
    reports = sorted(p for p in folder.iterdir() if p.is_dir())
    removed = reports[:-keep] if keep > 0 else reports
    for path in removed:
        shutil.rmtree(path, ignore_errors=True)
    return removed


class _Stopped(BaseException):
    """Raised in the build when it receives SIGTERM or SIGHUP, so it can record and clean up."""

    def __init__(self, signal_name: str) -> None:
        super().__init__(signal_name)
        self.signal_name = signal_name


def _stop_on_signal(number, frame) -> None:
    raise _Stopped(signal.Signals(number).name)


def _catch_stop_signals() -> dict:
    """Turn SIGTERM and SIGHUP into an exception (main thread only); return the old handlers."""
    if threading.current_thread() is not threading.main_thread():
        return {}
    return {number: signal.signal(number, _stop_on_signal) for number in (signal.SIGTERM, signal.SIGHUP)}


def _is_disk_full(error: BaseException) -> bool:
    if isinstance(error, OSError):
        return error.errno in (errno.ENOSPC, errno.EDQUOT)
    return "No space left on device" in str(error) or "Disk quota exceeded" in str(error)


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
    published: Path, *, quiet: bool = False, say: Callable[[str], None] | None = None,
    rerun_unit_tests: bool = False,
) -> BuildResult:
    """Build into a fresh file, audit it, and publish it with its exports, docs and report
    only if every step passed. `say` receives one line per step. dbt's unit tests run unless
    they passed on exactly this code in an earlier build (unit_tests.py), or always with
    `rerun_unit_tests`.

    Every attempt is recorded in the build history log: published, failed (at which step,
    including failures of the machine such as a full disk), refused (another build held the
    lock), stopped by a signal, or killed (found by the next build)."""
    started = time.monotonic()
    published = Path(os.path.abspath(published))  # never resolved: it is a symlink once published
    record = {
        "build_id": new_build_id(),
        "started_at": _now(),
        "git_commit": history.git_commit(),
        "seed_checksums": history.seed_checksums(),
    }
    progress = Progress(say)

    def refused(holder: str) -> None:
        history.try_append(published, {**record, "finished_at": _now(), "status": "refused", "failed_step": "start",
                                       "message": f"another build or rollback held the lock ({holder or 'pid unknown'})"})

    check_folder(published)  # before anything is written there
    try:
        with exclusive_lock(published, on_busy=refused):
            _record_killed_builds(published, record["build_id"])
            history.append(published, {**record, "status": "started"})
            previous_handlers = _catch_stop_signals()
            try:
                with fewer_collections():
                    result = _build_and_publish(published, record, quiet=quiet, progress=progress,
                                                rerun_unit_tests=rerun_unit_tests)
            except BuildFailed as failure:
                _remove_bulk(_work_root(published), _work_root(published) / record["build_id"], everything=False)
                _record_failure(published, record, failure)
                raise
            except (_Stopped, KeyboardInterrupt) as stop:
                name = getattr(stop, "signal_name", "SIGINT")
                failure = BuildFailed(progress.current, f"stopped by {name}; nothing was published")
                _remove_bulk(_work_root(published), _work_root(published) / record["build_id"], everything=False)
                _record_failure(published, record, failure, status="stopped")
                raise failure from None
            except (OSError, duckdb.Error, PublishError) as error:
                failure = _machine_failure(progress.current, error)
                _remove_bulk(_work_root(published), _work_root(published) / record["build_id"],
                             everything=_is_disk_full(error))
                _record_failure(published, record, failure)
                raise failure from None
            finally:
                for number, handler in previous_handlers.items():
                    signal.signal(number, handler)
                prune_reports(published)
    except Busy as busy:
        raise BuildFailed("start", str(busy)) from None
    except OSError as error:
        # The warehouse folder itself cannot be used (read-only, a file in the way, no space).
        failure = _machine_failure("start", error)
        problem = history.try_append(published, {**record, "finished_at": _now(), "status": "failed",
                                                 "failed_step": "start", "message": str(failure)})
        if problem:
            failure = BuildFailed("start", f"{failure.what}; not recorded in the build history ({problem})")
        raise failure from None
    result.seconds = time.monotonic() - started
    return result


def _machine_failure(step: str, error: BaseException) -> BuildFailed:
    if isinstance(error, OSError):
        return BuildFailed(step, describe_os_error(error))
    text = " ".join(str(error).split())
    if _is_disk_full(error):
        text += ": the disk is full; free some space and run the build again"
    return BuildFailed(step, text)


def _record_failure(published: Path, record: dict, failure: BuildFailed, status: str = "failed") -> None:
    record.update(finished_at=_now(), status=status, failed_step=failure.step, message=str(failure))
    record.pop("row_counts", None)
    history.try_append(published, record)


def _record_killed_builds(published: Path, this_build: str) -> None:
    """Builds that started but never wrote an outcome were killed (we hold the lock, so
    none of them is still running): give each its row in the history."""
    for stale in history.unfinished(history.read(published)):
        history.append(published, {
            **stale, "status": "killed", "finished_at": None, "failed_step": None,
            "message": f"the build ended without an outcome (killed, or the machine stopped); "
                       f"noticed and cleaned up by build {this_build}",
        })


def _build_and_publish(
    published: Path, record: dict, *, quiet: bool, progress: Progress, rerun_unit_tests: bool,
) -> BuildResult:
    work_root = _work_root(published)
    _clear_leftovers(work_root)
    clear_stray_links(published)
    work_dir = work_root / record["build_id"]
    work_dir.mkdir(parents=True)
    # Same file name as the published copy: DuckDB names the catalog after the file,
    # and the views dbt creates refer to it. The folder is the same for every build so the
    # dbt profile does not change between builds, which lets dbt re-parse only changed files
    # (its manifest is kept in a target folder beside the warehouse).
    database = work_root / "database" / published.name
    database.parent.mkdir()
    target_dir = dbt_target_dir(published)

    # dbt starts first and works while the seed checks, suites and manifest check run (they
    # only read the seed files). If any of them finds a problem, dbt is stopped and that
    # problem is the one reported: its message names the file, row and rule, which dbt's
    # would not. A stale result file must not be read as this build's (failed_test_findings).
    # Seeds that differ from their manifest fail those checks for certain (at the manifest
    # step if no earlier check names a row), so dbt is not started for them: its work would
    # only be thrown away.
    (target_dir / "run_results.json").unlink(missing_ok=True)
    code = unit_tests.fingerprint()
    earlier = None if rerun_unit_tests else unit_tests.passed_before(target_dir, code)
    dbt_args = ["build", "--fail-fast", *RULES_IN_ONE_QUERY]
    if earlier:
        dbt_args += ["--exclude-resource-type", "unit_test"]
        record["unit_tests"] = f"not run: {earlier['passed']} passed on this code in build {earlier['build_id']}"
    else:
        unit_tests.forget(target_dir)
    changed = seed_manifest.differing(seeds_dir(), record["seed_checksums"])
    dbt = None
    if changed:
        record["dbt"] = f"not started: seeds differ from seeds/{seed_manifest.MANIFEST_NAME}: {', '.join(changed)}"
    else:
        dbt = start_dbt(dbt_args, database, work_dir, quiet=quiet, target_dir=target_dir)
    try:
        progress.step("seed check", "dbt build started beside it" if dbt is not None else f"dbt {record['dbt']}")
        _stop_on_seed_problems(preflight.check_seeds(seeds_dir()), "seed check", work_dir)

        progress.step("seed validation")
        seed_outcomes = validate.run_suites(seeds=seeds_dir(), stage="seeds")
        if all(outcome.success for outcome in seed_outcomes):
            # The report is written with the warehouse validation's, once dbt has finished
            # writing: a disk that dbt fills must be reported at dbt's step, not here.
            record["validation_summary"] = validate.summary(seed_outcomes)
        else:
            _stop_on_failures(seed_outcomes, "seed validation", published, record)

        progress.step("seed manifest")
        _stop_on_seed_problems(preflight.check_manifest(seeds_dir()), "seed manifest", work_dir)
    except BaseException:
        if dbt is not None:
            dbt.stop()
        raise
    if dbt is None:  # the seeds were put back while they were checked: build after all
        record.pop("dbt")
        dbt = start_dbt(dbt_args, database, work_dir, quiet=quiet, target_dir=target_dir)

    progress.step("dbt build", f"unit tests passed on this code in build {earlier['build_id']}, not run again"
                  if earlier else "")
    dbt.show_output()
    result = dbt.wait()
    if result.returncode != 0:
        first = _first_error(result)
        findings = failed_test_findings(target_dir, database)
        if findings:
            first += " (found: " + " | ".join(findings) + ")"
        if _is_disk_full(result.stdout or "") or _is_disk_full(result.stderr or ""):
            first += " (the disk is full; free some space and run the build again)"
        details = work_dir / "logs" / "dbt.log"
        if quiet:
            details = work_dir / "dbt-output.txt"
            try:
                details.write_text((result.stdout or "") + (result.stderr or ""))
            except OSError as error:
                # dbt's output is kept in the message instead: the disk cannot take it.
                _remove_bulk(work_root, work_dir, everything=True)
                raise BuildFailed("dbt build", f"dbt exited with {result.returncode}: {first}; "
                                               f"its output could not be saved ({describe_os_error(error)})") from None
        raise BuildFailed("dbt build", f"dbt exited with {result.returncode}: {first}", details)
    checked = RULES_CHECKED.search(result.stdout or "")
    if checked is None:
        raise BuildFailed("dbt build", "dbt ended without saying that the column_rules tests were checked "
                                       "(macros/column_rules_in_one_query.sql); nothing was published")
    record["column_rules"] = f"{checked.group(1)} passed, checked in one query"
    passed = None if earlier else unit_tests.remember_run(target_dir, code, record["build_id"])
    if passed is not None:
        record["unit_tests"] = f"{passed} passed"

    # The docs, the exports and the report only read the built database, so they are written
    # into the release folder while the warehouse suites run (the exports are DuckDB's work,
    # which runs beside Python's). If the suites or another writer fail, or a stop signal
    # comes, the exports are told to end after their current mart; the pool is always waited
    # for, so nothing writes into the release while it is removed. Outcomes are taken in step
    # order, except that a full disk is named first (its files must go at once); readers see
    # none of it unless every step passed and `publish_release` points `current` at it.
    release = work_dir / "release"
    release.mkdir()
    manifest = target_dir / "manifest.json"
    stop = threading.Event()
    steps = {"docs": docs.DocsError, "exports": None, "report": report.ReportError}
    with ThreadPoolExecutor(max_workers=len(steps)) as pool:
        written = {
            "docs": pool.submit(docs.write_site, database, manifest, release / "docs"),
            "exports": pool.submit(exports.write_exports, database, release / "exports", build_id=record["build_id"],
                                   git_commit=record["git_commit"], dbt_manifest=manifest, stop=stop),
            "report": pool.submit(report.write_report, database, release / "report.html",
                                  build_id=record["build_id"], git_commit=record["git_commit"]),
        }
        try:
            progress.step("warehouse validation", "docs, exports and report written beside it")
            outcomes = seed_outcomes + validate.run_suites(database, seeds=seeds_dir(), stage="warehouse")
            _stop_on_failures(outcomes, "validation", published, record)
            for step in steps:
                progress.step(step)
                if written[step].exception() is not None:  # waits for this step's outcome
                    stop.set()
                    break
        except BaseException:
            stop.set()
            raise
    # Every writer has ended here. The first failure in step order is reported, unless another
    # step found the disk full.
    errors = {step: future.exception() for step, future in written.items()}
    failed = [step for step, error in errors.items() if error is not None]
    if failed:
        full = [step for step in failed if _is_disk_full(errors[step])]
        step = (full or failed)[0]
        progress.current = step
        if steps[step] is not None and isinstance(errors[step], steps[step]):
            raise BuildFailed(step, str(errors[step])) from None
        raise errors[step]  # a machine failure: build_warehouse names it at this step

    progress.step("publish")
    tables = table_row_counts(database)
    record.update(finished_at=_now(), status="published", row_counts=tables)
    history.write_table(database, [*history.read(published), record])
    with duckdb.connect(str(database)) as con:
        con.execute("checkpoint")
    os.replace(database, release / published.name)
    final = publish_release(release, published, record["build_id"])
    history.try_append(published, record)  # published already: a full disk must not turn it into a failure
    shutil.rmtree(work_dir, ignore_errors=True)
    progress.done()
    return BuildResult(record["build_id"], published, 0.0, tables, final)


def _stop_on_seed_problems(problems: list, step: str, work_dir: Path) -> None:
    """Write the seed problems to a details file and stop the build at `step`, if there are any."""
    if problems:
        details = work_dir / "seed-problems.txt"
        details.write_text("\n".join(str(p) for p in problems) + "\n", encoding="utf-8")
        raise BuildFailed(step, str(preflight.SeedCheckFailed(problems)), details)


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


_RULES_FAILED = "Failure in column_rules (checked in one query)"
# The line macros/column_rules_in_one_query.sql logs when every rule held (the benchmark reads it too).
RULES_CHECKED = re.compile(r"(\d+) column_rules tests checked in one query: all passed")


def _first_error(result) -> str:
    """The first line dbt marks as an error or failure, to say in one line what broke. The
    column_rules check at the end of the run comes first when it failed: a broken rule is the
    likely cause of a later node's failure, and dbt's header line before the check's message
    names only the hook."""
    lines = [_CLOCK.sub("", _ANSI.sub("", line).strip()) for line in (result.stdout or "").splitlines()]
    for text in lines:
        if _RULES_FAILED in text:
            return text[text.index(_RULES_FAILED):]
    for number, text in enumerate(lines):
        if any(word in text for word in ("Failure in", "Error in", "Compilation Error", "Runtime Error", "Database Error")):
            if text in ("Compilation Error", "Runtime Error", "Database Error"):
                # an error of the whole run: its first line of detail, and the line of SQL
                # DuckDB points at (a column_rules check's line names its test)
                detail = [line for line in lines[number + 1:number + 8] if line]
                shown = detail[:1] + [line for line in detail[1:] if line.startswith("LINE ")][:1]
                return ": ".join([text, *shown])
            return text
    return "see the details file"
