"""Atomic publish and rollback of a release: the database with its exports, report and docs.

Layout beside the published path (default `warehouse/hefei.duckdb`):

    releases/<build id>/hefei.duckdb, exports/, report.html, docs/   one folder per build
    releases/<build id>/previous -> ../<older id>   the release it replaced (absent for the first)
    current  -> releases/<build id>       the one pointer a publish or rollback switches
    previous -> current/previous          what `rollback` brings back
    hefei.duckdb -> current/hefei.duckdb  stable paths readers and BI tools use
    exports, report.html, docs -> current/...

Publishing switches exactly one pointer, `current`, with one rename of a new symlink; the
release's own `previous` link is written before that switch. So a process killed at any
instruction leaves `current` at a complete release and `previous` at a different complete
release (or at none), never both at the same one. A reader sees either the old release or
the new one, never a mix; a reader that already has the old file open keeps reading it.
Releases other than current and previous are pruned. Published files are read-only, so a
client that forgets to open the database read-only cannot change the live release. The
database keeps the published file's name, because DuckDB names the catalog after the file
and the views dbt creates refer to it.
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
import shutil
import stat
import time
import uuid
from contextlib import contextmanager
from pathlib import Path


class PublishError(RuntimeError):
    pass


class Busy(PublishError):
    """Another build or rollback holds the warehouse lock."""


class NotAWarehouseFolder(PublishError):
    """The warehouse path's folder holds files or folders this tool did not make."""


# Paths beside the published file that always point into the current release.
STABLE_LINKS = ("exports", "report.html", "docs")
PREVIOUS = "previous"  # inside a release: a link to the release it replaced


def releases_dir(published: Path) -> Path:
    return published.parent / "releases"


def current_link(published: Path) -> Path:
    return published.parent / "current"


def previous_link(published: Path) -> Path:
    return published.parent / "previous"


def previous_path(published: Path) -> Path:
    """The previously published database (through the `previous` link)."""
    return previous_link(published) / published.name


def lock_path(published: Path) -> Path:
    return published.parent / ".build.lock"


def current_release(published: Path) -> Path | None:
    """The folder of the release readers currently see, or None before the first publish."""
    link = current_link(published)
    return link.resolve() if link.is_symlink() and link.resolve().is_dir() else None


def previous_release(published: Path) -> Path | None:
    """The complete release `rollback` would bring back, or None."""
    current = current_release(published)
    if current is None:
        return None
    link = current / PREVIOUS
    if not link.is_symlink():
        return None
    older = link.resolve()
    if older == current or not (older / published.name).is_file():
        return None
    return older


@contextmanager
def exclusive_lock(published: Path, *, on_busy=None):
    """Hold the warehouse lock (one build or rollback at a time).

    The lock is an flock on an open file, so the kernel drops it when the holder dies
    however it dies; it can never outlive its owner. The holder's pid is written into
    the file so a refused caller can say who holds it."""
    published.parent.mkdir(parents=True, exist_ok=True)
    path = lock_path(published)
    with open(path, "a+", encoding="utf-8") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            holder = lock.read().strip()
            if on_busy is not None:
                on_busy(holder)
            raise Busy(f"another build or rollback is running ({holder or 'pid unknown'}; lock {path}); "
                       "wait for it to finish and try again") from None
        lock.seek(0)
        lock.truncate()
        lock.write(f"pid {os.getpid()} since {time.strftime('%Y-%m-%d %H:%M:%S', time.gmtime())} UTC")
        lock.flush()
        yield


def new_build_id() -> str:
    """A build's id, which names its release, its validation report and its build folder:
    the UTC time to the second and six random hex digits, so ids sort by time."""
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + "-" + uuid.uuid4().hex[:6]


# The names new_build_id makes; with the releases an older layout was moved into, they are
# the names of releases, validation reports and build folders.
_BUILD_ID = r"\d{8}T\d{6}Z-[0-9a-f]{6}"
_RELEASE_NAME = re.compile(rf"(legacy-(previous-)?)?{_BUILD_ID}")
# What a build may find beside the published file, and what it may find inside: a name
# there that does not fit would be replaced, moved or deleted by a build.
_OWN_FOLDERS = {"releases": _RELEASE_NAME, "reports": re.compile(_BUILD_ID),
                ".build": re.compile(rf"database|{_BUILD_ID}")}


