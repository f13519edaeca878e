"""Readers that keep each record's row number, so every later error can point at it.

A raw file may sit in the folder as itself or, in the repository's snapshots, as a gzip copy
`<name>.gz`; every reader here accepts either, so ingest modules name the original file only.
"""

from __future__ import annotations

import gzip
import io
import re
from pathlib import Path
from typing import Iterable

import pandas as pd
from python_calamine import CalamineError

from .errors import IngestError

ROW = "_row"  # column added to every frame: the row number a person sees in the file


def require_file(path: Path) -> Path:
    """The file itself, or its compressed snapshot copy; an IngestError when neither exists."""
    path = Path(path)
    if path.is_file():
        return path
    compressed = path.with_name(path.name + ".gz")
    if compressed.is_file():
        return compressed
    raise IngestError(path, "file not found", expected="a readable file in the raw data folder")


def read_bytes(path: Path) -> bytes:
    """The original bytes of a raw file, decompressing a `.gz` snapshot copy."""
    found = require_file(path)
    if found.suffix != ".gz":
        return found.read_bytes()
    try:
        return gzip.decompress(found.read_bytes())
    except (OSError, EOFError) as error:
        raise IngestError(found, f"damaged gzip file ({error})", expected="a complete .gz copy") from None


def read_text(path: Path, encoding: str = "utf-8") -> str:
    raw = read_bytes(path)
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise IngestError(path, f"bytes not valid {encoding} at byte {exc.start}", row=line,
                          expected=f"a file saved as {encoding}") from None


def require_columns(frame: pd.DataFrame, columns: Iterable[str], file: str | Path) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise IngestError(
            file,
            f"missing column(s) {missing}",
            expected=f"header with {list(columns)}; found {[c for c in frame.columns if c != ROW]}",
        )


def read_csv(
    path: Path,
    required_columns: Iterable[str] = (),
    *,
    encoding: str = "utf-8",
    **kwargs,
) -> pd.DataFrame:
    """Read a CSV as text columns; `_row` is the file line number (header = line 1)."""
    raw = read_bytes(path)
    try:
        raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise IngestError(path, f"bytes not valid {encoding} at byte {exc.start}", row=line,
                          expected=f"a file saved as {encoding}") from None
    if not raw.strip():
        raise IngestError(path, "file is empty", expected="a header and data rows")
    try:
        frame = pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False, encoding=encoding, **kwargs)
    except pd.errors.ParserError as exc:
        raise _parser_error(path, exc) from None
    frame.insert(0, ROW, range(2, len(frame) + 2))
    require_columns(frame, required_columns, path)
    return frame


def read_excel(
    path: Path,
    sheet: str | int = 0,
    required_columns: Iterable[str] = (),
    *,
    header_row: int = 1,
) -> pd.DataFrame:
    """Read one sheet as text-like objects; `_row` is the sheet row number in Excel."""
    require_file(path)
    try:
        # calamine (compiled) reads the workbooks about five times faster than openpyxl, with the
        # same cell values: the seeds it gives are byte-identical (tests/ingest/test_pipeline.py).
        frame = pd.read_excel(path, sheet_name=sheet, header=header_row - 1, dtype=object, engine="calamine")
    except CalamineError as exc:
        # A cut-short or damaged .xlsx (a zip archive) is not recognised as a workbook.
        raise IngestError(path, f"not a readable Excel workbook ({type(exc).__name__}: {exc})",
                          expected="a complete .xlsx file; copy it again from its source") from None
    except ValueError as exc:
        raise IngestError(path, f"cannot read sheet {sheet!r}: {exc}", expected="the sheet named in PROVENANCE.md") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    frame.insert(0, ROW, range(header_row + 1, len(frame) + header_row + 1))
    require_columns(frame, required_columns, f"{path} [sheet {sheet}]")
    return frame


def _parser_error(path: Path, exc: Exception) -> IngestError:
    """pandas says e.g. 'Expected 5 fields in line 12, saw 6': keep the line as the row."""
    text = " ".join(str(exc).split())
    found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", text)
    if found:
        expected, line, saw = (int(n) for n in found.groups())
        return IngestError(path, f"{saw} fields where the header has {expected}", row=line,
                           expected="one value per header column (quote values that contain commas)")
    return IngestError(path, f"cannot parse the CSV: {text}", expected="a well-formed CSV file")


def to_number(frame: pd.DataFrame, column: str, file: str | Path, *, allow_blank: bool = True) -> pd.Series:
    """Parse a column to float. Blank cells become NaN (a gap); anything else that is
    not a number stops the ingest with the file, row and column."""
    values = frame[column]
    out = []
    for row, value in zip(frame[ROW], values):
        if value is None or (isinstance(value, float) and pd.isna(value)):
            text = ""
        else:
            text = str(value).strip().replace(",", "")
        if text in ("", "-", "--", "nan", "NaN", "None"):
            if not allow_blank:
                raise IngestError(file, "blank value", row=int(row), column=column, expected="a number")
            out.append(float("nan"))
            continue
        try:
            out.append(float(text))
        except ValueError:
            raise IngestError(file, f"non-numeric value {text!r}", row=int(row), column=column,
                              expected="a number") from None
    return pd.Series(out, index=frame.index, dtype="float64")
