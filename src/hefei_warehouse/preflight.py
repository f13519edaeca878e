"""Check every seed file against its declared column types before dbt loads it.

dbt's own loader would also reject a bad file, but with a message that rarely says where
the problem is. Here every problem names the file, the line, the column and the rule.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path

from . import seed_manifest, yaml_files


@dataclass(frozen=True)
class SeedProblem:
    file: str
    row: int | None     # line number in the file (header = 1)
    column: str | None
    rule: str
    detail: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.rule}: {self.detail}"


class SeedCheckFailed(RuntimeError):
    def __init__(self, problems: list[SeedProblem]) -> None:
        self.problems = problems
        more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{problems[0]}{more}")


def declared_column_types(seeds_dir: Path) -> dict[str, dict[str, str]]:
    """seed name -> {column: type} from the `column_types` in the seeds' YAML files."""
    declared: dict[str, dict[str, str]] = {}
    for path in sorted(seeds_dir.glob("*.yml")):
        document = yaml_files.load(path) or {}
        for seed in document.get("seeds", []):
            types = (seed.get("config") or {}).get("column_types") or {}
            declared[seed["name"]] = {column: str(kind).lower() for column, kind in types.items()}
    return declared


# ASCII digits only, as DuckDB's CSV reader and pandas read them: Python's int() and float()
# would also take full-width digits (１２) and underscores (1_000), which the loaders turn
# into blanks or reject late without naming the row.
_INTEGER = re.compile(r"^[+-]?[0-9]+$")
_NUMBER = re.compile(r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def type_family(kind: str) -> str | None:
    """integer, number, boolean or date for a declared column type; None for text."""
    if kind in ("integer", "bigint", "int", "smallint"):
        return "integer"
    if kind in ("double", "float", "real") or kind.startswith("decimal"):
        return "number"
    return kind if kind in ("boolean", "date") else None


def _value_problem(kind: str, text: str) -> str | None:
    """None if text is a valid value of the declared type (blank is a gap, always allowed)."""
    family = type_family(kind)
    if text == "" or family is None:
        return None
    if family == "integer":
        return None if _INTEGER.match(text) else "not a whole number (ASCII digits 0-9)"
    if family == "number":
        if not _NUMBER.match(text):
            return "not a number (ASCII digits 0-9, one '.', optional exponent)"
        return None if math.isfinite(float(text)) else "not a finite number"
    if family == "boolean":
        return None if text.lower() in ("true", "false") else "not true/false"
    return None if _DATE.match(text) else "not a date (YYYY-MM-DD)"


# A whole column joined with newlines, blanks allowed: one regular-expression match per
# column instead of one Python call per cell (the seeds hold about 1.4 million cells).
# Atomic groups and a possessive loop keep a failed match linear: without them the engine
# would retry every way of splitting the digits of every earlier value.
_COLUMN = {
    family: re.compile(rf"(?>(?:{value}))?(?:\n(?>(?:{value}))?)*+", flags)
    for family, value, flags in (
        ("integer", _INTEGER.pattern[1:-1], 0),
        ("number", _NUMBER.pattern[1:-1], 0),
        ("boolean", "true|false", re.IGNORECASE | re.ASCII),
        ("date", _DATE.pattern[1:-1], 0),
    )
}


def _all_values_clean(rows: list[list[str]], kinds: list[str]) -> bool:
    """True when every row is complete and every value has its declared type. False means
    "look row by row", which finds and names each problem."""
    width = len(kinds)
    if any(len(row) != width for row in rows):
        return False
    for index, kind in enumerate(kinds):
        family = type_family(kind)
        if family is None:
            continue
        joined = "\n".join(row[index] for row in rows)
        if joined.count("\n") != len(rows) - 1 or not _COLUMN[family].fullmatch(joined):
            return False
        if family == "number" and ("e" in joined or "E" in joined):
            # an exponent can overflow to infinity; check those values one by one
            if any(_value_problem(kind, row[index]) for row in rows):
                return False
    return True


def check_seed_file(path: Path, column_types: dict[str, str]) -> list[SeedProblem]:
    name = path.name
    raw = path.read_bytes()
    if not raw.strip():
        return [SeedProblem(name, None, None, "not empty", "the file has no header and no rows")]
    if raw.startswith(b"\xef\xbb\xbf"):
        return [SeedProblem(name, 1, None, "UTF-8 without BOM",
                            "the file starts with a byte order mark (BOM, bytes EF BB BF), which would become part "
                            "of the first column's name; save it as UTF-8 without BOM")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return [SeedProblem(name, line, None, "UTF-8 encoding",
                            f"byte {error.start} is not UTF-8 (saved as GB18030/GBK?); save the file as UTF-8")]
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    problems: list[SeedProblem] = []
    missing = [c for c in column_types if c not in header]
    extra = [c for c in header if c not in column_types]
    if missing or extra:
        problems.append(SeedProblem(name, 1, None, "header matches declared columns",
                                    f"missing {missing}, undeclared {extra}"))
        return problems
    if len(rows) == 1:
        problems.append(SeedProblem(name, None, None, "not empty", "the file has a header but no rows"))
        return problems
    kinds = [column_types[c] for c in header]
    clean = _all_values_clean(rows[1:], kinds)
    for number, row in enumerate([] if clean else rows[1:], start=2):
        if len(row) != len(header):
            problems.append(SeedProblem(name, number, None, "complete row",
                                        f"{len(row)} fields where the header has {len(header)} (truncated or extra commas?)"))
            continue
        for column, kind, value in zip(header, kinds, row):
            issue = _value_problem(kind, value)
            if issue:
                problems.append(SeedProblem(name, number, column, f"type {kind}", f"{value!r} is {issue}"))
        if len(problems) >= 50:
            break
    if not text.endswith("\n"):
        problems.append(SeedProblem(name, len(rows), None, "complete last line",
                                    "the file does not end with a newline (cut off while saving?)"))
    return problems


def check_seeds(seeds_dir: Path) -> list[SeedProblem]:
    """All problems across the seed folder (empty list = the files are well-formed)."""
    declared = declared_column_types(seeds_dir)
    problems: list[SeedProblem] = []
    for path in sorted(seeds_dir.glob("*.csv")):
        seed = path.stem
        if seed not in declared:
            problems.append(SeedProblem(path.name, None, None, "declared column types",
                                        f"no column_types for seed '{seed}' in seeds/*.yml"))
            continue
        problems.extend(check_seed_file(path, declared[seed]))
    return problems


def check_manifest(seeds_dir: Path) -> list[SeedProblem]:
    """Compare the generated seeds with seeds/seed_manifest.json (row count and sha256).

    Run after the type check and the seed suites, which name a bad row more precisely; this
    catches what they cannot see, such as a file cut short at a line end."""
    name = seed_manifest.MANIFEST_NAME
    redo = "the seeds are generated: re-create them with `hefei-warehouse ingest` (or restore them from git)"
    try:
        expected = seed_manifest.read(seeds_dir)
    except ValueError as error:
        return [SeedProblem(name, None, None, "readable seed manifest", f"{error}; {redo}")]
    if expected is None:
        return [SeedProblem(name, None, None, "seed manifest present", f"seeds/{name} is missing; {redo}")]
    problems = []
    for seed, wanted in sorted(expected.items()):
        path = seeds_dir / seed
        if not path.is_file():
            problems.append(SeedProblem(seed, None, None, "listed in the seed manifest", f"the file is missing; {redo}"))
            continue
        raw = path.read_bytes()
        checksum = seed_manifest.sha256(raw)
        if checksum == wanted["sha256"]:
            continue  # the very bytes the ingest wrote, so its row count too: no need to count
        rows = seed_manifest.data_rows(raw.decode("utf-8", errors="replace"))
        if rows != wanted["rows"]:
            fewer = "fewer (cut short?)" if rows < wanted["rows"] else "more"
            problems.append(SeedProblem(seed, None, None, "row count in the seed manifest",
                                        f"{rows:,} data rows, {abs(wanted['rows'] - rows):,} {fewer} "
                                        f"than the {wanted['rows']:,} in seeds/{name}; {redo}"))
        else:
            problems.append(SeedProblem(seed, None, None, "checksum in the seed manifest",
                                        f"sha256 {checksum[:12]}... differs from {wanted['sha256'][:12]}... "
                                        f"in seeds/{name} (edited by hand?); {redo}"))
    return problems
