"""The one error type the ingest raises for bad input."""

from __future__ import annotations

from pathlib import Path


class IngestError(Exception):
    """A raw file does not look the way the ingest expects.

    The message always names the file and, where they are known, the row (as the user
    sees it: a line number for CSV, the sheet row for Excel), the column and what was
    expected instead, so the person fixing the file can go straight to the cell.
    """

    def __init__(
        self,
        file: str | Path,
        problem: str,
        *,
        row: int | None = None,
        column: str | None = None,
        expected: str | None = None,
    ) -> None:
        self.file = str(file)
        self.row = row
        self.column = column
        self.problem = problem
        self.expected = expected
        where = [self.file]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column '{column}'")
        message = f"{', '.join(where)}: {problem}"
        if expected:
            message += f" (expected {expected})"
        super().__init__(message)
