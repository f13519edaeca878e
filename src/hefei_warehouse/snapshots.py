"""The repository's own copy of the raw files the ingest reads (`snapshots/<folder>/`).

Each folder mirrors one raw data folder: the files at the same relative paths (large text
files gzip-compressed as `<name>.gz`) and a `snapshot.yml` that describes them in the
project's words and lists the sources whose rows become `seeds/sources.csv`. The recorded
sha256 and byte count are those of the original file, so a compressed copy is checked after
decompressing: the check proves the copy equals what was taken, byte for byte.
"""

from __future__ import annotations

import gzip
import hashlib
import shutil
from dataclasses import fields
from pathlib import Path, PurePosixPath

import pandas as pd
import yaml

from . import yaml_files
from .ingest.errors import IngestError
from .ingest.model import Source
from .paths import project_dir

METADATA = "snapshot.yml"
GZIP_SUFFIX = ".gz"
# Text files above this size are stored compressed; spreadsheets are zip archives already.
COMPRESS_OVER_BYTES = 64 * 1024
COMPRESSIBLE = {".csv", ".json", ".txt", ".geojson", ".tsv"}
SOURCE_COLUMNS = [f.name for f in fields(Source)]


def snapshot_root() -> Path:
    return project_dir() / "snapshots"


def metadata_files(root: Path) -> list[Path]:
    return sorted(Path(root).glob(f"*/{METADATA}"))


def load(root: Path | None = None) -> list[dict]:
    """Every snapshot.yml under root, parsed, in folder order."""
    documents = []
    for path in metadata_files(root or snapshot_root()):
        try:
            document = yaml_files.load(path) or {}
        except yaml.YAMLError as error:
            raise IngestError(path, f"not valid YAML: {error}", expected="a snapshot.yml like the others") from None
        if document.get("folder") != path.parent.name:
            raise IngestError(path, f"folder is {document.get('folder')!r}", column="folder",
                              expected=f"the name of the folder it sits in, {path.parent.name!r}")
        document["_path"] = path
        documents.append(document)
    return documents


def sources_frame(root: Path | None = None) -> pd.DataFrame:
    """The rows of seeds/sources.csv, from every snapshot's `sources:` list."""
    rows = []
    for document in load(root):
        for number, entry in enumerate(document.get("sources") or [], start=1):
            keys = set(entry)
            if keys != set(SOURCE_COLUMNS):
                raise IngestError(document["_path"], f"source entry {number} has keys {sorted(keys)}",
                                  column="sources", expected=f"exactly {SOURCE_COLUMNS}")
            rows.append({k: "" if entry[k] is None else str(entry[k]) for k in SOURCE_COLUMNS})
    frame = pd.DataFrame(rows, columns=SOURCE_COLUMNS)
    duplicated = frame["source_id"][frame["source_id"].duplicated()].tolist()
    if duplicated:
        raise IngestError(root or snapshot_root(), f"source ids listed twice: {duplicated}",
                          expected="each source id in exactly one snapshot.yml")
    return frame.sort_values("source_id", ignore_index=True)


def stored_path(folder: Path, entry: dict) -> Path:
    return folder / entry.get("stored_as", entry["path"])


def original_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == GZIP_SUFFIX else data


def verify(root: Path | None = None) -> list[str]:
    """Problems found: a missing, changed or unlisted file. Empty when every file matches."""
    root = Path(root or snapshot_root())
    problems = []
    documents = load(root)
    if not documents:
        return [f"{root}: no snapshot folders (expected snapshots/<folder>/{METADATA})"]
    for document in documents:
        folder = document["_path"].parent
        listed = {METADATA}
        for entry in document.get("files") or []:
            path = stored_path(folder, entry)
            listed.add(str(path.relative_to(folder)))
            if not path.is_file():
                problems.append(f"{path}: missing (listed in {document['_path'].name})")
                continue
            try:
                data = original_bytes(path)
            except (OSError, EOFError, gzip.BadGzipFile) as error:
                problems.append(f"{path}: cannot be read ({error})")
                continue
            digest = hashlib.sha256(data).hexdigest()
            if digest != entry["sha256"] or len(data) != entry["bytes"]:
                problems.append(f"{path}: sha256 {digest[:12]}... and {len(data)} bytes, expected "
                                f"{entry['sha256'][:12]}... and {entry['bytes']} bytes as recorded")
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            if str(path.relative_to(folder)) not in listed:
                problems.append(f"{path}: not listed in {METADATA} (add it with `hefei-warehouse snapshot take`)")
    return problems


def take(folder_name: str, files: list[str], raw_dir: Path, root: Path | None = None) -> list[dict]:
    """Copy raw files into snapshots/<folder>/ byte for byte (compressing large text files) and
    record them in its snapshot.yml, which must exist already with the folder's description and
    sources. Returns the new `files:` entries."""
    root = Path(root or snapshot_root())
    for name in (folder_name, *files):
        parts = PurePosixPath(name).parts
        if not parts or PurePosixPath(name).is_absolute() or ".." in parts or (name == folder_name and len(parts) > 1):
            # A `..` or an absolute path would write outside the snapshot folder.
            raise IngestError(name, "not a name inside the snapshot folder",
                              expected="a folder name and file paths relative to it, without '..'")
    folder = root / folder_name
    metadata = folder / METADATA
    if not metadata.is_file():
        raise IngestError(metadata, "missing", expected="a snapshot.yml written first (see CONTRIBUTING.md)")
    entries = []
    for name in files:
        origin = Path(raw_dir) / folder_name / name
        if not origin.is_file():
            raise IngestError(origin, "file not found", expected="a file in the raw data folder")
        data = origin.read_bytes()
        entry = {"path": name}
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if len(data) > COMPRESS_OVER_BYTES and origin.suffix in COMPRESSIBLE:
            entry["stored_as"] = name + GZIP_SUFFIX
            # mtime=0 keeps the stored bytes the same on every take of the same file.
            (folder / entry["stored_as"]).write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
            target.unlink(missing_ok=True)
        else:
            shutil.copyfile(origin, target)
        entry["bytes"] = len(data)
        entry["sha256"] = hashlib.sha256(data).hexdigest()
        entries.append(entry)
    _record_files(metadata, entries)
    return entries


def _record_files(metadata: Path, entries: list[dict]) -> None:
    # Round-trip YAML keeps the hand-written comments and layout of the rest of the file.
    from ruamel.yaml import YAML

    handler = YAML()
    handler.width = 100
    document = handler.load(metadata.read_text(encoding="utf-8"))
    files = document.get("files") or []
    by_path = {entry["path"]: i for i, entry in enumerate(files)}
    for entry in entries:
        if entry["path"] in by_path:
            files[by_path[entry["path"]]] = entry
        else:
            files.append(entry)
    document["files"] = sorted(files, key=lambda e: e["path"])
    with open(metadata, "w", encoding="utf-8") as handle:
        handler.dump(document, handle)
