"""Exports for BI tools and other languages: every mart as Parquet and CSV, with a manifest.

Written from the freshly built database before it is published, into the release folder,
so the exports always describe exactly the database beside them. The manifest says for
each mart: its columns (type, unit, description), row count, the source ids its rows cite (or,
for a mart without a source column, those of the seeds it is built from), and the files with
their sha256, plus the build id and git commit. CSV files start with a UTF-8 byte-order mark
so Excel shows the Chinese names correctly, and in them a text cell that starts with = + - @
(which a spreadsheet would run as a formula) starts with an apostrophe; the Parquet files hold
every value unchanged.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb

from . import yaml_files

EXPORTED_SCHEMA = "marts"
MANIFEST_NAME = "manifest.json"

UNITS_FILE = Path(__file__).with_name("column_units.yml")
BOM = b"\xef\xbb\xbf"  # lets Excel open the UTF-8 CSV with its Chinese names intact


@functools.cache
def _unit_rules() -> tuple[dict[str, str], list[tuple[str, str]]]:
    rules = yaml_files.load(UNITS_FILE)
    # Longest ending first, so "_cny_100m" wins over "_100m".
    return rules["names"], sorted(rules["suffixes"].items(), key=lambda pair: -len(pair[0]))


def unit_from_name(column: str) -> str | None:
    names, suffixes = _unit_rules()
    if column in names:
        return names[column]
    if column.startswith("n_"):
        return "count"  # n_bets_non_cny counts bets, whatever its ending says
    for suffix, unit in suffixes:
        if column.endswith(suffix):
            return unit
    return None


@dataclass
class ModelDocs:
    """Descriptions and column metadata that dbt keeps for one model."""

    description: str
    columns: dict[str, dict]
    meta: dict


def upstream_seeds(dbt_manifest: Path | None) -> dict[str, set[str]]:
    """Model name -> names of the seeds it is built from (walking dbt's lineage)."""
    if dbt_manifest is None or not dbt_manifest.is_file():
        return {}
    manifest = json.loads(dbt_manifest.read_text(encoding="utf-8"))
    parents = manifest.get("parent_map", {})
    found = {}
    for node_id, node in manifest.get("nodes", {}).items():
        if node.get("resource_type") != "model":
            continue
        seen, todo, seeds = set(), [node_id], set()
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            if current.startswith("seed."):
                seeds.add(current.split(".")[-1])
            todo.extend(parents.get(current, []))
        found[node["name"]] = seeds
    return found


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


def _path_literal(path: Path) -> str:
    """A file path as an SQL string: a folder such as `O'Brien` must not end the string."""
    return "'" + str(path).replace("'", "''") + "'"


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_select(parquet: Path, columns: list[tuple[str, str]]) -> str:
    """The rows of the mart's Parquet file, in the file's order (already sorted, so it is not
    sorted again), each value cast back to its type in the database, for the CSV file: text
    cells that a spreadsheet would run as a formula get a leading apostrophe (shown as text,
    not run). Only text columns: a negative number stays a number. Parquet keeps every value
    exactly as in the database."""
    starts = ", ".join(f"chr({ord(c)})" for c in FORMULA_STARTS)
    cells = []
    for name, data_type in columns:
        value = f"cast(source.{_quote(name)} as {data_type})"
        if data_type.upper() in ("VARCHAR", "TEXT", "STRING"):
            value = f"case when left({value}, 1) in ({starts}) then chr(39) || {value} else {value} end"
        cells.append(f"{value} as {_quote(name)}")
    # COPY writes rows in parallel unless told their order: the Parquet file's row numbers.
    # Partitioning off: a folder named like `year=1999` in the path would replace the column.
    return (f"select {', '.join(cells)} from read_parquet({_path_literal(parquet)}, file_row_number = true, "
            "hive_partitioning = false) as source "
            "order by source.file_row_number")


def _ordered(table: str) -> str:
    # Sorted by every column so the same data always gives the same files.
    return f"select * from {EXPORTED_SCHEMA}.{_quote(table)} order by all"


def _source_ids(con, table: str, columns: list[str], schema: str = EXPORTED_SCHEMA) -> list[str]:
    """Distinct source ids cited by a mart's rows (any column named source_id or *_source_id)."""
    cited = [c for c in columns if c == "source_id" or c.endswith("_source_id")]
    found: set[str] = set()
    for column in cited:
        rows = con.execute(
            f"select distinct {_quote(column)} from {schema}.{_quote(table)} where {_quote(column)} is not null"
        ).fetchall()
        for (value,) in rows:
            # Some marts list several sources in one cell, separated by '|' or ','.
            found.update(part.strip() for part in re.split(r"[|,;]", str(value)) if part.strip())
    return sorted(found)


def _seed_source_ids(con, seeds: set[str], cited_by_seed: dict[str, list[str]]) -> list[str]:
    """Distinct source ids cited by the rows of the given seed tables. `cited_by_seed` keeps
    each seed's answer: many marts are built from the same seeds."""
    found: set[str] = set()
    for seed in sorted(seeds):
        if seed == "sources":
            continue  # the register itself, not a citation
        if seed not in cited_by_seed:
            columns = [r[0] for r in con.execute(
                "select column_name from information_schema.columns where table_schema = 'seeds' and table_name = ?", [seed]
            ).fetchall()]
            cited_by_seed[seed] = _source_ids(con, seed, columns, schema="seeds")
        found.update(cited_by_seed[seed])
    return sorted(found)


def _add_bom(path: Path) -> None:
    """Put the byte-order mark in front of the CSV DuckDB wrote. Copied in blocks into a new
    file rather than read whole and written back: the largest export is about 50 MB."""
    with open(path, "rb") as source:
        if source.read(len(BOM)) == BOM:
            return
        source.seek(0)
        staged = path.with_name(path.name + ".bom")
        try:
            with open(staged, "wb") as target:
                target.write(BOM)
                shutil.copyfileobj(source, target, 1 << 20)
        except BaseException:
            staged.unlink(missing_ok=True)  # a full disk, say: leave no half copy behind
            raise
    os.replace(staged, path)


# How many marts are written at once. Each COPY already uses DuckDB's threads, but most marts
# are small and spend their time in per-statement work, file hashing and the byte-order mark,
# so two marts side by side finish sooner on a 2-core machine; the largest goes first so it is
# not left last.
WORKERS = 2


def _export_mart(con, table: str, out_dir: Path, docs: dict[str, ModelDocs], lineage: dict[str, set[str]],
                 cited_by_seed: dict[str, list[str]]) -> dict:
    """Write one mart's Parquet and CSV files; return its manifest entry."""
    columns = con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = ? and table_name = ? order by ordinal_position",
        [EXPORTED_SCHEMA, table],
    ).fetchall()
    names = [name for name, _ in columns]
    parquet, csv = out_dir / f"{table}.parquet", out_dir / f"{table}.csv"
    con.execute(f"copy ({_ordered(table)}) to {_path_literal(parquet)} (format parquet, compression zstd)")
    con.execute(f"copy ({_csv_select(parquet, columns)}) to {_path_literal(csv)} (format csv, header true)")
    _add_bom(csv)
    model = docs.get(table, ModelDocs("", {}, {}))
    # The sources its rows cite; for a mart without a source column (an index, a panel),
    # the sources cited by the seeds it is built from.
    sources = _source_ids(con, table, names)
    basis = "rows"
    if not sources and lineage.get(table):
        sources, basis = _seed_source_ids(con, lineage[table], cited_by_seed), "lineage"
    return {
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
        "source_ids_basis": basis if sources else None,
        "files": [
            {"name": path.name, "format": path.suffix[1:], "bytes": path.stat().st_size, "sha256": _sha256(path)}
            for path in (parquet, csv)
        ],
    }


