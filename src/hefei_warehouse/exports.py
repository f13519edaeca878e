"""Exports for BI tools and other languages: every mart as Parquet and CSV, with a manifest.

Written from the freshly built database before it is published, into the release folder,
so the exports always describe exactly the database beside them. The manifest says for
each mart: its columns (type, unit, description), row count, the source ids its rows cite,
and the files with their sha256, plus the build id and git commit. In the CSV files a text
cell that starts with = + - @ (which a spreadsheet would run as a formula) starts with an
apostrophe; the Parquet files hold every value unchanged.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

EXPORTED_SCHEMA = "marts"
MANIFEST_NAME = "manifest.json"

# Units read from the column name (the project's naming rule puts the unit last).
# Longest suffix first, so "_cny_100m" wins over "_100m".
UNIT_SUFFIXES: list[tuple[str, str]] = [
    ("_cny_100m", "100 million CNY (亿元)"),
    ("_cny_10k", "10 thousand CNY (万元)"),
    ("_cny_bn", "billion CNY"),
    ("_usd_bn", "billion USD"),
    ("_cny", "CNY"),
    ("_10k", "10 thousand persons (万人)"),
    ("_pct", "percent"),
    ("_pp", "percentage points"),
    ("_km", "kilometres"),
    ("_km2", "square kilometres"),
    ("_per_10k", "per 10 thousand persons"),
    ("_ratio", "ratio"),
]


def unit_from_name(column: str) -> str | None:
    for suffix, unit in sorted(UNIT_SUFFIXES, key=lambda pair: -len(pair[0])):
        if column.endswith(suffix):
            return unit
    if column.startswith("n_"):
        return "count"
    if column == "year" or column.endswith("_year"):
        return "calendar year"
    return None


@dataclass
class ModelDocs:
    """Descriptions and column metadata that dbt keeps for one model."""

    description: str
    columns: dict[str, dict]
    meta: dict


def read_dbt_docs(dbt_manifest: Path | None) -> dict[str, ModelDocs]:
    """Model name -> descriptions, from dbt's target/manifest.json (empty if it is missing)."""
    if dbt_manifest is None or not dbt_manifest.is_file():
        return {}
    nodes = json.loads(dbt_manifest.read_text(encoding="utf-8")).get("nodes", {})
    docs = {}
    for node in nodes.values():
        if node.get("resource_type") == "model":
            meta = {**node.get("meta", {}), **node.get("config", {}).get("meta", {})}
            docs[node["name"]] = ModelDocs(node.get("description", ""), node.get("columns", {}), meta)
    return docs


def _column_unit(name: str, column_docs: dict) -> str | None:
    meta = {**column_docs.get("meta", {}), **column_docs.get("config", {}).get("meta", {})}
    return meta.get("unit") or unit_from_name(name)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_select(table: str, columns: list[tuple[str, str]]) -> str:
    """The mart for the CSV file: text cells that a spreadsheet would run as a formula get a
    leading apostrophe (shown as text, not run). Only text columns: a negative number stays a
    number. Parquet keeps every value exactly as in the database."""
    starts = ", ".join(f"chr({ord(c)})" for c in FORMULA_STARTS)
    cells = []
    for name, data_type in columns:
        quoted = _quote(name)
        if data_type.upper() in ("VARCHAR", "TEXT", "STRING"):
            cells.append(f"case when left({quoted}, 1) in ({starts}) then chr(39) || {quoted} else {quoted} end as {quoted}")
        else:
            cells.append(quoted)
    # The same row order as the Parquet file (`order by all` over the unchanged values).
    order = ", ".join(f"source.{_quote(name)}" for name, _ in columns)
    return f"select {', '.join(cells)} from {EXPORTED_SCHEMA}.{_quote(table)} as source order by {order}"


def _ordered(table: str) -> str:
    # Sorted by every column so the same data always gives the same files.
    return f"select * from {EXPORTED_SCHEMA}.{_quote(table)} order by all"


