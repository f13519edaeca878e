"""dbt's documentation site, written offline as one self-contained page, without a second dbt run.

A docs site is three things: the manifest (which `dbt build` has just written), the catalog
(every table and column in the database, with its type and comment) and dbt's single-page
viewer with both inlined. `dbt docs generate --static` would start dbt again and parse the
project again for the catalog alone; here the catalog is read from DuckDB's own metadata
with the query dbt-duckdb uses, and inlined into the viewer page that dbt ships, as that
command does. The page's scripts and styles are bundled in it; the only web addresses in it
are ordinary links (dbt's own help pages), which `external_assets` checks stay that way.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import duckdb

PAGE_NAME = "index.html"

# The manifest nodes that are relations in the database (tests and unit tests are not).
_RELATION_TYPES = ("model", "seed", "snapshot")

# Things a browser would fetch by itself when the page opens (not links a person clicks).
_FETCHED = re.compile(
    r"""<script[^>]+src\s*=\s*["']?(https?:)?//"""
    r"""|<link[^>]+href\s*=\s*["']?(https?:)?//[^>]*>"""
    r"""|<img[^>]+src\s*=\s*["']?(https?:)?//"""
    r"""|@import\s+(url\()?["']?(https?:)?//"""
    r"""|url\(\s*["']?(https?:)?//""",
    re.IGNORECASE,
)

# Tables and views with their columns, types and comments, read from the same DuckDB
# functions and labelled as dbt-duckdb's catalog macro (duckdb__get_catalog) does.
_CATALOG_QUERY = """
    with tables as (
        select database_name, schema_name, table_name, 'BASE TABLE' as table_type, comment
        from duckdb_tables()
        union all
        select database_name, schema_name, view_name, 'VIEW', comment
        from duckdb_views()
    )
    select t.database_name, t.schema_name, t.table_name, t.table_type, t.comment,
           c.column_name, c.column_index, c.data_type, c.comment
    from tables t
    join duckdb_columns() c
      on c.database_name = t.database_name and c.schema_name = t.schema_name and c.table_name = t.table_name
    order by t.schema_name, t.table_name, c.column_index
"""

# What dbt reports for a DuckDB relation: it has no statistics to show.
_NO_STATS = {"has_stats": {"id": "has_stats", "label": "Has Stats?", "value": False, "include": False,
                           "description": "Indicates whether there are statistics for this table"}}


class DocsError(RuntimeError):
    """The docs page cannot be written as it must be (offline, with its data inlined)."""


def external_assets(html: str) -> list[str]:
    """Every place where the page would load something from another host."""
    return [match.group(0) for match in _FETCHED.finditer(html)]


def viewer_page() -> Path:
    """The single-page docs viewer that ships with dbt-core (the page `dbt docs` serves)."""
    from dbt.task.docs import DOCS_INDEX_FILE_PATH

    return Path(DOCS_INDEX_FILE_PATH)


def catalog(database: Path, manifest: dict) -> dict:
    """dbt's catalog.json for the manifest's models, seeds, snapshots and sources in `database`:
    for each one found, its relation type, comment and columns (name, position, type, comment)."""
    def key(database_name, schema, name) -> tuple:
        return ((database_name or "").lower(), (schema or "").lower(), (name or "").lower())

    ids: dict[tuple, list[tuple[str, str]]] = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] in _RELATION_TYPES:
            name = node.get("alias") or node["name"]
            ids.setdefault(key(node["database"], node["schema"], name), []).append(("nodes", node["unique_id"]))
    for source in manifest.get("sources", {}).values():
        name = source.get("identifier") or source["name"]
        ids.setdefault(key(source["database"], source["schema"], name), []).append(("sources", source["unique_id"]))

    entries: dict[str, dict] = {"nodes": {}, "sources": {}}
    with duckdb.connect(str(database), read_only=True) as con:
        rows = con.execute(_CATALOG_QUERY).fetchall()
    for db, schema, table, table_type, table_comment, column, index, column_type, column_comment in rows:
        for section, unique_id in ids.get(key(db, schema, table), []):
            entry = entries[section].setdefault(unique_id, {
                "metadata": {"type": table_type, "schema": schema, "name": table, "database": db,
                             "comment": table_comment, "owner": None},
                "columns": {},
                "stats": _NO_STATS,
                "unique_id": unique_id,
            })
            entry["columns"][column] = {"type": column_type, "index": index, "name": column, "comment": column_comment}

    metadata = manifest["metadata"]
    return {
        "metadata": {
            "dbt_schema_version": "https://schemas.getdbt.com/dbt/catalog/v1.json",
            "dbt_version": metadata.get("dbt_version"),
            "generated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "invocation_id": metadata.get("invocation_id"),
            "invocation_started_at": metadata.get("invocation_started_at"),
            "env": {},
        },
        "nodes": entries["nodes"],
        "sources": entries["sources"],
        "errors": None,
    }


def write_site(database: Path, manifest_path: Path, out_dir: Path) -> Path:
    """Write index.html (the viewer with manifest and catalog inlined), manifest.json and
    catalog.json into out_dir; the two JSON files let other tools (and `dbt docs serve`)
    read the same documentation. Raises DocsError if dbt's viewer has no place for the data or
    the page would fetch anything."""
    manifest_text = manifest_path.read_text(encoding="utf-8")
    catalog_text = json.dumps(catalog(database, json.loads(manifest_text)))
    page = viewer_page().read_text(encoding="utf-8")
    # The same two replacements `dbt docs generate --static` makes.
    for placeholder, data in (('"MANIFEST.JSON INLINE DATA"', manifest_text), ('"CATALOG.JSON INLINE DATA"', catalog_text)):
        if placeholder not in page:
            raise DocsError(f"dbt's docs viewer ({viewer_page()}) has no {placeholder} placeholder; "
                            "this dbt version inlines its data differently")
        page = page.replace(placeholder, data)
    fetched = external_assets(page)
    if fetched:
        raise DocsError(f"the docs page would load {fetched[0]!r} from the network")
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / PAGE_NAME).write_text(page, encoding="utf-8")
    (out_dir / "manifest.json").write_text(manifest_text, encoding="utf-8")
    (out_dir / "catalog.json").write_text(catalog_text, encoding="utf-8")
    return out_dir / PAGE_NAME