def write_exports(
    database: Path,
    out_dir: Path,
    *,
    build_id: str,
    git_commit: str | None,
    dbt_manifest: Path | None = None,
    stop: threading.Event | None = None,
) -> dict | None:
    """Write <mart>.parquet, <mart>.csv and manifest.json into out_dir; return the manifest.
    If `stop` is set (the build that wanted them failed), end after the marts being written
    and return None, without a manifest. The files and the manifest do not depend on the
    order in which the marts are written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    docs = read_dbt_docs(dbt_manifest)
    lineage = upstream_seeds(dbt_manifest)
    stop = stop or threading.Event()
    failed = threading.Event()  # one mart failed: the other worker takes no new mart
    with duckdb.connect(str(database), read_only=True) as con:
        # Every table and view of the schema, with the table's estimated row count (a view: 0).
        sizes = dict(con.execute(
            "select table_name, estimated_size from duckdb_tables() where schema_name = ? "
            "union all select view_name, 0 from duckdb_views() where schema_name = ? and not internal",
            [EXPORTED_SCHEMA, EXPORTED_SCHEMA],
        ).fetchall())
        tables = sorted(sizes, key=lambda table: (-(sizes[table] or 0), table))
        queue = iter(tables)
        taking = threading.Lock()
        entries: dict[str, dict] = {}
        cited_by_seed: dict[str, list[str]] = {}  # shared: both workers may ask for the same seed; same answer

        def work() -> None:
            with con.cursor() as cursor:
                while not (stop.is_set() or failed.is_set()):
                    with taking:
                        table = next(queue, None)
                    if table is None:
                        return
                    try:
                        entries[table] = _export_mart(cursor, table, out_dir, docs, lineage, cited_by_seed)
                    except BaseException:
                        failed.set()
                        raise

        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            workers = [pool.submit(work) for _ in range(WORKERS)]
        for worker in workers:
            worker.result()  # the first error, raised here
        if stop.is_set():
            return None
        marts = {table: entries[table] for table in sorted(entries)}
        all_sources = {source for entry in marts.values() for source in entry["source_ids"]}
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
