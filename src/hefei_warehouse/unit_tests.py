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
import sys
from importlib import metadata
from pathlib import Path

from . import yaml_files
from .paths import project_dir

RECORD = "unit_tests_passed.json"
PACKAGES = ("dbt-core", "dbt-adapters", "dbt-common", "dbt-duckdb", "duckdb", "agate")
# dbt's own folders when dbt_project.yml does not name them
DEFAULT_PATHS = {"model-paths": ["models"], "macro-paths": ["macros"], "test-paths": ["tests"], "seed-paths": ["seeds"]}


def _code_files(root: Path) -> list[Path]:
    """dbt_project.yml, profiles.yml, every file under the model, macro and test folders, and
    the seeds' property files (their declared column types); not the seed data, nor the seed
    manifest, which dbt never reads and every new data changes."""
    project = yaml_files.load(root / "dbt_project.yml")
    folders = {key: project.get(key) or default for key, default in DEFAULT_PATHS.items()}
    files = [root / "dbt_project.yml", root / "profiles.yml"]
    for key in ("model-paths", "macro-paths", "test-paths"):
        for folder in folders[key]:
            files += [p for p in (root / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    for folder in folders["seed-paths"]:
        files += [p for p in (root / folder).rglob("*") if p.is_file() and p.suffix in (".yml", ".yaml")]
    return sorted(set(files))


def fingerprint(root: Path | None = None) -> str | None:
    """The fingerprint of what decides the unit tests' outcome; None if any of it cannot be
    read (then the unit tests run: a broken project is dbt's to report)."""
    root = root or project_dir()
    digest = hashlib.sha256(f"python {sys.version}\n".encode())
    try:
        for name in PACKAGES:
            digest.update(f"{name}=={metadata.version(name)}\n".encode())
        for path in _code_files(root):
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    except Exception:  # noqa: BLE001 - any doubt means running the unit tests
        return None
    return digest.hexdigest()


def passed_before(target_dir: Path, code: str | None) -> dict | None:
    """The record of the build in which the unit tests passed on exactly this code, if any."""
    if code is None:
        return None
    try:
        record = json.loads((target_dir / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("fingerprint") != code:
        return None
    return record


def forget(target_dir: Path) -> None:
    """Drop the record before a run that includes the unit tests: if they fail, no earlier
    pass may let the next build leave them out."""
    (target_dir / RECORD).unlink(missing_ok=True)


def passed_in_run(target_dir: Path) -> int | None:
    """How many unit tests dbt's last run passed, if it ran and passed every unit test of its
    manifest (not, say, none of them because the environment told dbt to leave them out);
    otherwise None, and nothing is remembered: the next build runs them again."""
    try:
        manifest = json.loads((target_dir / "manifest.json").read_text(encoding="utf-8"))
        results = json.loads((target_dir / "run_results.json").read_text(encoding="utf-8"))["results"]
        defined = set(manifest["unit_tests"])
        passed = {r["unique_id"] for r in results if r["unique_id"].startswith("unit_test.") and r["status"] == "pass"}
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return len(defined) if defined and passed == defined else None


def record_pass(target_dir: Path, code: str, build_id: str, passed: int) -> None:
    """Remember that `passed` unit tests passed on this code (written whole, then renamed)."""
    partial = target_dir / (RECORD + ".partial")
    partial.write_text(json.dumps({"fingerprint": code, "build_id": build_id, "passed": passed}), encoding="utf-8")
    os.replace(partial, target_dir / RECORD)


def remember_run(target_dir: Path, code: str | None, build_id: str) -> int | None:
    """After a dbt run that included the unit tests: how many passed (None unless all did),
    remembered for this code when it could be fingerprinted. A record that cannot be written
    is only a loss of time: the next build runs the unit tests again."""
    passed = passed_in_run(target_dir)
    if passed is not None and code is not None:
        try:
            record_pass(target_dir, code, build_id, passed)
        except OSError:
            pass
    return passed