def check_folder(published: Path) -> None:
    """Refuse a warehouse path whose folder holds anything a build would replace or delete
    that this tool did not make: a user's own database file at the path, a file or folder
    named like a link the warehouse keeps there (exports, docs, report.html, current,
    previous), or entries of the user's in the folders it prunes (releases, reports, .build).
    Nothing is written before this passes. A warehouse published by an older version (a
    plain database file with the warehouse's tables, a previous/ folder holding one) is
    taken over as before."""
    folder = published.parent
    problems = []
    if published.is_dir():
        problems.append(f"{published} is a folder; --warehouse names the database file, e.g. {published / 'hefei.duckdb'}")
    elif published.exists() and not published.is_symlink() and not _is_warehouse_file(published):
        problems.append(f"{published} is a file this tool did not publish (no warehouse tables in it)")
    for name in (*STABLE_LINKS, "current"):
        path = folder / name
        if path.exists() and not path.is_symlink():
            problems.append(f"{path} is a {'folder' if path.is_dir() else 'file'} of its own, where the warehouse keeps a link")
    previous = previous_link(folder / published.name)
    if previous.exists() and not previous.is_symlink() and not (previous / published.name).is_file():
        problems.append(f"{previous} is not the previous warehouse of an older version")
    for name, pattern in _OWN_FOLDERS.items():
        path = folder / name
        if path.is_symlink() or not path.exists():
            continue
        if not path.is_dir():
            problems.append(f"{path} is a file, where the warehouse keeps a folder")
            continue
        strangers = sorted(entry.name for entry in path.iterdir()
                           if not entry.name.startswith(".") and not pattern.fullmatch(entry.name))
        if strangers:
            problems.append(f"{path} holds {', '.join(strangers[:3])}{' ...' if len(strangers) > 3 else ''}, "
                            "which this tool did not make (it removes what it does not keep there)")
    if problems:
        raise NotAWarehouseFolder(f"{folder} is not a warehouse folder this tool can use: " + "; ".join(problems)
                                  + "; choose another --warehouse path or move these away")


def _is_warehouse_file(path: Path) -> bool:
    """A database this tool published: its build history, or the city dimension every
    version has had."""
    import duckdb

    try:
        with duckdb.connect(str(path), read_only=True) as con:
            found = con.execute(
                "select count(*) from information_schema.tables where (table_schema, table_name) in "
                "(('meta', 'build_history'), ('marts', 'dim_city'))").fetchone()[0]
    except duckdb.Error:
        return False
    return found > 0


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
    for path in sorted((p for p in folder.rglob("*") if p.is_dir() and not p.is_symlink()), reverse=True):
        _fsync_dir(path)
    _fsync_dir(folder)


