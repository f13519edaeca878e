"""Exports for BI tools: Parquet + CSV per mart with a manifest, on a small fixture and on the
real build (every mart exported, counts and checksums agree with the database beside it)."""

from __future__ import annotations

import hashlib
import json
import os

import duckdb
import pytest

from hefei_warehouse.exports import unit_from_name, write_exports


@pytest.mark.parametrize(
    "column, unit",
    [
        ("gdp_cny_100m", "100 million CNY (亿元)"),
        ("resident_population_10k", "10 thousand persons (万人)"),
        ("amount_cny_bn", "billion CNY"),
        ("avg_wage_cny", "CNY"),
        ("secondary_share_pct", "percent"),
        ("tertiary_share_change_pp", "percentage points"),
        ("distance_to_shanghai_km", "kilometres"),
        ("n_universities", "count"),
        ("start_year", "calendar year"),
        ("n_bets_non_cny", "count"),          # a count of bets, not an amount in CNY
        ("fdi_usd_m", "million USD"),
        ("avg_wage_ratio_to_national", "ratio to the national average wage (1 = national average)"),
        ("index_score", "score (0-100)"),
        ("name_en", None),
    ],
)
def test_unit_is_read_from_the_column_name(column, unit):
    assert unit_from_name(column) == unit


def make_fixture_database(path):
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts; create schema seeds")
        con.execute("create table seeds.sources (source_id varchar, producer varchar, url varchar, licence varchar, caveats varchar)")
        con.execute("insert into seeds.sources values ('src_a', 'Producer A', 'https://example.org/a', 'MIT', 'long prose'), "
                    "('src_b', 'Producer B', 'https://example.org/b', 'CC-BY', 'x'), ('src_unused', 'C', null, null, null)")
        con.execute("create table marts.city_gdp (city_code varchar, year integer, gdp_cny_100m double, source_id varchar)")
        con.execute("insert into marts.city_gdp values ('340100', 2022, 12013, 'src_a'), ('340200', 2022, null, 'src_b'), "
                    "('340100', 2021, 11412.8, 'src_a')")
        con.execute("create table marts.dim_thing (thing varchar)")
        con.execute("insert into marts.dim_thing values ('b'), ('a')")
        con.execute("create table main.not_a_mart (x integer)")


def write_dbt_manifest(path):
    path.write_text(json.dumps({"nodes": {
        "model.p.city_gdp": {"resource_type": "model", "name": "city_gdp", "description": "GDP per city-year.",
                             "columns": {"gdp_cny_100m": {"description": "GDP as published.", "meta": {}},
                                         "year": {"description": "Calendar year.", "meta": {"unit": "year (CE)"}}},
                             "config": {"meta": {}}},
    }}), encoding="utf-8")


def test_fixture_exports_every_mart_with_a_manifest(tmp_path):
    database = tmp_path / "hefei.duckdb"
    make_fixture_database(database)
    write_dbt_manifest(tmp_path / "manifest.json")
    manifest = write_exports(database, tmp_path / "exports", build_id="b1", git_commit="abc", dbt_manifest=tmp_path / "manifest.json")

    assert sorted(manifest["marts"]) == ["city_gdp", "dim_thing"]  # marts schema only
    gdp = manifest["marts"]["city_gdp"]
    assert gdp["row_count"] == 3
    assert gdp["description"] == "GDP per city-year."
    columns = {c["name"]: c for c in gdp["columns"]}
    assert [c["name"] for c in gdp["columns"]] == ["city_code", "year", "gdp_cny_100m", "source_id"]
    assert columns["gdp_cny_100m"] == {"name": "gdp_cny_100m", "type": "DOUBLE", "unit": "100 million CNY (亿元)",
                                       "description": "GDP as published."}
    assert columns["year"]["unit"] == "year (CE)"  # YAML meta wins over the name
    assert gdp["source_ids"] == ["src_a", "src_b"]
    assert sorted(manifest["sources"]) == ["src_a", "src_b"]
    assert "caveats" not in manifest["sources"]["src_a"]
    assert manifest["build_id"] == "b1" and manifest["git_commit"] == "abc"

    on_disk = json.loads((tmp_path / "exports" / "manifest.json").read_text(encoding="utf-8"))
    assert on_disk == manifest
    for file in gdp["files"]:
        path = tmp_path / "exports" / file["name"]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == file["sha256"]
    con = duckdb.connect()
    rows = con.execute(f"select * from read_parquet('{tmp_path / 'exports' / 'city_gdp.parquet'}')").fetchall()
    assert rows == [("340100", 2021, 11412.8, "src_a"), ("340100", 2022, 12013.0, "src_a"), ("340200", 2022, None, "src_b")]
    csv_bytes = (tmp_path / "exports" / "city_gdp.csv").read_bytes()
    assert csv_bytes.startswith(b"\xef\xbb\xbfcity_code,")  # the BOM tells Excel the file is UTF-8
    csv_lines = csv_bytes.decode("utf-8-sig").splitlines()
    assert csv_lines[0] == "city_code,year,gdp_cny_100m,source_id"
    assert csv_lines[3] == "340200,2022,,src_b"  # a gap stays blank