def _source_ids(con, table: str, columns: list[str]) -> list[str]:
    """Distinct source ids cited by a mart's rows (any column named source_id or *_source_id)."""
    cited = [c for c in columns if c == "source_id" or c.endswith("_source_id")]
    found: set[str] = set()
    for column in cited:
        rows = con.execute(
            f"select distinct {_quote(column)} from {EXPORTED_SCHEMA}.{_quote(table)} where {_quote(column)} is not null"
        ).fetchall()
        for (value,) in rows:
            # Some marts list several sources in one cell, separated by '|' or ','.
            found.update(part.strip() for part in re.split(r"[|,;]", str(value)) if part.strip())
    return sorted(found)


def write_exports(
    database: Path,
    out_dir: Path,
    *,
    build_id: str,
    git_commit: str | None,
    dbt_manifest: Path | None = None,
) -> dict:
    """Write <mart>.parquet, <mart>.csv and manifest.json into out_dir; return the manifest."""
    out_dir.mkdir(parents=True, exist_ok=True)
    docs = read_dbt_docs(dbt_manifest)
    marts = {}
    all_sources: set[str] = set()
    with duckdb.connect(str(database), read_only=True) as con:
        tables = [
            row[0]
            for row in con.execute(
                "select table_name from information_schema.tables where table_schema = ? order by table_name",
                [EXPORTED_SCHEMA],
            ).fetchall()
        ]
        for table in tables:
            columns = con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = ? and table_name = ? order by ordinal_position",
                [EXPORTED_SCHEMA, table],
            ).fetchall()
            names = [name for name, _ in columns]
            parquet, csv = out_dir / f"{table}.parquet", out_dir / f"{table}.csv"
            con.execute(f"copy ({_ordered(table)}) to '{parquet}' (format parquet, compression zstd)")
            con.execute(f"copy ({_csv_select(table, columns)}) to '{csv}' (format csv, header true)")
            model = docs.get(table, ModelDocs("", {}, {}))
            sources = _source_ids(con, table, names)
            all_sources.update(sources)
            marts[table] = {
                "schema": EXPORTED_SCHEMA,
                "description": model.description.strip(),
                "row_count": con.execute(f"select count(*) from {EXPORTED_SCHEMA}.{_quote(table)}").fetchone()[0],
                "columns": [
                    {
                        "name": name,
                        "type": data_type,
                        "unit": _column_unit(name, model.columns.get(name, {})),
                        "description": model.columns.get(name, {}).get("description", "").strip(),
                    }
                    for name, data_type in columns
                ],
                "source_ids": sources,
                "files": [
                    {"name": path.name, "format": path.suffix[1:], "bytes": path.stat().st_size, "sha256": _sha256(path)}
                    for path in (parquet, csv)
                ],
            }
        source_rows = _source_register(con, sorted(all_sources))
    manifest = {
        "build_id": build_id,
        "git_commit": git_commit,
        "database": database.name,
        "marts": marts,
        "sources": source_rows,
    }
    (out_dir / MANIFEST_NAME).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    return manifest


def _source_register(con, source_ids: list[str]) -> dict[str, dict]:
    """Who published each cited source, where it lives and under which licence."""
    exists = con.execute(
        "select count(*) from information_schema.tables where table_schema = 'seeds' and table_name = 'sources'"
    ).fetchone()[0]
    if not exists or not source_ids:
        return {}
    wanted = ["producer", "original_source", "repository", "repository_path", "commit_or_version", "url", "licence", "accessed_on"]
    present = {
        row[0]
        for row in con.execute(
            "select column_name from information_schema.columns where table_schema = 'seeds' and table_name = 'sources'"
        ).fetchall()
    }
    fields = [f for f in wanted if f in present]
    rows = con.execute(
        f"select source_id, {', '.join(fields)} from seeds.sources where source_id in (select unnest(?)) order by source_id",
        [source_ids],
    ).fetchall()
    return {row[0]: {field: (None if value is None else str(value)) for field, value in zip(fields, row[1:])} for row in rows}