def _make_read_only(folder: Path) -> None:
    """Clear the write bits of every file in a release (folders stay writable by the owner,
    so pruning can still remove the release)."""
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            mode = stat.S_IMODE(path.stat().st_mode)
            path.chmod(mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


def _temporary_link_name(link: Path) -> Path:
    return link.with_name(f".{link.name}.new")


def _point(link: Path, target: str) -> None:
    """Make `link` a symlink to `target` in one atomic step (replacing whatever was there).

    The temporary link has a fixed name, so a process killed between its two steps leaves
    at most one stray link per pointer, which the next call (or `clear_stray_links`) removes."""
    if link.is_symlink() and os.readlink(link) == target:
        return
    temporary = _temporary_link_name(link)
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    os.symlink(target, temporary)
    os.replace(temporary, link)


def clear_stray_links(published: Path) -> None:
    """Remove temporary links a killed publish or rollback left (call with the lock held)."""
    folders = [published.parent]
    if releases_dir(published).is_dir():
        folders += [p for p in releases_dir(published).iterdir() if p.is_dir() and not p.is_symlink()]
    for folder in folders:
        for path in folder.glob(".*.new"):
            if path.is_symlink():
                path.unlink()
    # Old layouts named temporary links `.<name>.<random>.new`; the glob above covers them.


def _adopt_older_layouts(published: Path) -> None:
    """Bring a warehouse published by an older version into this layout.

    - a plain published file (and a plain previous/ folder): moved into releases with a
      hard link, so the published path is never missing;
    - a top-level `previous` link straight into releases/: recorded as the current
      release's own `previous` link, then pointed through `current`."""
    releases = releases_dir(published)
    previous = previous_link(published)
    legacy_previous = None
    if previous.is_dir() and not previous.is_symlink():
        legacy_previous = releases / f"legacy-previous-{new_build_id()}"
        releases.mkdir(parents=True, exist_ok=True)
        os.replace(previous, legacy_previous)
    if published.is_file() and not published.is_symlink():
        target = releases / f"legacy-{new_build_id()}"
        target.mkdir(parents=True)
        os.link(published, target / published.name)
        if legacy_previous is not None:
            os.symlink(os.path.join("..", legacy_previous.name), target / PREVIOUS)
        _fsync_dir(target)
        _point(current_link(published), os.path.relpath(target, published.parent))
        _point(published, os.path.join("current", published.name))
    current = current_release(published)
    if previous.is_symlink() and os.readlink(previous) != os.path.join("current", PREVIOUS):
        older = previous.resolve()
        if current is not None and not (current / PREVIOUS).is_symlink() and older != current and older.is_dir():
            _point(current / PREVIOUS, os.path.join("..", older.name))
    if current is not None:
        _point(previous, os.path.join("current", PREVIOUS))


def _point_stable_links(published: Path) -> None:
    """The links beside the published file; they all go through `current`, so they never
    change when a release is published: only missing or superfluous ones are fixed."""
    release = current_release(published)
    _point(published, os.path.join("current", published.name))
    _point(previous_link(published), os.path.join("current", PREVIOUS))
    for name in STABLE_LINKS:
        link = published.parent / name
        if release is not None and (release / name).exists():
            _point(link, os.path.join("current", name))
        elif link.is_symlink():
            link.unlink()  # this release has no such part; a dangling link would mislead


def publish_release(release: Path, published: Path, build_id: str) -> Path:
    """Move a complete release folder into releases/ and make it current in one step.

    `release` must hold `<published.name>`; it may hold exports/, report.html and docs/.
    The caller holds `exclusive_lock(published)`. Returns the release's final folder."""
    database = release / published.name
    if not database.is_file():
        raise PublishError(f"nothing to publish: {database} does not exist")
    published.parent.mkdir(parents=True, exist_ok=True)
    clear_stray_links(published)
    _adopt_older_layouts(published)
    releases = releases_dir(published)
    releases.mkdir(parents=True, exist_ok=True)
    final = releases / build_id
    if final.exists():
        raise PublishError(f"release {build_id} already exists in {releases}")
    old = current_release(published)
    if old is not None:
        link = release / PREVIOUS
        if link.is_symlink():
            link.unlink()
        os.symlink(os.path.join("..", old.name), link)
    _make_read_only(release)
    _fsync_tree(release)
    os.replace(release, final)
    _fsync_dir(releases)

    _point(current_link(published), os.path.relpath(final, published.parent))  # the switch
    _point_stable_links(published)
    _fsync_dir(published.parent)
    prune(published)
    return final


def publish(new_file: Path, published: Path) -> None:
    """Publish a single database file (a release with no exports, report or docs)."""
    if not new_file.is_file():
        raise PublishError(f"nothing to publish: {new_file} does not exist")
    build_id = new_build_id()
    staging = releases_dir(published) / f".{build_id}.incoming"
    staging.mkdir(parents=True)
    os.replace(new_file, staging / published.name)
    publish_release(staging, published, build_id)


def rollback(published: Path) -> Path:
    """Make the previous release current, and the current one its previous (so running it
    twice rolls forward). Returns the release now current."""
    try:
        with exclusive_lock(published):
            clear_stray_links(published)
            _adopt_older_layouts(published)
            newer = current_release(published)
            older = previous_release(published)
            if newer is None or older is None:
                raise PublishError(f"no previous version to roll back to ({previous_path(published)} does not exist)")
            # The older release is not visible to readers yet: give it its new `previous`
            # link first, then switch the one pointer.
            _point(older / PREVIOUS, os.path.join("..", newer.name))
            _point(current_link(published), os.path.relpath(older, published.parent))
            _point_stable_links(published)
            _fsync_dir(published.parent)
            return older
    except OSError as error:
        raise PublishError(f"rollback failed, nothing changed: {describe_os_error(error)}") from None


def prune(published: Path) -> list[Path]:
    """Delete releases that are neither current nor previous; return what was removed.

    A reader that still has a pruned file open keeps reading it (the file lives until closed)."""
    releases = releases_dir(published)
    current = current_release(published)
    if current is None:
        return []
    keep = {current, previous_release(published)}
    removed = []
    for folder in sorted(releases.iterdir()) if releases.is_dir() else []:
        if folder.resolve() not in keep and not folder.name.startswith("."):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def describe_os_error(error: OSError, option: str = "--warehouse") -> str:
    """One line for a failure of the machine rather than of the data, with what to do;
    `option` is the command-line option that chose the path that failed."""
    where = f" ({error.filename})" if error.filename else ""
    advice = {
        errno.ENOSPC: "the disk is full; free some space and run the build again",
        errno.EDQUOT: "the disk quota is used up; free some space and run the build again",
        errno.EROFS: f"the file system is read-only; point {option} at a writable folder",
        errno.EACCES: "permission denied; check who owns the warehouse folder",
        errno.EPERM: "operation not permitted; check who owns the warehouse folder",
        errno.EEXIST: "a file is in the way of a folder the warehouse needs",
        errno.ENOTDIR: f"a part of the path is a file, not a folder; choose another {option} path",
    }.get(error.errno, error.strerror or str(error))
    if error.errno is None:
        return f"{error}: {advice}"
    return f"[Errno {error.errno}] {error.strerror}{where}: {advice}"
