"""Atomic publish and rollback of a release: the database with its exports, report and docs.

Layout beside the published path (default `warehouse/hefei.duckdb`):

    releases/<build id>/hefei.duckdb, exports/, report.html, docs/   one folder per build
    current  -> releases/<build id>       swapped with one rename of a new symlink
    previous -> releases/<older id>       what `rollback` brings back
    hefei.duckdb -> current/hefei.duckdb  stable paths readers and BI tools use
    exports, report.html, docs -> current/...

A release folder is complete before `current` points at it, so a reader sees either the old
release or the new one, never a mix; a reader that already has the old file open keeps
reading it. Releases other than current and previous are pruned. The database keeps the
published file's name, because DuckDB names the catalog after the file and the views dbt
creates refer to it.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from pathlib import Path


class PublishError(RuntimeError):
    pass


# Paths beside the published file that always point into the current release.
STABLE_LINKS = ("exports", "report.html", "docs")


def releases_dir(published: Path) -> Path:
    return published.parent / "releases"


def current_link(published: Path) -> Path:
    return published.parent / "current"


def previous_link(published: Path) -> Path:
    return published.parent / "previous"


def previous_path(published: Path) -> Path:
    """The previously published database (through the `previous` link)."""
    return previous_link(published) / published.name


def current_release(published: Path) -> Path | None:
    """The folder of the release readers currently see, or None before the first publish."""
    link = current_link(published)
    return link.resolve() if link.is_symlink() and link.resolve().is_dir() else None


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(folder: Path) -> None:
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
    for path in sorted((p for p in folder.rglob("*") if p.is_dir()), reverse=True):
        _fsync_dir(path)
    _fsync_dir(folder)


def _point(link: Path, target: str) -> None:
    """Make `link` a symlink to `target` in one atomic step (replacing whatever was there)."""
    if link.is_symlink() and os.readlink(link) == target:
        return
    temporary = link.with_name(f".{link.name}.{uuid.uuid4().hex[:8]}.new")
    os.symlink(target, temporary)
    os.replace(temporary, link)


def _adopt_legacy_layout(published: Path) -> None:
    """Turn a plain published file (and a plain previous/ folder) into releases.

    Older builds, and copies made by hand, publish a regular file. A hard link moves it into
    a release folder without a moment in which the published path is missing."""
    releases = releases_dir(published)
    previous = previous_link(published)
    if previous.is_dir() and not previous.is_symlink():
        target = releases / f"legacy-previous-{_stamp()}"
        releases.mkdir(parents=True, exist_ok=True)
        os.replace(previous, target)
        _point(previous, os.path.relpath(target, published.parent))
    if published.is_file() and not published.is_symlink():
        target = releases / f"legacy-{_stamp()}"
        target.mkdir(parents=True)
        os.link(published, target / published.name)
        _fsync_dir(target)
        _point(current_link(published), os.path.relpath(target, published.parent))
        _point(published, os.path.join("current", published.name))


def _stamp() -> str:
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + "-" + uuid.uuid4().hex[:6]


def _point_stable_links(published: Path, release: Path) -> None:
    _point(published, os.path.join("current", published.name))
    for name in STABLE_LINKS:
        link = published.parent / name
        if (release / name).exists():
            _point(link, os.path.join("current", name))
        elif link.is_symlink():
            link.unlink()  # this release has no such part; a dangling link would mislead


def publish_release(release: Path, published: Path, build_id: str) -> Path:
    """Move a complete release folder into releases/ and make it current in one step.

    `release` must hold `<published.name>`; it may hold exports/, report.html and docs/.
    Returns the release's final folder."""
    database = release / published.name
    if not database.is_file():
        raise PublishError(f"nothing to publish: {database} does not exist")
    published.parent.mkdir(parents=True, exist_ok=True)
    _adopt_legacy_layout(published)
    releases = releases_dir(published)
    releases.mkdir(parents=True, exist_ok=True)
    final = releases / build_id
    if final.exists():
        raise PublishError(f"release {build_id} already exists in {releases}")
    _fsync_tree(release)
    os.replace(release, final)
    _fsync_dir(releases)

    old = current_release(published)
    if old is not None:
        _point(previous_link(published), os.path.relpath(old, published.parent))
    _point(current_link(published), os.path.relpath(final, published.parent))
    _point_stable_links(published, final)
    _fsync_dir(published.parent)
    prune(published)
    return final


def publish(new_file: Path, published: Path) -> None:
    """Publish a single database file (a release with no exports, report or docs)."""
    if not new_file.is_file():
        raise PublishError(f"nothing to publish: {new_file} does not exist")
    build_id = _stamp()
    staging = releases_dir(published) / f".{build_id}.incoming"
    staging.mkdir(parents=True)
    os.replace(new_file, staging / published.name)
    publish_release(staging, published, build_id)


def rollback(published: Path) -> None:
    """Swap the current and previous releases (running it twice rolls forward)."""
    _adopt_legacy_layout(published)
    previous = previous_link(published)
    if not (previous.is_symlink() and (previous.resolve() / published.name).is_file()):
        raise PublishError(f"no previous version to roll back to ({previous_path(published)} does not exist)")
    older = os.readlink(previous)
    newer = os.readlink(current_link(published)) if current_link(published).is_symlink() else None
    _point(current_link(published), older)
    _point_stable_links(published, previous.resolve())
    if newer is not None:
        _point(previous, newer)
    _fsync_dir(published.parent)


def prune(published: Path) -> list[Path]:
    """Delete releases that are neither current nor previous; return what was removed.

    A reader that still has a pruned file open keeps reading it (the file lives until closed)."""
    releases = releases_dir(published)
    keep = {p.resolve() for p in (current_link(published), previous_link(published)) if p.is_symlink()}
    removed = []
    for folder in sorted(releases.iterdir()) if releases.is_dir() else []:
        if folder.resolve() not in keep and not folder.name.startswith("."):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed
