"""The seed manifest: what every generated seed must contain, written by the ingest.

`seeds/seed_manifest.json` lists, for each seed CSV the ingest wrote, its number of data rows
and the sha256 of its bytes. The build's seed check compares the files with it, so a seed cut
short, edited by hand or half-copied is named and stopped instead of published. Seeds kept by
hand (not written by the ingest) are not listed and are checked by their types and suites only.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

MANIFEST_NAME = "seed_manifest.json"


def manifest_path(seeds_dir: Path) -> Path:
    return seeds_dir / MANIFEST_NAME


def data_rows(text: str) -> int:
    """Rows below the header, as a CSV reader counts them (a quoted line break is one row)."""
    return max(sum(1 for _ in csv.reader(io.StringIO(text))) - 1, 0)


def sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def entry(raw: bytes) -> dict:
    return {"rows": data_rows(raw.decode("utf-8", errors="replace")), "sha256": sha256(raw)}


def render(files: dict[str, bytes]) -> str:
    """The manifest text for seed file name -> bytes (sorted, so the same seeds give the same text)."""
    document = {
        "about": "Written by `hefei-warehouse ingest`; checked by every build. Regenerate the seeds "
                 "with the ingest instead of editing this file or the seeds it lists.",
        "seeds": {name: entry(raw) for name, raw in sorted(files.items())},
    }
    return json.dumps(document, indent=1, sort_keys=True) + "\n"


def read(seeds_dir: Path) -> dict[str, dict] | None:
    """seed file name -> {rows, sha256}, or None when there is no manifest. A ValueError when
    it cannot be read or an entry lacks a whole row count or a sha256: a seed whose checksum
    matches is passed on that alone, so every entry must carry both."""
    path = manifest_path(seeds_dir)
    if not path.is_file():
        return None
    document = json.loads(path.read_text(encoding="utf-8"))
    seeds = document.get("seeds") if isinstance(document, dict) else None
    if not isinstance(seeds, dict):
        raise ValueError("no 'seeds' object")
    malformed = sorted(str(name) for name, wanted in seeds.items()
                       if not (isinstance(wanted, dict) and type(wanted.get("rows")) is int
                               and isinstance(wanted.get("sha256"), str)))
    if malformed:
        raise ValueError(f"entries without a whole row count and a sha256: {', '.join(malformed)}")
    return seeds


def differing(seeds_dir: Path, checksums: dict[str, str]) -> list[str]:
    """The listed seed files whose sha256 (from `checksums`, file name -> sha256) is not the one
    the manifest records, or the manifest's own name when it is missing or unreadable. Each of
    these fails the build's manifest check, so a non-empty answer means the seed checks cannot
    pass as the files stand."""
    try:
        expected = read(seeds_dir)
    except ValueError:
        return [MANIFEST_NAME]
    if expected is None:
        return [MANIFEST_NAME]
    return sorted(name for name, wanted in expected.items() if checksums.get(name) != wanted["sha256"])
