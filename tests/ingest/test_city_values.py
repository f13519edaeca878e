"""City-year values: fixture tests for the rules (priority, unit conversion, skips, errors) and
golden figures from the real raw folder."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

from hefei_warehouse import snapshots
from hefei_warehouse.ingest import cities, city_values
from hefei_warehouse.ingest.errors import IngestError

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
from cities_fixture import (  # noqa: E402
    INDUSTRY_HEADER, _excel, industry_rows, write_city_raw, write_city_values_raw,
)

REAL_RAW = Path(__file__).resolve().parents[2] / "snapshots"


@pytest.fixture()
def raw(tmp_path: Path) -> Path:
    return write_city_values_raw(write_city_raw(tmp_path / "raw"))


def _values(raw: Path) -> pd.DataFrame:
    registry = cities.build_registry(raw)
    return city_values.build(raw, registry)["city_year_values"]


def _get(frame, code, year, indicator):
    rows = frame[(frame.city_code == code) & (frame.year == year) & (frame.indicator_code == indicator)]
    return {source: (value, primary) for source, value, primary in
            zip(rows.source_id, rows.value, rows.is_primary)}


def test_shape_and_sorting(raw):
    frame = _values(raw)
    assert list(frame.columns) == city_values.VALUE_COLUMNS
    key = ["city_code", "year", "indicator_code", "source_id"]
    assert frame.equals(frame.sort_values(key, ignore_index=True))
    assert not frame.duplicated(key).any()
    assert (frame.groupby(key[:3])["is_primary"].sum() == 1).all()


def test_priority_rule_picks_the_first_listed_source(raw):
    frame = _values(raw)
    gdp_2012 = _get(frame, "340100", 2012, "gdp_cny_100m")
    assert gdp_2012 == {"gp_industry_structure": (4000.0, True), "csmar_cre_gdpct": (4164.32, False),
                        "ceic_prefecture_wiebe": (4164.3169719, False), "nbs_36cities_gdp": (4164.3, False)}
    # 2011 is only in CSMAR, so CSMAR becomes primary there.
    assert _get(frame, "340100", 2011, "gdp_cny_100m") == {"csmar_cre_gdpct": (3636.62, True)}
    revenue = _get(frame, "340100", 2012, "fiscal_revenue_cny_100m")
    assert revenue["ceic_prefecture_wiebe"][1] and not revenue["nbs_36cities_fiscal_revenue"][1]


def test_every_source_of_an_indicator_has_a_priority():
    registered = set(snapshots.sources_frame().source_id)
    indicators = {i.indicator_code for i in city_values.INDICATORS}
    assert set(city_values.PRIORITY) == indicators
    assert {s for sources in city_values.PRIORITY.values() for s in sources} <= registered


def test_fraction_becomes_percent(raw):
    frame = _values(raw)
    assert _get(frame, "340100", 2012, "primary_share_pct")["gp_industry_structure"] == (5.0, True)
    assert _get(frame, "340100", 2012, "secondary_share_pct")["gp_industry_structure"][0] == 55.0
    assert _get(frame, "340100", 2012, "primary_share_pct")["csmar_cre_gdpct"] == (5.5, False)  # already percent


def test_ten_thousand_yuan_becomes_hundred_million(raw):
    frame = _values(raw)
    assert _get(frame, "340100", 2012, "fiscal_revenue_cny_100m")["ceic_prefecture_wiebe"][0] == 389.4991
    assert _get(frame, "340100", 2012, "gdp_primary_cny_100m")["csmar_cre_gdpct"][0] == 229.05
    assert _get(frame, "110100", 2012, "fiscal_revenue_cny_100m")["ceic_prefecture_wiebe"][0] == 3314.934


def test_persons_become_ten_thousands_and_census_is_its_own_indicator(raw):
    frame = _values(raw)
    assert _get(frame, "340100", 2020, "census_population_10k") == {"census_2010_2020_leiii": (936.9881, True)}
    assert _get(frame, "340100", 2012, "resident_population_10k") == {"gp_resident_population": (757.0, True)}
    assert _get(frame, "340100", 2013, "resident_population_10k") == {}  # interpolated column never read


def test_non_prefecture_rows_are_skipped_and_counted(raw):
    registry = cities.build_registry(raw)
    frame, skipped = city_values.collect(raw, registry)
    assert set(frame.city_code) <= registry.codes
    assert skipped[("gp_fdi", "national or province row")] == 1            # 中国
    assert skipped[("gp_fdi", "unit not a prefecture-level unit that year")] == 1  # county-level 巢湖 in 2012
    assert skipped[("csmar_cre_gdpct", "national or province row")] == 1    # 340000
    assert skipped[("csmar_cre_gdpct", "county-level unit")] == 1           # 340181
    assert skipped[("gp_gdp_2000_base", "national or province row")] == 4   # 海南省 in the city column
    # 济源 (419001): population, urban population and three age shares in each census year
    assert skipped[("census_2010_2020_leiii", "province-administered county group")] == 10
    assert skipped[("census_2010_2020_leiii", "national or province row")] == 2  # Hong Kong
    assert _get(frame, "110100", 2012, "gdp_cny_100m")["gp_industry_structure"][0] == 17000.0  # 110000 → 110100
    assert _get(frame, "341400", 2010, "gdp_cny_100m")["gp_industry_structure"][0] == 700.0
    assert frame["year"].between(2000, 2023).all()  # 1995 and 2024 are outside the window


def test_non_numeric_cell_names_file_row_and_column(raw):
    rows = industry_rows()
    rows[1][5] = "七百"
    _excel(raw / city_values.INDUSTRY_FILE, {"面板数据2000-2023": [INDUSTRY_HEADER, *rows]})
    with pytest.raises(IngestError) as info:
        _values(raw)
    message = str(info.value)
    assert "2000-2023地级市产业结构.xlsx" in message and "row 3" in message
    assert "column 'gdp（亿元人民币）'" in message and "七百" in message


def test_missing_column_is_an_error(raw):
    path = raw / city_values.CSMAR_EMPLOYMENT_FILE
    path.write_text(path.read_text(encoding="utf-8-sig").replace("Eect13", "Eect99"), encoding="utf-8-sig")
    with pytest.raises(IngestError, match=r"CRE_Eplwagct.csv: missing column\(s\) \['Eect13'\]"):
        _values(raw)


def test_unknown_city_name_is_an_error(raw):
    path = raw / city_values.FDI_FILE
    frame = pd.read_excel(path, engine="calamine")
    frame.loc[len(frame)] = [2012, "不存在", 1.0, "百万美元", "统计局"]
    frame.to_excel(path, sheet_name="Sheet1", index=False)
    with pytest.raises(IngestError, match=r"row 6, column '地级市': unknown city name '不存在'"):
        _values(raw)


def test_unknown_prefecture_code_is_an_error(raw):
    rows = industry_rows()
    rows[0][2] = 349900
    _excel(raw / city_values.INDUSTRY_FILE, {"面板数据2000-2023": [INDUSTRY_HEADER, *rows]})
    with pytest.raises(IngestError, match=r"row 2, column '城市代码': unknown prefecture code '349900'"):
        _values(raw)


def test_gb18030_csv_is_an_error(raw):
    path = raw / city_values.CSMAR_GDP_FILE
    path.write_bytes(path.read_text(encoding="utf-8-sig").replace("Hefei(city)", "合肥市").encode("gb18030"))
    with pytest.raises(IngestError, match="CRE_Gdpct.csv, row 2: bytes not valid utf-8-sig"):
        _values(raw)


def test_wrong_fdi_unit_is_an_error(raw):
    path = raw / city_values.FDI_FILE
    frame = pd.read_excel(path, engine="calamine")
    frame.loc[0, "单位"] = "万美元"
    frame.to_excel(path, sheet_name="Sheet1", index=False)
    with pytest.raises(IngestError, match="row 2, column '单位'"):
        _values(raw)


def test_same_source_with_two_values_for_one_city_year_is_an_error(raw):
    rows = industry_rows()
    rows.insert(1, [2012, "合肥市", 340100, "地级市", "安徽省", 4001.0, 200.0, 2200.0, 1600.0, 0.05, 0.55, 0.40, 0.4, 2.35, 0.72])
    _excel(raw / city_values.INDUSTRY_FILE, {"面板数据2000-2023": [INDUSTRY_HEADER, *rows]})
    with pytest.raises(IngestError, match="two different values"):
        _values(raw)


# ---------------------------------------------------------------- the real raw folder


@pytest.fixture(scope="module")
def real() -> pd.DataFrame:
    assert REAL_RAW.is_dir(), f"real raw folder missing at {REAL_RAW}"
    return city_values.build(REAL_RAW, cities.build_registry(REAL_RAW))["city_year_values"]


def _primary(frame, code, year, indicator) -> float:
    rows = frame[(frame.city_code == code) & (frame.year == year) & (frame.indicator_code == indicator)
                 & frame.is_primary]
    assert len(rows) == 1, f"no single primary value for {code} {year} {indicator}"
    return float(rows["value"].iloc[0])


def test_real_golden_figures(real):
    assert _primary(real, "340100", 2012, "gdp_cny_100m") == 4164.32
    assert _primary(real, "340100", 2022, "gdp_cny_100m") == 12013.0
    assert _primary(real, "340100", 2022, "resident_population_10k") == 963.4
    assert abs(_primary(real, "420100", 2022, "gdp_cny_100m") - 18866) <= 1
    assert abs(_primary(real, "340100", 2012, "fiscal_revenue_cny_100m") - 389.4991) < 1e-6
    assert _primary(real, "340100", 2020, "census_population_10k") == 936.9881


def test_real_coverage_targets(real):
    primary = real[real.is_primary]
    cities_per_year = primary.groupby(["indicator_code", "year"])["city_code"].nunique()
    for indicator in ("gdp_cny_100m", "primary_share_pct", "secondary_share_pct", "tertiary_share_pct"):
        assert all(cities_per_year[indicator].get(y, 0) >= 290 for y in range(2005, 2023)), indicator
    assert all(cities_per_year["resident_population_10k"].get(y, 0) >= 280 for y in range(2011, 2023))
    assert all(cities_per_year["avg_wage_cny"].get(y, 0) >= 280 for y in range(2005, 2020))


def test_real_seed_is_consistent(real):
    key = ["city_code", "year", "indicator_code"]
    assert (real.groupby(key)["is_primary"].sum() == 1).all()
    assert real["year"].between(2000, 2023).all()
    assert 100_000 <= len(real) <= 300_000
    gdp_shares = ["primary_share_pct", "secondary_share_pct", "tertiary_share_pct"]
    assert real[real.indicator_code.isin(gdp_shares)]["value"].between(0, 100).all()
    # CSMAR's employment shares exceed 100 in a few city-years: the seed keeps the source's figure,
    # the out_of_range screen sets it aside in the warehouse
    employment = real[real.indicator_code.str.startswith("employment_") & real.indicator_code.str.endswith("_share_pct")]
    assert 0 < (employment["value"] > 100).sum() < 20


def test_loaded_series_in_hand_keep_their_units_and_sources(raw):
    frame = _values(raw)
    # census: persons -> 10k persons, age shares already in percent
    assert _get(frame, "340100", 2020, "census_urban_population_10k")["census_2010_2020_leiii"][0] == pytest.approx(770.9277)
    assert _get(frame, "340100", 2010, "census_age_65_plus_share_pct")["census_2010_2020_leiii"][0] == 9.19
    # CSMAR employment file: wage bill 万元 -> 亿元, sector shares in percent
    assert _get(frame, "340100", 2012, "wage_bill_cny_100m")["csmar_cre_eplwagct"][0] == pytest.approx(516.1141)
    assert _get(frame, "340100", 2012, "employment_tertiary_share_pct")["csmar_cre_eplwagct"][0] == 44.12
    # NBS major-city expenditure and deposits, 亿元
    assert _get(frame, "340100", 2012, "fiscal_expenditure_cny_100m")["nbs_36cities_fiscal_expenditure"][0] == 612.0
    assert _get(frame, "340100", 2012, "household_deposits_cny_100m")["nbs_36cities_household_deposits"][0] == 2054.0
    assert _get(frame, "340100", 2012, "housing_avg_price_cny_per_m2")["nbs_36cities_real_estate"][0] == pytest.approx(6155.908)
    # curated city facts: an attributed alternative beside CSMAR's figure; the province row is skipped
    per_capita = _get(frame, "340100", 2014, "gdp_per_capita_cny")
    assert per_capita["curated_facts.city_facts_income_industry"][0] == 67394.0
    assert not frame["city_code"].eq("370000").any()