def test_same_database_gives_byte_identical_exports(tmp_path):
    database = tmp_path / "hefei.duckdb"
    make_fixture_database(database)
    first = write_exports(database, tmp_path / "one", build_id="b", git_commit=None)
    second = write_exports(database, tmp_path / "two", build_id="b", git_commit=None)
    assert first == second
    assert (tmp_path / "one" / "manifest.json").read_bytes() == (tmp_path / "two" / "manifest.json").read_bytes()


def database_with_eight_marts(tmp_path, rows=lambda n: 10):
    """The fixture's two marts and six more, so that there are more marts than writers."""
    database = tmp_path / "hefei.duckdb"
    make_fixture_database(database)
    with duckdb.connect(str(database)) as con:
        for n in range(6):
            con.execute(f"create table marts.extra_{n} as select range as n_item, 'src_a' as source_id from range({rows(n)})")
    return database


def exported_bytes(folder) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_two_writers_give_the_same_files_as_one(tmp_path, monkeypatch):
    """The marts are written two at a time, largest first; files and manifest must not depend
    on that order."""
    from hefei_warehouse import exports

    database = database_with_eight_marts(tmp_path, rows=lambda n: n * 500)  # of different sizes
    with duckdb.connect(str(database)) as con:  # a view in the schema is exported as before
        con.execute("create view marts.extra_view as select * from marts.extra_5 where n_item < 3")
    write_exports(database, tmp_path / "two", build_id="b", git_commit=None)
    monkeypatch.setattr(exports, "WORKERS", 1)
    write_exports(database, tmp_path / "one", build_id="b", git_commit=None)
    assert exported_bytes(tmp_path / "two") == exported_bytes(tmp_path / "one")
    assert len(exported_bytes(tmp_path / "one")) == 2 * 9 + 1
    assert (tmp_path / "one" / "extra_view.csv").read_bytes().decode("utf-8-sig").splitlines()[1:] == ["0,src_a", "1,src_a", "2,src_a"]


def test_a_mart_that_fails_stops_the_exports_with_its_error(tmp_path, monkeypatch):
    from hefei_warehouse import exports

    database = database_with_eight_marts(tmp_path)
    started = []
    real = exports._export_mart

    def fail_on_the_first(con, table, *args):
        started.append(table)
        if len(started) == 1:
            raise OSError(28, "No space left on device", table)
        return real(con, table, *args)

    monkeypatch.setattr(exports, "_export_mart", fail_on_the_first)
    with pytest.raises(OSError, match="No space left on device"):
        write_exports(database, tmp_path / "out", build_id="b", git_commit=None)
    assert not (tmp_path / "out" / "manifest.json").exists()
    # of 8 marts: after the failure the other writer ends the mart it has and takes at most one
    # more that it may already have asked for
    assert len(started) <= 3, started


