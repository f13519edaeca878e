"""Documentation that must not drift from the data."""

import csv

from conftest import REPO


def test_every_source_is_credited_in_data_sources_page():
    page = (REPO / "DATA_SOURCES.md").read_text(encoding="utf-8")
    with open(REPO / "seeds" / "sources.csv", encoding="utf-8") as handle:
        ids = [row["source_id"] for row in csv.DictReader(handle)]
    assert len(ids) > 20
    missing = [source_id for source_id in ids if f"`{source_id}`" not in page]
    assert missing == []


def test_readme_quick_start_is_two_make_commands():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "make warehouse" in readme and "make test" in readme
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci


def test_dbt_docs_open_on_the_project_overview(built_warehouse):
    import json

    manifest = json.loads((built_warehouse.parent / "docs" / "manifest.json").read_text(encoding="utf-8"))
    overview = manifest["docs"].get("doc.hefei_warehouse.__overview__")
    assert overview is not None, "dbt docs would open on the stock welcome page"
    assert "fct_replicability_ranking" in overview["block_contents"]
    assert "Hefei model warehouse" in overview["block_contents"]


def _tiny_warehouse(tmp_path):
    """A database with one commented table and the manifest of a project that has it."""
    import json

    import duckdb

    database = tmp_path / "hefei.duckdb"
    with duckdb.connect(str(database)) as con:
        con.execute("create schema marts; create table marts.dim_x (code varchar, value_pct double)")
        con.execute("comment on table marts.dim_x is 'A table.'; comment on column marts.dim_x.value_pct is 'A share.'")
        con.execute("create table marts.not_in_the_project (a int)")
    node = {"resource_type": "model", "unique_id": "model.p.dim_x", "name": "dim_x", "alias": "dim_x",
            "database": "hefei", "schema": "marts"}
    test = {"resource_type": "test", "unique_id": "test.p.t", "name": "t", "alias": "t", "database": "hefei", "schema": "marts"}
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"metadata": {"dbt_version": "1.11.16", "invocation_id": "abc"},
                                    "nodes": {node["unique_id"]: node, test["unique_id"]: test}, "sources": {}}))
    return database, manifest


def test_docs_site_inlines_the_manifest_and_a_catalog_of_the_projects_relations(tmp_path, monkeypatch):
    import json

    from hefei_warehouse import docs

    database, manifest = _tiny_warehouse(tmp_path)
    viewer = tmp_path / "viewer.html"
    viewer.write_text('<script>var m = "MANIFEST.JSON INLINE DATA"; var c = "CATALOG.JSON INLINE DATA";</script>')
    monkeypatch.setattr(docs, "viewer_page", lambda: viewer)
    page = docs.write_site(database, manifest, tmp_path / "site").read_text(encoding="utf-8")
    catalog = json.loads((tmp_path / "site" / "catalog.json").read_text(encoding="utf-8"))
    assert list(catalog["nodes"]) == ["model.p.dim_x"]  # not the test, not the table outside the project
    entry = catalog["nodes"]["model.p.dim_x"]
    assert entry["metadata"] == {"type": "BASE TABLE", "schema": "marts", "name": "dim_x", "database": "hefei",
                                 "comment": "A table.", "owner": None}
    assert entry["columns"] == {
        "code": {"type": "VARCHAR", "index": 1, "name": "code", "comment": None},
        "value_pct": {"type": "DOUBLE", "index": 2, "name": "value_pct", "comment": "A share."},
    }
    assert catalog["metadata"]["invocation_id"] == "abc" and catalog["errors"] is None
    assert "INLINE DATA" not in page and '"invocation_id": "abc"' in page and "A share." in page
    assert (tmp_path / "site" / "manifest.json").read_text() == manifest.read_text()


def test_docs_site_refuses_a_viewer_it_cannot_fill_or_one_that_fetches_from_the_network(tmp_path, monkeypatch):
    import pytest

    from hefei_warehouse import docs

    database, manifest = _tiny_warehouse(tmp_path)
    viewer = tmp_path / "viewer.html"
    monkeypatch.setattr(docs, "viewer_page", lambda: viewer)
    viewer.write_text('<script>var m = "MANIFEST.JSON INLINE DATA";</script>')
    with pytest.raises(docs.DocsError, match="CATALOG.JSON INLINE DATA"):
        docs.write_site(database, manifest, tmp_path / "a")
    viewer.write_text('<script src="https://cdn.example.org/x.js"></script>"MANIFEST.JSON INLINE DATA" "CATALOG.JSON INLINE DATA"')
    with pytest.raises(docs.DocsError, match="from the network"):
        docs.write_site(database, manifest, tmp_path / "b")
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def test_dbt_ships_the_docs_viewer_the_build_fills():
    from hefei_warehouse import docs

    page = docs.viewer_page().read_text(encoding="utf-8")
    assert '"MANIFEST.JSON INLINE DATA"' in page and '"CATALOG.JSON INLINE DATA"' in page
    assert docs.external_assets(page) == []
