"""Where things live. Every location can be moved with an environment variable."""

from __future__ import annotations

import os
from pathlib import Path


def project_dir() -> Path:
    """The repository root (the folder holding dbt_project.yml)."""
    configured = os.environ.get("HEFEI_PROJECT_DIR")
    if configured:
        return Path(configured).resolve()
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "dbt_project.yml").is_file():
            return parent
    raise RuntimeError("cannot find dbt_project.yml above the package; set HEFEI_PROJECT_DIR")


def published_path() -> Path:
    """The DuckDB file readers open (HEFEI_WAREHOUSE_PATH, default warehouse/hefei.duckdb)."""
    configured = os.environ.get("HEFEI_WAREHOUSE_PATH")
    if configured:
        # Absolute but not resolved: the published path is a symlink into the current release.
        return Path(os.path.abspath(configured))
    return project_dir() / "warehouse" / "hefei.duckdb"


def default_raw_dir() -> Path:
    """The raw files the ingest reads: the repository's own snapshots (HEFEI_RAW_DIR overrides)."""
    configured = os.environ.get("HEFEI_RAW_DIR")
    if configured:
        return Path(configured).resolve()
    return project_dir() / "snapshots"


def seeds_dir() -> Path:
    return project_dir() / "seeds"


def inside_warehouse(target: Path, published: Path) -> bool:
    """Whether writing to target would write into the published warehouse: its folder, its
    releases, or through one of its links (links are followed, as a write would follow them)."""
    folder = Path(os.path.realpath(published.parent))
    where = Path(os.path.realpath(target))
    return where == folder or folder in where.parents