def test_stopped_exports_write_no_manifest(tmp_path, monkeypatch):
    import threading

    from hefei_warehouse import exports

    database = database_with_eight_marts(tmp_path)
    stop = threading.Event()
    real = exports._export_mart
    written = []

    def stop_after_the_first(con, table, *args):
        entry = real(con, table, *args)
        written.append(table)
        stop.set()  # as the build does when a warehouse suite fails
        return entry

    monkeypatch.setattr(exports, "_export_mart", stop_after_the_first)
    assert write_exports(database, tmp_path / "out", build_id="b", git_commit=None, stop=stop) is None
    assert not (tmp_path / "out" / "manifest.json").exists()
    assert 1 <= len(written) <= 2, written  # of 8 marts: those already being written, and no more


# ---------------------------------------------------------------- the real build

@pytest.fixture(scope="module")
def published_manifest(built_warehouse):
    path = built_warehouse.parent / "exports" / "manifest.json"
    assert path.is_file(), "the build publishes exports beside the database"
    return json.loads(path.read_text(encoding="utf-8"))


def test_every_mart_is_exported_and_matches_the_database(published_manifest, warehouse, built_warehouse):
    marts = [r[0] for r in warehouse.execute(
        "select table_name from information_schema.tables where table_schema = 'marts' order by 1").fetchall()]
    assert len(marts) >= 10
    assert sorted(published_manifest["marts"]) == marts
    exports = built_warehouse.parent / "exports"
    for name, mart in published_manifest["marts"].items():
        count = warehouse.execute(f"select count(*) from marts.{name}").fetchone()[0]
        assert mart["row_count"] == count, name
        columns = warehouse.execute(
            "select column_name from information_schema.columns where table_schema = 'marts' and table_name = ? "
            "order by ordinal_position", [name]).fetchall()
        assert [c["name"] for c in mart["columns"]] == [c[0] for c in columns], name
        assert mart["description"], f"{name} has no description in the manifest"
        parquet = exports / f"{name}.parquet"
        assert duckdb.connect().execute(f"select count(*) from read_parquet('{parquet}')").fetchone()[0] == count
        for file in mart["files"]:
            assert hashlib.sha256((exports / file["name"]).read_bytes()).hexdigest() == file["sha256"]


def test_manifest_carries_build_units_and_sources(published_manifest, warehouse):
    build_id = warehouse.execute(
        "select build_id from meta.build_history where status = 'published' order by finished_at desc limit 1").fetchone()[0]
    assert published_manifest["build_id"] == build_id
    panel = {c["name"]: c for c in published_manifest["marts"]["fct_city_year_panel"]["columns"]}
    assert panel["gdp_cny_100m"]["unit"] == "100 million CNY (亿元)"
    assert panel["resident_population_10k"]["unit"] == "10 thousand persons (万人)"
    assert panel["gdp_cny_100m"]["description"]
    registered = {r[0] for r in warehouse.execute("select source_id from seeds.sources").fetchall()}
    cited = set().union(*(set(m["source_ids"]) for m in published_manifest["marts"].values()))
    assert cited and cited <= registered
    assert set(published_manifest["sources"]) == cited


def test_every_mart_cites_its_sources_and_every_quantity_has_a_unit(published_manifest, warehouse):
    registered = {r[0] for r in warehouse.execute("select source_id from seeds.sources").fetchall()}
    for name, mart in published_manifest["marts"].items():
        assert mart["source_ids"], f"{name} cites no source"
        assert set(mart["source_ids"]) <= registered, name
        assert mart["source_ids_basis"] in ("rows", "lineage"), name
        for column in mart["columns"]:
            assert column["description"], f"{name}.{column['name']} has no description"
            if column["type"] not in ("VARCHAR", "BOOLEAN", "DATE", "TIMESTAMP"):
                assert column["unit"], f"{name}.{column['name']} ({column['type']}) has no unit"
    ranking = published_manifest["marts"]["fct_replicability_ranking"]
    assert ranking["source_ids_basis"] == "lineage" and len(ranking["source_ids"]) > 5
    summary = {c["name"]: c for c in published_manifest["marts"]["city_state_capital_summary"]["columns"]}
    assert summary["n_bets_non_cny"]["unit"] == "count"
    panel = {c["name"]: c for c in published_manifest["marts"]["fct_city_year_panel"]["columns"]}
    assert panel["fdi_usd_m"]["unit"] == "million USD"


