"""The data screens as an analyst meets them in the published warehouse: the golden cases from
the audit of the city values (a shifted series, a decimal slip, mixed vintages, index-form growth,
a contaminated population series), the NBS 36-city agreement, and the data-quality marts."""

from __future__ import annotations

import pytest

CHANGDE, XIANGYANG, GUANGZHOU, HEFEI, TIANJIN = "430700", "420600", "440100", "340100", "120100"


def fact(con, city_code: str, year: int, indicator_code: str) -> dict:
    cursor = con.execute(
        "select * from marts.fct_city_year_indicator where city_code = ? and year = ? and indicator_code = ?",
        [city_code, year, indicator_code])
    columns = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    assert len(rows) == 1
    return dict(zip(columns, rows[0]))


# --------------------------------------------------------------------------- golden cases

def test_changde_shifted_gdp_is_detected_and_each_year_gets_its_own_figure(warehouse):
    # The industry file stores for 2001-2015 the figure of the year before; CSMAR and CEIC agree
    # on the real figures, e.g. 2,709.0169 for 2015, which the shifted file lacks altogether.
    for year in range(2001, 2016):
        row = fact(warehouse, CHANGDE, year, "gdp_cny_100m")
        assert row["resolution_rule"] == "year_shift", year
        assert row["resolution"] == "replaced_by_second_source"
        assert row["original_source_id"] == "gp_industry_structure"
    row_2015 = fact(warehouse, CHANGDE, 2015, "gdp_cny_100m")
    assert row_2015["value"] == pytest.approx(2709.0169)
    assert row_2015["original_value"] == pytest.approx(2514.15)
    assert "csmar_cre_gdpct=2709.0169" in row_2015["alternative_values"]
    row_2001 = fact(warehouse, CHANGDE, 2001, "gdp_cny_100m")
    assert row_2001["value"] == pytest.approx(398.5929)
    assert row_2001["original_value"] == pytest.approx(349.80)
    # 2016 is right in the file; the spurious +17.5% jump into 2016 is gone (+9.0%)
    row_2016 = fact(warehouse, CHANGDE, 2016, "gdp_cny_100m")
    assert row_2016["resolution"] == "kept" and row_2016["value"] == pytest.approx(2953.82)
    assert row_2016["value"] / row_2015["value"] - 1 == pytest.approx(0.0904, abs=0.001)


def test_changde_shifted_shares_are_resolved_too(warehouse):
    row = fact(warehouse, CHANGDE, 2015, "tertiary_share_pct")
    assert row["resolution_rule"] == "year_shift"
    assert row["value"] == pytest.approx(41.21)
    assert row["original_value"] == pytest.approx(38.910168, abs=1e-4)


def test_xiangyang_2006_tertiary_share_decimal_slip(warehouse):
    row = fact(warehouse, XIANGYANG, 2006, "tertiary_share_pct")
    assert row["value"] == pytest.approx(38.22)
    assert row["source_id"] == "csmar_cre_gdpct"
    assert row["original_value"] == pytest.approx(3.8212, abs=1e-3)
    assert row["resolution_rule"] == "decimal_slip"
    assert "shares_sum_to_100" in row["screening_rules"]


@pytest.mark.parametrize("year, screened, published", [(2017, 21503.1516, 19871.66789), (2018, 22859.3471, 21002.4435)])
def test_guangzhou_revised_values_are_outvoted_by_three_agreeing_sources(warehouse, year, screened, published):
    row = fact(warehouse, GUANGZHOU, year, "gdp_cny_100m")
    assert row["value"] == pytest.approx(screened)
    assert row["original_value"] == pytest.approx(published)
    assert row["resolution"] == "replaced_by_agreeing_sources"
    # the wide panel (and so the index) reads the screened value
    panel = warehouse.execute("select gdp_cny_100m from marts.fct_city_year_panel where city_code = ? and year = ?",
                              [GUANGZHOU, year]).fetchone()[0]
    assert panel == pytest.approx(screened)


def test_index_form_growth_values_are_converted_to_percent(warehouse):
    rows = warehouse.execute(
        "select city_code, year, value, original_value from marts.fct_city_year_indicator "
        "where indicator_code = 'real_gdp_growth_published_pct' and resolution = 'converted' order by city_code, year"
    ).fetchall()
    assert len(rows) == 14
    assert all(original - value == pytest.approx(100) for _, _, value, original in rows)
    assert ("620200", 2021, pytest.approx(5.1), pytest.approx(105.1)) in rows
    highest = warehouse.execute(
        "select max(value) from marts.fct_city_year_indicator where indicator_code = 'real_gdp_growth_published_pct'"
    ).fetchone()[0]
    assert highest < 60


