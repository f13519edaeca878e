"""Build history: an append-only log beside the warehouse, copied into every published file.

Failed builds cannot write into the published file (it must stay untouched), so every
build, whatever its outcome, appends JSON lines to `build_history.jsonl`: one with status
`started` when it begins and one with its outcome when it ends (`published`, `failed`, or
`refused` when another build held the lock). A build killed before it could write its outcome
is found by the next build (a `started` line with no outcome) and recorded as `killed`. The
last line of a build wins. A build that passes loads the whole log into `meta.build_history`
before it is published.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import duckdb

from .paths import project_dir, seeds_dir


def log_path(published: Path) -> Path:
    return published.parent / "build_history.jsonl"


def git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=project_dir(), capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.stdout.strip() or None


def seed_checksums() -> dict[str, str]:
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(seeds_dir().glob("*.csv"))
    }


def append(published: Path, record: dict) -> None:
    with open(log_path(published), "a", encoding="utf-8") as log:
        log.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")


def try_append(published: Path, record: dict) -> str | None:
    """Append if the machine allows it; return why not otherwise (a full or read-only disk
    must not hide the failure the record describes)."""
    try:
        append(published, record)
    except OSError as error:
        return error.strerror or str(error)
    return None


def unfinished(records: list[dict]) -> list[dict]:
    """Builds whose last line says `started`: they ended without writing an outcome."""
    last: dict[str, dict] = {}
    for record in records:
        last[record["build_id"]] = record
    return [r for r in last.values() if r.get("status") == "started"]


def read(published: Path) -> list[dict]:
    path = log_path(published)
    if not path.exists():
        return []
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError:
                continue  # a line cut short by a killed build; the rest of the log is fine
    return records


def write_table(database: Path, records: list[dict]) -> None:
    """(Re)create meta.build_history in the database from the given records."""
    with duckdb.connect(str(database)) as con:
        con.execute("create schema if not exists meta")
        con.execute(
            """
            create or replace table meta.build_history (
                build_id varchar primary key,
                started_at timestamp,
                finished_at timestamp,
                status varchar,
                failed_step varchar,
                message varchar,
                git_commit varchar,
                seed_checksums json,
                row_counts json,
                validation_summary json,
                unit_tests varchar
            )
            """
        )
        for r in records:
            con.execute(
                "insert or replace into meta.build_history values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    r["build_id"], r["started_at"], r.get("finished_at"), r["status"],
                    r.get("failed_step"), r.get("message"), r.get("git_commit"),
                    json.dumps(r.get("seed_checksums", {}), sort_keys=True),
                    json.dumps(r.get("row_counts", {}), sort_keys=True),
                    json.dumps(r.get("validation_summary", {}), sort_keys=True),
                    r.get("unit_tests"),
                ],
            )
        con.execute("comment on table meta.build_history is 'One row per build attempt: when, from which commit and seeds, what it produced, and whether it was published.'")
