"""Atomic publish and rollback of the warehouse file.

Readers open the published path read-only. A new build is written elsewhere and moved
into place with one rename, so a reader sees either the old file or the new one, never a
half-written one; a reader that already has the old file open keeps reading it.
The version that was replaced stays in `previous/` so one command can bring it back.
"""

from __future__ import annotations

import os
from pathlib import Path


class PublishError(RuntimeError):
    pass


def previous_path(published: Path) -> Path:
    return published.parent / "previous" / published.name


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _keep_as_previous(published: Path) -> None:
    # A hard link keeps the current file reachable as "previous" without a moment in
    # which the published path is missing.
    previous = previous_path(published)
    previous.parent.mkdir(parents=True, exist_ok=True)
    link = previous.with_name(previous.name + ".linking")
    link.unlink(missing_ok=True)
    os.link(published, link)
    os.replace(link, previous)


def publish(new_file: Path, published: Path) -> None:
    """Move new_file to the published path in one atomic step."""
    if not new_file.is_file():
        raise PublishError(f"nothing to publish: {new_file} does not exist")
    published.parent.mkdir(parents=True, exist_ok=True)
    with open(new_file, "rb") as handle:
        os.fsync(handle.fileno())
    if published.exists():
        _keep_as_previous(published)
    os.replace(new_file, published)
    _fsync_dir(published.parent)


def rollback(published: Path) -> None:
    """Swap the published file with the previous one (running it twice rolls forward)."""
    previous = previous_path(published)
    if not previous.is_file():
        raise PublishError(f"no previous version to roll back to ({previous} does not exist)")
    if not published.is_file():
        os.replace(previous, published)
        return
    swap = published.with_name(published.name + ".rollback")
    swap.unlink(missing_ok=True)
    os.link(published, swap)
    os.replace(previous, published)
    os.replace(swap, previous)
    _fsync_dir(published.parent)
