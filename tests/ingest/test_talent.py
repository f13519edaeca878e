"""Universities and science centres: fixture tests plus golden checks on the real raw folder."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

from hefei_warehouse.ingest import cities, talent
from hefei_warehouse.ingest.errors import IngestError

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
from policy_fixture import FakeRegistry  # noqa: E402
from talent_fixture import SCIENCE_ROWS, UNIVERSITY_ROWS, write_science_centres, write_talent_raw, write_universities  # noqa: E402

REAL_RAW = Path(__file__).resolve().parents[2] / "snapshots"


@pytest.fixture()
def raw(tmp_path: Path) -> Path:
    return write_talent_raw(tmp_path / "raw")


def _one(frame: pd.DataFrame, column: str, value) -> pd.Series:
    rows = frame[frame[column] == value]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_universities_fixture(raw):
    frame = talent.build(raw, FakeRegistry())["universities"]
    ustc = _one(frame, "name_zh", "中国科学技术大学")
    assert (ustc.institution_code, ustc.city_code, ustc.province_code, ustc.level) == ("10358", "340100", "340000", "undergraduate")
    assert ustc.is_985 and ustc.is_211 and ustc.is_double_first_class
    assert ustc.double_first_class_category == "university_class_a" and ustc.in_chsi_2021_list
    vocational = _one(frame, "name_zh", "合肥职业技术学院")
    assert vocational.level == "vocational" and not vocational.is_211 and vocational.city_code == "340100"


def test_university_placement_rules(raw):
    frame = talent.build(raw, FakeRegistry())["universities"]
    placed = {r.name_zh: (r.city_code, r.city_resolution, r.province_code, r.listed_province_code)
              for r in frame.itertuples()}
    assert placed["昆山杜克大学"] == ("320500", "county_level_city", "320000", "320000")
    assert placed["仙桃职业学院"] == ("", "province_administered", "420000", "420000")
    assert placed["河北工业大学"] == ("120100", "other_province", "120000", "130000")
    assert placed["莱芜职业技术学院"] == ("370100", "merged_prefecture", "370000", "370000")
    assert placed["重庆三峡职业学院"][:2] == ("500100", "municipality")
    assert placed["南宁学院"] == ("450100", "registry", "450000", "450000")  # 广西省 read as Guangxi


def test_university_skip_rules(raw):
    frame = talent.build(raw, FakeRegistry())["universities"]
    names = set(frame.name_zh)
    assert not {"哈尔滨工业大学(威海校区)", "辽宁科技大学信息技术学院", "测试学校", "tomsk polytechnical university"} & names
    # a duplicated name is kept once: the numbered row
    assert _one(frame, "name_zh", "金陵科技学院").institution_code == "13573"
    # military universities on the tier list but not in the 2023 list add nothing
    assert "第二军医大学" not in names
    assert frame.institution_code.is_unique


def test_unknown_city_is_an_error(tmp_path):
    raw = write_talent_raw(tmp_path / "raw")
    rows = UNIVERSITY_ROWS + [(20, "某某学院", 19999, "本科", "不存在市", "安徽省")]
    write_universities(raw / "universities_moe2023_zhiyin121", rows=rows)
    with pytest.raises(IngestError) as error:
        talent.build(raw, FakeRegistry())
    assert error.value.file.endswith("China_uni_2023.xlsx")
    assert (error.value.row, error.value.column) == (len(rows) + 1, "所属城市")


def test_unrecognised_code_and_level_are_errors(tmp_path):
    raw = write_talent_raw(tmp_path / "raw")
    write_universities(raw / "universities_moe2023_zhiyin121",
                       rows=UNIVERSITY_ROWS + [(20, "某某学院", "X-1", "本科", "合肥市", "安徽省")])
    with pytest.raises(IngestError, match="institution code"):
        talent.build(raw, FakeRegistry())
    write_universities(raw / "universities_moe2023_zhiyin121",
                       rows=UNIVERSITY_ROWS + [(20, "某某学院", 19998, "硕士", "合肥市", "安徽省")])
    with pytest.raises(IngestError) as error:
        talent.build(raw, FakeRegistry())
    assert error.value.column == "学校类型"


def test_science_centres_fixture(raw):
    frame = talent.build(raw, FakeRegistry())["science_centres"]
    hefei = _one(frame, "record_id", "SC002")
    assert (hefei.city_code, hefei.item_type, hefei.approval_date, hefei.approval_year, hefei.date_precision) == (
        "340100", "comprehensive_science_centre", "2017", 2017, "year")
    multi = _one(frame, "record_id", "SC006")
    assert (multi.geography_level, multi.city_code, multi.item_type, multi.status) == ("multi_city", "", "innovation_centre", "approved")
    east = _one(frame, "record_id", "SF001")
    assert (east.metric, east.value, east.approval_date) == ("record_plasma_duration_s", 1066, "2006")
    magnet = _one(frame, "record_id", "SF002")
    assert (magnet.name_zh, magnet.name_en) == ("稳态强磁场实验装置", "Steady High Magnetic Field Facility")
    half = _one(frame, "record_id", "SF005")
    assert (half.approval_date, half.date_precision, half.name_en) == ("2023-06-07", "day", "HALF")
    count = _one(frame, "record_id", "SF007")
    assert (count.metric, count.value, count.as_of, count.approval_date) == ("facility_count", 13, "2025-11", "")
    assert not {"source_quote", "notes"} & set(frame.columns)


def test_science_centre_malformed_cells_are_errors(tmp_path):
    raw = write_talent_raw(tmp_path / "raw")
    bad_date = [dict(r, date="17th of June") if r["record_id"] == "SC002" else r for r in SCIENCE_ROWS]
    write_science_centres(raw / "curated_facts", rows=bad_date)
    with pytest.raises(IngestError) as error:
        talent.build(raw, FakeRegistry())
    assert (error.value.row, error.value.column) == (2, "date")
    bad_count = [dict(r, value="thirteen") if r["record_id"] == "SF007" else r for r in SCIENCE_ROWS]
    write_science_centres(raw / "curated_facts", rows=bad_count)
    with pytest.raises(IngestError) as error:
        talent.build(raw, FakeRegistry())
    assert (error.value.row, error.value.column) == (7, "value")
    no_id = [dict(r, record_id="") if r["record_id"] == "SF007" else r for r in SCIENCE_ROWS]
    write_science_centres(raw / "curated_facts", rows=no_id)
    with pytest.raises(IngestError, match="record without an id") as error:
        talent.build(raw, FakeRegistry())
    assert (error.value.row, error.value.column) == (7, "record_id")


# --------------------------------------------------------------------------- real raw data

@pytest.fixture(scope="module")
def real() -> dict[str, pd.DataFrame]:
    assert REAL_RAW.is_dir(), f"raw data folder expected at {REAL_RAW}"
    return talent.build(REAL_RAW, cities.build_registry(REAL_RAW))


def test_real_ustc_in_hefei(real):
    frame = real["universities"]
    ustc = _one(frame, "name_zh", "中国科学技术大学")
    assert (ustc.institution_code, ustc.city_code, ustc.province_code) == ("10358", "340100", "340000")
    assert ustc.is_985 and ustc.is_211 and ustc.is_double_first_class


def test_real_university_counts(real):
    frame = real["universities"]
    assert frame.is_985.sum() == 39
    assert frame.is_211.sum() == 112          # 114 on the list; two military universities are not in the 2023 list
    assert frame.is_double_first_class.sum() == 137
    hefei = frame[frame.city_code == "340100"]
    assert len(hefei) == 56 and hefei.is_211.sum() == 3   # USTC, Hefei University of Technology, Anhui University
    assert frame.institution_code.is_unique and frame.name_zh.is_unique
    registry_codes = cities.build_registry(REAL_RAW).codes
    placed = frame[frame.city_code != ""]
    assert set(placed.city_code) <= registry_codes
    assert (frame.city_code == "").sum() == (frame.city_resolution == "province_administered").sum()


def test_real_science_centres(real):
    frame = real["science_centres"]
    hefei = frame[(frame.city_code == "340100") & (frame.item_type == "comprehensive_science_centre")]
    assert len(hefei) == 1 and hefei.iloc[0].approval_year == 2017
    assert set(frame[frame.item_type == "comprehensive_science_centre"].city_code) >= {"310100", "340100", "110100"}
    assert frame.source_url.str.match(r"^https?://").all()
