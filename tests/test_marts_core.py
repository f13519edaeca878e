"""The core marts as an analyst meets them in the published warehouse: golden figures, a
documented column everywhere, a complete spine, and the Changsha-versus-Hefei question."""

from __future__ import annotations

import pytest

CORE_MARTS = ("dim_city", "fct_city_year_indicator", "fct_city_year_panel", "fct_city_growth", "fct_city_vs_hefei")
YEARS = 24  # 2000-2023
HEFEI, WUHAN, CHANGSHA = "340100", "420100", "430100"

# One short query answers "how does Changsha compare with Hefei, and how did Hefei look when it
# was where Changsha is now?" (the README can show it as is).
CHANGSHA_QUERY = """
    select year, gdp_cny_100m, hefei_gdp_cny_100m, gdp_gap_pct,
           gdp_per_resident_2023_prices_cny, hefei_same_stage_year, years_behind_hefei,
           same_stage_position, hefei_same_stage_gdp_cny_100m, hefei_same_stage_secondary_share_pct
    from marts.fct_city_vs_hefei
    where name_en = 'Changsha' and year in (2012, 2022)
    order by year
"""


def one(con, sql: str, *params):
    rows = con.execute(sql, list(params)).fetchall()
    assert len(rows) == 1, f"expected one row, got {len(rows)} for {sql!r} {params}"
    return rows[0]


def panel_value(con, column: str, city_code: str, year: int):
    return one(con, f"select {column} from marts.fct_city_year_panel where city_code = ? and year = ?",
               city_code, year)[0]


def long_value(con, indicator_code: str, city_code: str, year: int):
    return one(con, "select value from marts.fct_city_year_indicator "
                    "where city_code = ? and year = ? and indicator_code = ?", city_code, year, indicator_code)[0]


# --------------------------------------------------------------------------- golden figures

@pytest.mark.parametrize(("year", "expected"), [(2012, 4164.32), (2022, 12013.0)])
def test_hefei_gdp_as_published(warehouse, year, expected):
    assert panel_value(warehouse, "gdp_cny_100m", HEFEI, year) == expected
    assert long_value(warehouse, "gdp_cny_100m", HEFEI, year) == expected


def test_hefei_resident_population_2022(warehouse):
    assert panel_value(warehouse, "resident_population_10k", HEFEI, 2022) == 963.4


def test_wuhan_gdp_2022(warehouse):
    assert panel_value(warehouse, "gdp_cny_100m", WUHAN, 2022) == pytest.approx(18866, abs=1)


def test_hefei_location(warehouse):
    province, region, inland, distance, hub = one(
        warehouse,
        "select province_name_en, region, is_inland, distance_to_shanghai_km, nearest_coastal_hub_code "
        "from marts.dim_city where city_code = ?", HEFEI)
    assert (province, region, inland) == ("Anhui", "central", True)
    assert 400 <= distance <= 470
    assert hub == "310100"


def test_hefei_real_growth_2012_2022_is_above_eight_percent(warehouse):
    # The article's claim, checked on the revised real index, with the nominal rate beside it.
    real, nominal = one(
        warehouse,
        "select real_gdp_cagr_pct, nominal_gdp_cagr_pct from marts.fct_city_growth "
        "where city_code = ? and end_year = 2022 and window_years = 10", HEFEI)
    assert real > 8
    assert nominal > real


# --------------------------------------------------------------------------- structure

def test_every_core_mart_column_has_a_persisted_comment(warehouse):
    rows = warehouse.execute(
        "select table_name, column_name, comment from duckdb_columns() "
        "where schema_name = 'marts' and table_name in (select unnest(?))", [list(CORE_MARTS)]).fetchall()
    assert {table for table, _, _ in rows} == set(CORE_MARTS)
    undocumented = [f"{table}.{column}" for table, column, comment in rows if not (comment or "").strip()]
    assert undocumented == []


def test_every_core_mart_has_a_table_comment(warehouse):
    rows = warehouse.execute(
        "select table_name, comment from duckdb_tables() "
        "where schema_name = 'marts' and table_name in (select unnest(?))", [list(CORE_MARTS)]).fetchall()
    assert len(rows) == len(CORE_MARTS)
    assert all((comment or "").strip() for _, comment in rows)


def test_spine_is_complete(warehouse):
    n_cities = one(warehouse, "select count(*) from marts.dim_city")[0]
    n_indicators = one(warehouse, "select count(distinct indicator_code) from seeds.city_year_values")[0]
    n_long = one(warehouse, "select count(*) from marts.fct_city_year_indicator")[0]
    n_distinct = one(warehouse, "select count(*) from (select distinct city_code, year, indicator_code "
                                "from marts.fct_city_year_indicator)")[0]
    assert n_long == n_distinct == n_cities * YEARS * n_indicators
    for table in ("fct_city_year_panel", "fct_city_vs_hefei"):
        assert one(warehouse, f"select count(*) from marts.{table}")[0] == n_cities * YEARS


def test_every_gap_has_a_reason_and_every_value_a_source(warehouse):
    bad = one(warehouse, """
        select count(*) from marts.fct_city_year_indicator
        where (value is null) <> (missing_reason is not null)
           or (value is null) <> (source_id is null)
    """)[0]
    assert bad == 0
    # Chaohu (abolished after 2010) keeps its rows, marked, with no value moved to Hefei.
    reasons = warehouse.execute("""
        select distinct missing_reason from marts.fct_city_year_indicator
        where city_code = '341400' and year > 2010
    """).fetchall()
    assert reasons == [("unit_abolished",)]


def test_value_sources_are_registered(warehouse):
    unknown = one(warehouse, """
        select count(*) from marts.fct_city_year_indicator as f
        where f.source_id is not null
          and f.source_id not in (select source_id from seeds.sources)
    """)[0]
    assert unknown == 0


# --------------------------------------------------------------------------- the question

def test_changsha_against_hefei_in_one_query(warehouse):
    rows = warehouse.execute(CHANGSHA_QUERY).fetchall()
    assert [row[0] for row in rows] == [2012, 2022]
    for year, gdp, hefei_gdp, gap_pct, gdp_pc, stage_year, behind, position, stage_gdp, stage_secondary in rows:
        assert gdp == panel_value(warehouse, "gdp_cny_100m", CHANGSHA, year)
        assert hefei_gdp == panel_value(warehouse, "gdp_cny_100m", HEFEI, year)
        assert gap_pct == pytest.approx((gdp / hefei_gdp - 1) * 100)
        assert behind == year - stage_year
        assert position in ("within_hefei_range", "below_hefei_range", "above_hefei_range")
        assert stage_gdp == panel_value(warehouse, "gdp_cny_100m", HEFEI, stage_year)
        assert stage_secondary == panel_value(warehouse, "secondary_share_pct", HEFEI, stage_year)


def test_hefei_matches_itself_in_the_same_year(warehouse):
    mismatched = one(warehouse, """
        select count(*) from marts.fct_city_vs_hefei
        where city_code = '340100' and years_behind_hefei <> 0
    """)[0]
    assert mismatched == 0


def test_inland_filter_is_available_and_consistent_with_dim_city(warehouse):
    inconsistent = one(warehouse, """
        select count(*) from marts.fct_city_vs_hefei as v
        inner join marts.dim_city as d on v.city_code = d.city_code
        where v.is_inland <> d.is_inland
    """)[0]
    assert inconsistent == 0
