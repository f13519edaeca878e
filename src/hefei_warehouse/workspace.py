"""A throw-away copy of the dbt project, for trying things without touching the real one.

The tests break seeds in such copies and the benchmarks swap in synthetic seeds; point the
build at a copy with HEFEI_PROJECT_DIR.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from .paths import project_dir

# Everything dbt and the build read; the Python package itself is not copied.
PROJECT_PARTS = ("dbt_project.yml", "profiles.yml", "models", "seeds", "macros", "analyses", "tests/dbt", "quality")


def copy_project(target: Path, source: Path | None = None) -> Path:
    """Copy the project's dbt parts into target (emptied first) and return it."""
    source = source or project_dir()
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for part in PROJECT_PARTS:
        origin = source / part
        if not origin.exists():
            continue
        destination = target / part
        destination.parent.mkdir(parents=True, exist_ok=True)
        if origin.is_dir():
            shutil.copytree(origin, destination, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(origin, destination)
    return target
