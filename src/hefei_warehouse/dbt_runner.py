"""Run dbt in a child process against a given DuckDB file.

A child process (not dbt's Python API) so the database is closed when dbt ends and the
caller can open it again, and so a crash in dbt cannot leave our process half-way.
The child is tied to its parent: if the build process dies, even by `kill -9`, the kernel
kills dbt too, so no orphan keeps writing or keeps the build database locked.
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import duckdb

from .paths import project_dir


def dbt_executable() -> str:
    """The `dbt` script users run, beside this Python."""
    beside_python = Path(sys.executable).with_name("dbt")
    return str(beside_python) if beside_python.exists() else "dbt"


def dbt_command() -> list[str]:
    """How the build starts dbt: the same command line through dbt_entry, which spends less
    time in Python's garbage collector. -P: the project folder, dbt's working directory, is
    not put on the import path."""
    return [sys.executable, "-P", "-m", "hefei_warehouse.dbt_entry"]


def without_users_dbt_settings(environ) -> dict[str, str]:
    """The environment without the user's DBT_ settings, which dbt reads as command-line
    flags: DBT_TARGET would build another target, DBT_EMPTY or DBT_SAMPLE an empty or sampled
    warehouse, DBT_DEFER or DBT_STATE read relations from elsewhere, DBT_EXCLUDE_RESOURCE_TYPES
    leave checks out. dbt's DBT_ENV_ prefixes (custom metadata, secrets) stay."""
    return {k: v for k, v in environ.items() if not k.startswith("DBT_") or k.startswith("DBT_ENV_")}


def dbt_env(database: Path, work_dir: Path, target_dir: Path | None = None, *, colour: bool = False) -> dict[str, str]:
    env = without_users_dbt_settings(os.environ)
    env.update(
        HEFEI_BUILD_PATH=str(database),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
        DBT_TARGET_PATH=str(target_dir or work_dir / "target"),
        DBT_LOG_PATH=str(work_dir / "logs"),
        DBT_PROFILES_DIR=str(project_dir()),
        DBT_PROJECT_DIR=str(project_dir()),
        # Colour only for a person watching a terminal, never into a redirected log.
        DBT_USE_COLORS="true" if colour else "false",
        DBT_USE_COLORS_FILE="false",
        # The build reads dbt's info lines (the first error, the column_rules count), so a
        # DBT_QUIET, DBT_LOG_LEVEL or DBT_LOG_FORMAT of the user's must not hide or reshape
        # them; `--quiet` hides them here.
        DBT_QUIET="false",
        DBT_LOG_LEVEL="info",
        DBT_LOG_FORMAT="text",
        # dbt's file log follows DBT_LOG_LEVEL and DBT_LOG_FORMAT unless told otherwise. A failed
        # build points at that log, and only its debug lines hold the statements dbt ran.
        DBT_LOG_LEVEL_FILE="debug",
        DBT_LOG_FORMAT_FILE="debug",
    )
    return env


# The project folder whose parse a target folder holds, written beside dbt's files.
PROJECT_MARK = "parsed-from.txt"


def keep_parse_of_this_project(target_dir: Path, project: Path | None = None) -> None:
    """Drop dbt's saved parse in target_dir if another project folder left it there.

    dbt re-uses a saved parse when no file's contents changed, and does not notice that the
    project is another checkout: its nodes keep the folder they were parsed from, so a build
    from a second checkout sharing this target folder loaded the first one's seed files (or
    failed when that checkout was gone). A target folder without the mark is treated as
    another project's: dbt then parses everything once."""
    here = str((project or project_dir()).resolve())
    mark = target_dir / PROJECT_MARK
    try:
        if mark.read_text(encoding="utf-8") == here:
            return
    except (FileNotFoundError, NotADirectoryError):
        pass
    (target_dir / "partial_parse.msgpack").unlink(missing_ok=True)
    target_dir.mkdir(parents=True, exist_ok=True)
    mark.write_text(here, encoding="utf-8")


_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


# The signals the build turns into a clean stop; held back while the child is being started.
_STOP_SIGNALS = {signal.SIGTERM, signal.SIGHUP}


def _die_with_parent(parent: int, mask: set):
    """preexec_fn: ask Linux to SIGKILL this child when its parent dies; if the parent is
    already gone (it died between fork and here), exit at once. The child gets back the
    signal mask its parent had before it held the stop signals."""
    def set_up() -> None:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        if sys.platform.startswith("linux"):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:
            os._exit(1)
    return set_up


