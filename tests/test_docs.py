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