def test_hefei_2021_registered_population_is_the_resident_count_and_is_set_aside(warehouse):
    row = fact(warehouse, HEFEI, 2021, "registered_population_10k")
    assert row["value"] is None
    assert row["missing_reason"] == "screened_out"
    assert row["resolution_rule"] == "registered_equals_resident"
    assert row["original_value"] == pytest.approx(946.5)
    # 2020 repeats 2019 (770.44) in the same file: a copy, also set aside
    row_2020 = fact(warehouse, HEFEI, 2020, "registered_population_10k")
    assert row_2020["resolution_rule"] == "copy_of_previous_year" and row_2020["value"] is None
    assert fact(warehouse, HEFEI, 2019, "registered_population_10k")["value"] == pytest.approx(770.44)


# --------------------------------------------------------------------------- NBS 36 cities

def test_every_nbs36_disagreement_over_one_percent_is_explained_or_flagged(warehouse):
    total, published, screened, unexplained = warehouse.execute(
        "select count(*), sum(case when published_agrees then 1 else 0 end), "
        "sum(case when screened_agrees then 1 else 0 end), "
        "sum(case when disagreement_explanation = 'unexplained' then 1 else 0 end) "
        "from marts.fct_data_quality_nbs36_agreement").fetchone()
    assert total > 600
    assert screened > published  # the screens bring the warehouse closer to NBS, never further
    assert unexplained == 0
    # Tianjin 2009-18: NBS shows the figures revised after the audit; the first-published ones stay
    tianjin = warehouse.execute(
        "select distinct disagreement_explanation from marts.fct_data_quality_nbs36_agreement "
        "where city_code = ? and year between 2009 and 2018", [TIANJIN]).fetchall()
    assert tianjin == [("nbs_other_vintage",)]


# --------------------------------------------------------------------------- the marts

def test_summary_counts_add_up_to_the_flags(warehouse):
    flags = warehouse.execute("select count(*) from marts.fct_data_quality_flag").fetchone()[0]
    summed = warehouse.execute("select sum(n_flags) from marts.fct_data_quality_summary").fetchone()[0]
    assert flags == summed > 0


def test_every_changed_value_keeps_its_original_and_a_deciding_flag(warehouse):
    # nothing is corrected silently: a value that differs from its source's figure has a rule,
    # evidence and the original figure, and the flag mart names the rule as deciding
    silent = warehouse.execute(
        "select count(*) from marts.fct_city_year_indicator "
        "where resolution not in ('kept', 'kept_flagged', 'no_value') "
        "and (resolution_rule is null or resolution_evidence is null or original_value is null)").fetchone()[0]
    assert silent == 0
    unchanged_but_marked = warehouse.execute(
        "select count(*) from marts.fct_city_year_indicator "
        "where resolution in ('kept', 'kept_flagged') and value <> original_value").fetchone()[0]
    assert unchanged_but_marked == 0
    deciding = warehouse.execute(
        "select count(*) from marts.fct_data_quality_flag where is_deciding_rule "
        "and resolution not in ('kept', 'kept_flagged')").fetchone()[0]
    changed = warehouse.execute(
        "select count(*) from marts.fct_city_year_indicator "
        "where resolution not in ('kept', 'kept_flagged', 'no_value')").fetchone()[0]
    assert deciding == changed > 0


def test_fdi_2021_is_one_documented_break_not_silent_jumps(warehouse):
    unexplained_2021 = warehouse.execute(
        "select count(*) from marts.fct_data_quality_flag where indicator_code = 'fdi_usd_m' "
        "and year = 2021 and rule_code = 'unexplained_level_break'").fetchone()[0]
    assert unexplained_2021 == 0
    explained = warehouse.execute(
        "select count(*) from marts.fct_data_quality_flag where indicator_code = 'fdi_usd_m' "
        "and year = 2021 and rule_code = 'explained_level_break' and evidence like '%definition%'").fetchone()[0]
    assert explained > 0


def test_every_quality_mart_column_is_documented_in_the_warehouse(warehouse):
    marts = ("fct_data_quality_flag", "fct_data_quality_summary", "fct_data_quality_nbs36_agreement")
    rows = warehouse.execute(
        "select table_name, column_name, comment from duckdb_columns() "
        "where schema_name = 'marts' and table_name in (select unnest(?))", [list(marts)]).fetchall()
    assert {table for table, _, _ in rows} == set(marts)
    assert [f"{t}.{c}" for t, c, comment in rows if not (comment or "").strip()] == []


def test_wage_benchmark_after_2018_is_the_labelled_median_of_cities(warehouse):
    # the national on-post wage stops in 2018 in the source in hand; the median-of-cities ratio goes on
    national, median_ratio = warehouse.execute(
        "select count(avg_wage_ratio_to_national), count(avg_wage_ratio_to_city_median) "
        "from marts.fct_city_year_panel where year = 2020").fetchone()
    assert national == 0 and median_ratio > 200
    hefei_2014 = warehouse.execute(
        "select value, alternative_values from marts.fct_city_year_indicator "
        "where city_code = '340100' and year = 2014 and indicator_code = 'gdp_per_capita_cny'").fetchone()
    # CSMAR's computed figure is used, the city's own published 67,394 stands beside it, attributed
    assert hefei_2014[0] == pytest.approx(67689, abs=1)
    assert "curated_facts.city_facts_income_industry=67394" in hefei_2014[1]