def test_published_csv_opens_as_utf8_in_excel(built_warehouse, published_manifest):
    import csv

    path = built_warehouse.parent / "exports" / "dim_city.csv"
    assert path.read_bytes()[:3] == b"\xef\xbb\xbf"
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["city_code"] and any(r["name_zh"] == "合肥市" for r in rows)


def test_exports_are_published_with_their_database(built_warehouse):
    # The stable paths all resolve into the same release folder.
    release = (built_warehouse.parent / "current").resolve()
    assert os.path.realpath(built_warehouse) == str(release / built_warehouse.name)
    assert (built_warehouse.parent / "exports").resolve() == release / "exports"
    assert (built_warehouse.parent / "report.html").resolve() == release / "report.html"
    assert (built_warehouse.parent / "docs").resolve() == release / "docs"
    assert release.parent.name == "releases"


def test_awkward_folder_names_change_no_exported_value(tmp_path):
    """A clone under a folder such as `year=1999` must export the mart's own years: DuckDB
    reads `key=value` folders in a file's path as partition columns unless told not to, and
    such a column replaced the file's own `year` in the CSV. A quote in a folder's name
    (`O'Brien`) ended the path's SQL string and stopped the build; Chinese names are common."""
    import csv

    folder = tmp_path / "year=1999" / "city_code=000000" / "O'Brien 的 exports"
    folder.mkdir(parents=True)
    database = folder / "hefei.duckdb"
    make_fixture_database(database)
    write_exports(database, folder / "exports", build_id="b", git_commit=None)
    with open(folder / "exports" / "city_gdp.csv", newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["city_code"], r["year"]) for r in rows] == [("340100", "2021"), ("340100", "2022"), ("340200", "2022")]
    assert list(rows[0]) == ["city_code", "year", "gdp_cny_100m", "source_id"]


def test_csv_text_that_a_spreadsheet_would_run_is_neutralised(tmp_path):
    """Issue case 9: a value like =HYPERLINK(...) went into the CSV verbatim and a spreadsheet
    ran it. Text cells get a leading apostrophe; numbers (negative ones too) stay numbers."""
    import csv

    database = tmp_path / "hefei.duckdb"
    with duckdb.connect(str(database)) as con:
        con.execute("create schema marts")
        con.execute("""create table marts.fct_notes as select n_note, note, cast(change_pct as double) as change_pct from (values
            (1, '=HYPERLINK("http://example.org","click")', -5.25),
            (2, '+86 551 1234', -0.5),
            (3, '-1 below', 3.0),
            (4, '@SUM(A1:A9)', null),
            (5, 'Hefei - Anhui', 1.5),
            (6, null, -2.0)) as v(n_note, note, change_pct)""")
    write_exports(database, tmp_path / "out", build_id="b", git_commit=None)
    with open(tmp_path / "out" / "fct_notes.csv", newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["note"] for r in rows] == [
        "'=HYPERLINK(\"http://example.org\",\"click\")", "'+86 551 1234", "'-1 below", "'@SUM(A1:A9)", "Hefei - Anhui", "",
    ]
    assert [r["change_pct"] for r in rows] == ["-5.25", "-0.5", "3.0", "", "1.5", "-2.0"]
    with duckdb.connect() as con:
        parquet = con.execute(f"select note from '{tmp_path / 'out' / 'fct_notes.parquet'}' order by n_note").fetchall()
    assert parquet[0][0] == '=HYPERLINK("http://example.org","click")', "Parquet keeps the value as it is"


def test_the_byte_order_mark_is_added_once_and_the_rows_kept(tmp_path):
    from hefei_warehouse.exports import BOM, _add_bom

    path = tmp_path / "mart.csv"
    body = "city_code,name_zh\n340100,合肥市\n".encode("utf-8") * 50_000   # over 1 MB: several blocks
    path.write_bytes(body)
    _add_bom(path)
    assert path.read_bytes() == BOM + body
    _add_bom(path)  # a file that has the mark keeps one
    assert path.read_bytes() == BOM + body
    assert [p.name for p in tmp_path.iterdir()] == ["mart.csv"]
