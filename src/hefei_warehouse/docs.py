"""dbt's documentation site, generated offline as one self-contained page.

`dbt docs generate --static` writes target/static_index.html with the manifest and catalog
inlined, so it opens from disk with no server. Its scripts and styles are bundled in the
page; the only web addresses in it are ordinary links (dbt's own help pages), which
`external_assets` checks stay that way.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from .dbt_runner import DbtProcess, start_dbt

PAGE_NAME = "index.html"

# Things a browser would fetch by itself when the page opens (not links a person clicks).
_FETCHED = re.compile(
    r"""<script[^>]+src\s*=\s*["']?(https?:)?//"""
    r"""|<link[^>]+href\s*=\s*["']?(https?:)?//[^>]*>"""
    r"""|<img[^>]+src\s*=\s*["']?(https?:)?//"""
    r"""|@import\s+(url\()?["']?(https?:)?//"""
    r"""|url\(\s*["']?(https?:)?//""",
    re.IGNORECASE,
)


class DocsError(RuntimeError):
    def __init__(self, message: str, details: Path | None = None) -> None:
        super().__init__(message)
        self.details = details


def external_assets(html: str) -> list[str]:
    """Every place where the page would load something from another host."""
    return [match.group(0) for match in _FETCHED.finditer(html)]


def start(database: Path, work_dir: Path, target_dir: Path | None = None) -> DbtProcess:
    """Start generating the docs for `database`; `finish` waits for them. The docs child opens
    the database for writing (dbt's profile for the build), so nothing else may open that file
    until it has finished: the build's other steps read a copy."""
    target = target_dir or work_dir / "target"
    # --no-compile: the build has just run every model, so dbt only needs the parsed
    # manifest (lineage, descriptions, SQL as written) and the catalog; compiling all nodes
    # again would take longer than everything else in this step.
    return start_dbt(["docs", "generate", "--static", "--no-compile"], database, work_dir, quiet=True, target_dir=target)


def finish(running: DbtProcess, work_dir: Path, out_dir: Path, target_dir: Path | None = None) -> Path:
    """Wait for the docs started by `start` and copy the offline page into out_dir."""
    target = target_dir or work_dir / "target"
    result = running.wait()
    page = target / "static_index.html"
    if result.returncode != 0 or not page.is_file():
        details = work_dir / "dbt-docs-output.txt"
        details.write_text(result.stdout or "", encoding="utf-8")
        raise DocsError(f"dbt docs generate exited with {result.returncode}", details)
    fetched = external_assets(page.read_text(encoding="utf-8"))
    if fetched:
        raise DocsError(f"the docs page would load {fetched[0]!r} from the network", page)
    out_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(page, out_dir / PAGE_NAME)
    # The two JSON files let other tools (and `dbt docs serve`) read the same documentation.
    for name in ("manifest.json", "catalog.json"):
        shutil.copyfile(target / name, out_dir / name)
    return out_dir / PAGE_NAME

