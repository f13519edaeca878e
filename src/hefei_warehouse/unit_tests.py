"""Whether a build must run dbt's unit tests again, or they already passed on this code.

A unit test runs a model on fixture rows written in its YAML; dbt casts them to the column
types of the model's inputs, which the SQL and the seeds' declared types fix. So a unit test's
outcome is decided by the project's code and configuration and by the versions of dbt, its
DuckDB adapter and DuckDB, and never by the seed data. The fingerprint below covers all of
those. A build runs the unit tests whenever the fingerprint differs from the one of the last
build in which they passed; otherwise it says which build that was and leaves them out
(dbt recommends not running unit tests in production builds at all). Every data test, contract
and seed check still runs on every build.
"""

from __future__ import annotations

import hashlib
import json
import os
from importlib import metadata
from pathlib import Path

from . import yaml_files
from .paths import project_dir

RECORD = "unit_tests_passed.json"
PACKAGES = ("dbt-core", "dbt-adapters", "dbt-common", "dbt-duckdb", "duckdb")


def _code_files(root: Path) -> list[Path]:
    """dbt_project.yml, profiles.yml, every file under the model, macro and test folders, and
    the seeds' property files (their declared column types), but not the seed data."""
    project = yaml_files.load(root / "dbt_project.yml")
    files = [root / "dbt_project.yml", root / "profiles.yml"]
    for key in ("model-paths", "macro-paths", "test-paths"):
        for folder in project.get(key, []):
            files += [p for p in (root / folder).rglob("*") if p.is_file()]
    for folder in project.get("seed-paths", []):
        files += [p for p in (root / folder).rglob("*") if p.is_file() and p.suffix != ".csv"]
    return sorted(set(files))


def fingerprint(root: Path | None = None) -> str:
    root = root or project_dir()
    digest = hashlib.sha256()
    for name in PACKAGES:
        digest.update(f"{name}=={metadata.version(name)}\n".encode())
    for path in _code_files(root):
        if "__pycache__" in path.parts:
            continue
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def passed_before(target_dir: Path, code: str) -> dict | None:
    """The record of the build in which the unit tests passed on exactly this code, if any."""
    try:
        record = json.loads((target_dir / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("fingerprint") != code:
        return None
    return record


def passed_in_run(target_dir: Path) -> int | None:
    """How many unit tests dbt's last run passed; None if any did not, or dbt's results cannot
    be read (then nothing is remembered and the next build runs them again)."""
    try:
        results = json.loads((target_dir / "run_results.json").read_text(encoding="utf-8"))["results"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    unit = [r for r in results if r["unique_id"].startswith("unit_test.")]
    if any(r["status"] != "pass" for r in unit):
        return None
    return len(unit)


def record_pass(target_dir: Path, code: str, build_id: str, passed: int) -> None:
    """Remember that `passed` unit tests passed on this code (written whole, then renamed)."""
    partial = target_dir / (RECORD + ".partial")
    partial.write_text(json.dumps({"fingerprint": code, "build_id": build_id, "passed": passed}), encoding="utf-8")
    os.replace(partial, target_dir / RECORD)