class DbtProcess:
    """A running dbt child. Its output is read by a thread: kept for error messages, and
    shown on the terminal (unless quiet) once `show_output` is called, so dbt can start while
    the build still prints the lines of an earlier step."""

    def __init__(self, process: subprocess.Popen, command: list[str], *, quiet: bool) -> None:
        self.process, self.command = process, command
        self._lines: list[str] = []
        self._shown = 0
        self._show = threading.Event() if not quiet else None
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            with self._lock:
                self._lines.append(line)
                if self._show is not None and self._show.is_set():
                    self._flush()

    def _flush(self) -> None:
        sys.stdout.write("".join(self._lines[self._shown:]))
        sys.stdout.flush()
        self._shown = len(self._lines)

    def show_output(self) -> None:
        """From now on dbt's output goes to the terminal, starting with what it printed so far."""
        if self._show is not None:
            with self._lock:
                self._show.set()
                self._flush()

    def wait(self) -> subprocess.CompletedProcess:
        """Wait for dbt to end. Whatever interrupts the wait (a stop signal turned into an
        exception) kills dbt first, so dbt has ended before this returns or raises."""
        try:
            self.process.wait()
            self._reader.join()
        except BaseException:
            self.stop()
            raise
        self.show_output()
        return subprocess.CompletedProcess(self.command, self.process.returncode, "".join(self._lines), "")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()


def start_dbt(
    args: list[str], database: Path, work_dir: Path, *, quiet: bool = False, target_dir: Path | None = None,
) -> DbtProcess:
    """Start `dbt <args>` and return at once; `wait()` on the result for its outcome.

    A stop signal that arrives while the child is being started is held until the process
    handle exists, so whatever interrupts the caller afterwards always finds a child to kill."""
    command = [*dbt_command(), *args]
    keep_parse_of_this_project(target_dir or work_dir / "target")
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    process = None
    try:
        try:
            process = subprocess.Popen(
                command,
                cwd=project_dir(),
                env=dbt_env(database, work_dir, target_dir, colour=not quiet and sys.stdout.isatty()),
                text=True,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                preexec_fn=_die_with_parent(os.getpid(), previous),
            )
            running = DbtProcess(process, command, quiet=quiet)
        finally:
            # A stop signal held meanwhile is raised here, once `process` is set.
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)
    except BaseException:
        if process is not None:
            process.kill()
            process.wait()
        raise
    return running


def run_dbt(
    args: list[str], database: Path, work_dir: Path, *, quiet: bool = False, target_dir: Path | None = None,
) -> subprocess.CompletedProcess:
    """Run `dbt <args>` and wait for it; output streams to the terminal unless quiet. The
    output is also returned (stdout of the result, dbt's stderr merged into it).

    target_dir (default work_dir/target) is where dbt keeps its manifest; a folder kept
    between builds lets dbt re-parse only the files that changed."""
    return start_dbt(args, database, work_dir, quiet=quiet, target_dir=target_dir).wait()


def failed_test_findings(
    target_dir: Path, database: Path, *, rows_per_test: int = 3, seconds_per_test: float = 10.0,
) -> list[str]:
    """What each data test that failed in dbt's last run found, one line per test.

    dbt only says how many rows a failing test returned; this runs the test's compiled query
    again on the build database and shows its first rows (a column_rules test returns the
    column, the rule, the number of failing rows and the smallest failing value), each value
    cut to 80 characters. Unit tests are left out: their rows are fixtures, not data. Empty
    when nothing failed or anything goes wrong here: this must never hide the failure itself."""
    try:
        results = json.loads((target_dir / "run_results.json").read_text(encoding="utf-8"))["results"]
        failed = [r for r in results
                  if r["unique_id"].startswith("test.") and r["status"] == "fail" and r.get("compiled_code")]
        if not failed:
            return []
        findings = []
        with duckdb.connect(str(database), read_only=True) as con:
            for result in failed:
                # a slow query is given up rather than holding the error message back
                timer = threading.Timer(seconds_per_test, con.interrupt)
                timer.start()
                try:
                    cursor = con.execute(result["compiled_code"])
                    columns = [d[0] for d in cursor.description]
                    rows = cursor.fetchmany(rows_per_test)
                finally:
                    timer.cancel()
                shown = "; ".join(
                    ", ".join(f"{name}={_clip(value)}" for name, value in zip(columns, row)) for row in rows
                )
                findings.append(f"{result['unique_id'].split('.')[2]}: {shown}")
        return findings
    except Exception:  # noqa: BLE001 - the caller's message stands without the findings
        return []


def _clip(value, limit: int = 80) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
