"""National benchmarks and province series: fixture tests plus golden checks on the real raw folder."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

from hefei_warehouse import snapshots
from hefei_warehouse.ingest import national
from hefei_warehouse.ingest.errors import IngestError
from hefei_warehouse.ingest.writer import _format

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
from national_fixture import write_national_raw  # noqa: E402

REAL_RAW = Path(__file__).resolve().parents[2] / "snapshots"


@pytest.fixture()
def raw(tmp_path: Path) -> Path:
    return write_national_raw(tmp_path / "raw")


def _value(frame, year, code, *, primary=True, source=None):
    rows = frame[(frame.year == year) & (frame.indicator_code == code)]
    rows = rows[rows.is_primary] if primary else rows
    if source:
        rows = rows[rows.source_id.str.contains(source, regex=False)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_fixture_national_benchmarks(raw):
    frame = national.build(raw)["national_benchmarks"]
    assert list(frame.columns) == ["year", "indicator_code", "value", "source_id", "is_primary"]
    # one primary per year x indicator
    assert frame[frame.is_primary].duplicated(["year", "indicator_code"]).sum() == 0
    assert set(frame.groupby(["year", "indicator_code"]).is_primary.sum()) == {1}
    # the survey break: 2013 old survey, 2022 integrated survey, separate indicators
    assert _value(frame, 2013, "urban_disposable_income_per_capita_old_survey_cny").value == 26955
    assert _value(frame, 2022, "urban_disposable_income_per_capita_cny").value == 49283
    assert frame[(frame.indicator_code == "urban_disposable_income_per_capita_cny") & (frame.year == 2013)].empty
    # the revised GDP export is primary; the first release is kept beside it
    assert _value(frame, 2023, "gdp_cny_100m").value == 1294271.7
    first_release = _value(frame, 2023, "gdp_cny_100m", primary=False, source="national_series")
    assert first_release.value == 1260582 and not first_release.is_primary
    # growth computed from the index; CEIC population converted from millions to 10k persons
    assert _value(frame, 2023, "real_gdp_growth_pct").value == pytest.approx(5.2496, abs=1e-4)
    assert _value(frame, 2005, "population_10k").value == pytest.approx(130756)
    # the NBS export is preferred over CEIC where both exist
    assert "ruiyugao" in _value(frame, 2023, "population_10k").source_id
    # published urbanisation rate preferred; the computed one kept as a cross-check
    assert _value(frame, 2023, "urbanisation_rate_pct").value == 66.16
    assert _value(frame, 2024, "urbanisation_rate_pct").value == pytest.approx(94350 / 140828 * 100, abs=1e-4)
    # CEIC's back-extended pre-2013 income is not used; the curated 2024 figure fills the year
    assert frame[(frame.indicator_code == "disposable_income_per_capita_cny") & (frame.year == 2012)].empty
    assert _value(frame, 2024, "disposable_income_per_capita_cny").value == 41314
    # gaps stay gaps: blank on-post wage 2019, NOT FOUND rows, out-of-scope rural series
    assert frame[(frame.indicator_code == "avg_wage_cny") & (frame.year == 2019)].empty
    assert _value(frame, 2019, "avg_wage_employed_persons_cny").value == 90501
    assert not frame.indicator_code.str.startswith("rural").any()
    # a page figure confirmed twice is one row
    assert len(frame[(frame.year == 2022) & (frame.indicator_code == "urban_disposable_income_per_capita_cny")]) == 1
    assert _value(frame, 2022, "cpi_inflation_pct").value == pytest.approx(1.9736, abs=1e-4)
    assert _value(frame, 2022, "rd_expenditure_cny_100m").value == 30782.9


def test_fixture_province_values(raw):
    frame = national.build(raw)["province_year_values"]
    assert list(frame.columns) == ["province_code", "year", "indicator_code", "value", "source_id"]
    got = {(r.province_code, r.year, r.indicator_code): r.value for r in frame.itertuples()}
    assert got[("340000", 2023, "disposable_income_per_capita_cny")] == 34893
    assert got[("340000", 2012, "urban_disposable_income_per_capita_old_survey_cny")] == 21024
    assert got[("340000", 2021, "patents_granted_count")] == 153475   # '安   徽' with OCR spaces
    assert got[("140000", 2021, "invention_patents_granted_count")] == 4000  # OCR typo 山两 = 山西
    assert got[("340000", 2022, "fiscal_science_tech_expenditure_cny_100m")] == 507.56
    assert "national" not in set(frame.province_code)
    assert not frame.indicator_code.isin(["外观设计"]).any()


def test_non_numeric_cell_names_file_row_column(raw):
    path = raw / "nbs_ceic_national_exports_github" / "nbs_avg_wage_national_xiehuiaa.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("82413", "8241x"), encoding="utf-8")
    with pytest.raises(IngestError) as error:
        national.build(raw)
    assert error.value.file.endswith("nbs_avg_wage_national_xiehuiaa.csv")
    assert error.value.row == 4 and error.value.column == "2018年"


def test_unknown_province_is_an_error(raw):
    path = raw / "nbs_province_income_kwl" / "nbs_province_per_capita_disposable_income_all_residents_2005_2023.csv"
    path.write_text(path.read_text(encoding="utf-8") + "火星省,1,2\n", encoding="utf-8")
    with pytest.raises(IngestError) as error:
        national.build(raw)
    assert error.value.row == 4 and error.value.column == "地区"


def test_unit_change_in_ceic_export_is_an_error(raw):
    path = raw / "nbs_ceic_national_exports_github" / "ceic_population_frankluhao.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("百万人", "千人"), encoding="utf-8")
    with pytest.raises(IngestError, match="unit"):
        national.build(raw)


def test_conflicting_values_within_one_source_are_an_error(raw):
    path = raw / "curated_facts" / "national_series.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("49283,CNY,http://a.example/3", "49284,CNY,http://a.example/3"),
                    encoding="utf-8")
    with pytest.raises(IngestError, match="two different values"):
        national.build(raw)


def test_unknown_curated_indicator_is_an_error(raw):
    path = raw / "curated_facts" / "national_series.csv"
    path.write_text(path.read_text(encoding="utf-8") + "gini,2020,0.47,index,http://a.example,q,n\n", encoding="utf-8")
    with pytest.raises(IngestError) as error:
        national.build(raw)
    assert error.value.column == "indicator" and error.value.row == 9


def test_province_codes_and_indicators_are_consistent():
    assert len(national.PROVINCES) == 31 and len(national.PROVINCE_CODES) == 31
    codes = [i.indicator_code for i in national.INDICATORS]
    assert len(codes) == len(set(codes))
    registered = set(snapshots.sources_frame().source_id)
    assert {s for order in national.PRIMARY_ORDER.values() for s in order} <= registered


# --------------------------------------------------------------------------- real raw data

@pytest.fixture(scope="module")
def real() -> dict[str, pd.DataFrame]:
    assert REAL_RAW.is_dir(), f"raw data folder expected at {REAL_RAW}"
    return national.build(REAL_RAW)


def test_real_golden_values(real):
    frame = real["national_benchmarks"]
    assert _value(frame, 2022, "urban_disposable_income_per_capita_cny").value == 49283
    assert _value(frame, 2022, "disposable_income_per_capita_cny").value == pytest.approx(36883.28, abs=0.01)
    assert _value(frame, 2011, "avg_wage_cny").value == 42452
    assert _value(frame, 2023, "urbanisation_rate_pct").value == 66.16
    assert _value(frame, 2022, "rd_expenditure_cny_100m").value == 30782.9
    assert _value(frame, 2022, "rd_intensity_pct").value == 2.54
    assert _value(frame, 2008, "cpi_inflation_pct").value == pytest.approx(5.9253, abs=1e-4)
    assert _value(frame, 2012, "real_gdp_growth_pct").value == pytest.approx(7.86, abs=0.01)
    assert frame.year.between(2000, 2024).all()
    assert set(frame.groupby(["year", "indicator_code"]).is_primary.sum()) == {1}
    registered = set(snapshots.sources_frame().source_id)
    assert set(frame.source_id) <= registered


def test_real_province_values(real):
    frame = real["province_year_values"]
    got = {(r.province_code, r.year, r.indicator_code): r.value for r in frame.itertuples()}
    assert got[("340000", 2023, "disposable_income_per_capita_cny")] == 34893
    assert got[("310000", 2019, "disposable_income_per_capita_cny")] == 69442
    assert got[("330000", 2012, "urban_disposable_income_per_capita_old_survey_cny")] == 34550
    assert got[("340000", 2022, "rd_expenditure_cny_100m")] == 1152.5
    assert got[("340000", 2021, "patents_granted_count")] == 153475
    assert frame.province_code.nunique() == 31
    assert not frame.duplicated(["province_code", "year", "indicator_code", "source_id"]).any()


def test_real_output_is_deterministic(real):
    again = national.build(REAL_RAW)
    for name, frame in real.items():
        assert _format(frame) == _format(again[name])
