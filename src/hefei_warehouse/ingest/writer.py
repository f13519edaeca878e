"""Write seeds deterministically and all-or-nothing."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from .. import seed_manifest


def _format(frame: pd.DataFrame) -> str:
    # Fixed rules so a re-run on the same raw data gives the same bytes: LF endings,
    # shortest round-trip float text, blank for a gap, booleans as true/false.
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_bool_dtype(series):
            out[column] = series.map({True: "true", False: "false"})
        elif pd.api.types.is_float_dtype(series):
            out[column] = series.map(lambda v: "" if pd.isna(v) else _float_text(v))
    return out.to_csv(index=False, lineterminator="\n")


def _float_text(value: float) -> str:
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def write_seeds(frames: dict[str, pd.DataFrame], seeds_dir: Path) -> list[Path]:
    """Write every frame as `<name>.csv` into seeds_dir. All files are rendered first,
    then each is written to a temporary file and renamed into place, so a failure
    while rendering leaves every existing seed untouched. The seed manifest (row count and
    sha256 of every file written) is renamed into place last."""
    rendered = {name: _format(frame) for name, frame in sorted(frames.items())}
    seeds_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".ingest-", dir=seeds_dir))
    written = []
    try:
        for name, text in rendered.items():
            (staging / f"{name}.csv").write_text(text, encoding="utf-8", newline="")
        manifest = seed_manifest.render({f"{name}.csv": text.encode("utf-8") for name, text in rendered.items()})
        (staging / seed_manifest.MANIFEST_NAME).write_text(manifest, encoding="utf-8", newline="")
        for name in rendered:
            target = seeds_dir / f"{name}.csv"
            os.replace(staging / f"{name}.csv", target)
            written.append(target)
        os.replace(staging / seed_manifest.MANIFEST_NAME, seed_manifest.manifest_path(seeds_dir))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return written
