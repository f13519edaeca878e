"""National benchmarks and province-level series.

Seeds:
- `national_benchmarks`: one row per year x indicator x source; exactly one row per
  year x indicator is `is_primary` (rule in `PRIMARY_ORDER`), the others are kept as
  cross-checks so a reader can see where sources disagree (e.g. GDP first release vs
  the revision after the fifth economic census).
- `province_year_values`: all-resident and (old-survey) urban disposable income, R&D and
  patents by province.

Also home of the province table (GB/T 2260 codes with Chinese and English names) that the
talent and policy modules use to resolve province names.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .errors import IngestError
from .model import Indicator
from .readers import ROW, read_csv, read_text

NATIONAL_DIR = "nbs_ceic_national_exports_github"
WDI_DIR = "wdi_datahub_core"
CURATED_DIR = "curated_facts"
PROVINCE_INCOME_DIR = "nbs_province_income_kwl"
TECHME_DIR = "provincial_rd_patents_techme"

FIRST_YEAR, LAST_YEAR = 2000, 2024


# --------------------------------------------------------------------------- provinces

@dataclass(frozen=True)
class Province:
    code: str       # 6-digit GB/T 2260 code
    name_zh: str    # official full name
    short_zh: str   # name without the administrative suffix
    name_en: str    # pinyin name as used in English-language sources


PROVINCES = (
    Province("110000", "北京市", "北京", "Beijing"),
    Province("120000", "天津市", "天津", "Tianjin"),
    Province("130000", "河北省", "河北", "Hebei"),
    Province("140000", "山西省", "山西", "Shanxi"),
    Province("150000", "内蒙古自治区", "内蒙古", "Inner Mongolia"),
    Province("210000", "辽宁省", "辽宁", "Liaoning"),
    Province("220000", "吉林省", "吉林", "Jilin"),
    Province("230000", "黑龙江省", "黑龙江", "Heilongjiang"),
    Province("310000", "上海市", "上海", "Shanghai"),
    Province("320000", "江苏省", "江苏", "Jiangsu"),
    Province("330000", "浙江省", "浙江", "Zhejiang"),
    Province("340000", "安徽省", "安徽", "Anhui"),
    Province("350000", "福建省", "福建", "Fujian"),
    Province("360000", "江西省", "江西", "Jiangxi"),
    Province("370000", "山东省", "山东", "Shandong"),
    Province("410000", "河南省", "河南", "Henan"),
    Province("420000", "湖北省", "湖北", "Hubei"),
    Province("430000", "湖南省", "湖南", "Hunan"),
    Province("440000", "广东省", "广东", "Guangdong"),
    Province("450000", "广西壮族自治区", "广西", "Guangxi"),
    Province("460000", "海南省", "海南", "Hainan"),
    Province("500000", "重庆市", "重庆", "Chongqing"),
    Province("510000", "四川省", "四川", "Sichuan"),
    Province("520000", "贵州省", "贵州", "Guizhou"),
    Province("530000", "云南省", "云南", "Yunnan"),
    Province("540000", "西藏自治区", "西藏", "Tibet"),
    Province("610000", "陕西省", "陕西", "Shaanxi"),
    Province("620000", "甘肃省", "甘肃", "Gansu"),
    Province("630000", "青海省", "青海", "Qinghai"),
    Province("640000", "宁夏回族自治区", "宁夏", "Ningxia"),
    Province("650000", "新疆维吾尔自治区", "新疆", "Xinjiang"),
)
MUNICIPALITY_CODES = {"110000", "120000", "310000", "500000"}

# Spellings seen in the raw files that are not the official names. The OCR typos come from
# the science-and-technology yearbook tables (see provincial_rd_patents_techme/PROVENANCE.md);
# the Xinjiang Production and Construction Corps runs its universities under Xinjiang.
_PROVINCE_ALIASES = {
    "两藏": "540000", "四藏": "540000", "山两": "140000", "内蒙占": "150000",
    "广西省": "450000", "新疆生产建设兵团教育局": "650000", "Xizang": "540000",
    "Inner Mongolia Autonomous Region": "150000",
}


def _province_lookup() -> dict[str, str]:
    lookup = dict(_PROVINCE_ALIASES)
    for p in PROVINCES:
        for name in (p.name_zh, p.short_zh, p.name_en, p.name_en.lower()):
            lookup[name] = p.code
    return lookup


_PROVINCE_BY_NAME = _province_lookup()
PROVINCE_CODES = frozenset(p.code for p in PROVINCES)


def try_province_code(name: str) -> str | None:
    """Province code for a Chinese or English name, ignoring stray spaces; None if unknown."""
    text = str(name).strip()
    if text in _PROVINCE_BY_NAME:
        return _PROVINCE_BY_NAME[text]
    squeezed = re.sub(r"\s+", "", text)
    return _PROVINCE_BY_NAME.get(squeezed) or _PROVINCE_BY_NAME.get(text.lower())


def province_code_for(name: str, file: str | Path, row: int | None, column: str) -> str:
    code = try_province_code(name)
    if code is None:
        raise IngestError(file, f"unknown province {name!r}", row=row, column=column,
                          expected="one of the 31 province-level units (Chinese or English name)")
    return code


# --------------------------------------------------------------------------- parsing helpers

_NUMBER = re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$")


def parse_number(text: object, file: str | Path, row: int | None, column: str) -> float | None:
    """Strict number: blank -> None (a gap); anything that is not a plain number stops the ingest."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return None
    value = str(text).strip().replace(",", "")
    if value == "":
        return None
    if not _NUMBER.match(value):
        raise IngestError(file, f"non-numeric value {value!r}", row=row, column=column, expected="a number")
    return float(value)


def parse_year(text: object, file: str | Path, row: int | None, column: str) -> int:
    """A year label as NBS/CEIC/WDI exports write it: 2019, 2019年, 2019.0."""
    match = re.fullmatch(r"(\d{4})(?:年|\.0)?", str(text).strip())
    if not match:
        raise IngestError(file, f"not a year label {text!r}", row=row, column=column,
                          expected="a 4-digit year such as 2019 or 2019年")
    return int(match.group(1))


def _raw_rows(path: Path) -> list[list[str]]:
    """All CSV rows as lists of text; list index + 1 = the line number a person sees."""
    return list(csv.reader(read_text(path).splitlines()))


# --------------------------------------------------------------------------- sources
# Source ids; what each one is (producer, origin, licence) is in snapshots/<folder>/snapshot.yml.
SRC_GDP_INDEX = "nbs_ceic_national_exports_github.nbs_gdp_index_1978eq100_mkng0"
SRC_POPULATION = "nbs_ceic_national_exports_github.nbs_population_urban_ruiyugao"
SRC_GDP_CURRENT = "nbs_ceic_national_exports_github.nbs_gdp_current_2015_2024_aftermaxq"
SRC_WAGE = "nbs_ceic_national_exports_github.nbs_avg_wage_national_xiehuiaa"
SRC_CEIC_INCOME = "nbs_ceic_national_exports_github.ceic_per_capita_disposable_income_all_residents_frankluhao"
SRC_CEIC_URBANISATION = "nbs_ceic_national_exports_github.ceic_urbanization_rate_resident_frankluhao"
SRC_CEIC_POPULATION = "nbs_ceic_national_exports_github.ceic_population_frankluhao"
SRC_WDI_CPI = "wdi_datahub_core.FP.CPI.TOTL.ZG"
SRC_WDI_DEFLATOR = "wdi_datahub_core.NY.GDP.DEFL.KD.ZG"
SRC_NATIONAL_SERIES = "curated_facts.national_series"
SRC_PROVINCIAL_URBAN = "curated_facts.provincial_urban_income_2005_2012"
SRC_PROVINCE_INCOME = "nbs_province_income_kwl.nbs_province_per_capita_disposable_income_all_residents_2005_2023"
SRC_TECHME_RD = "provincial_rd_patents_techme.RDIntense"
SRC_TECHME_PATENTS = "provincial_rd_patents_techme.RDPatentAuthority"
SRC_TECHME_BUDGET = "provincial_rd_patents_techme.PublicBudget"


# --------------------------------------------------------------------------- indicators

# avg_wage_cny and gdp_cny_100m are also national benchmark codes, with the same meaning and unit
# as at city level; they are registered once, by city_values, so the catalogue has one row per code.
INDICATORS: list[Indicator] = [
    Indicator("urban_disposable_income_per_capita_cny", "Urban residents' per-capita disposable income",
              "CNY per person, current prices",
              "Integrated household survey (urban permanent residents), 2014 onwards. Not comparable with "
              "the old-survey series before 2014: do not compute growth across the break.",
              "national", "as_published"),
    Indicator("urban_disposable_income_per_capita_old_survey_cny",
              "Urban residents' per-capita disposable income, old urban household survey",
              "CNY per person, current prices",
              "Old urban household survey, 2005-2013 (2013 = first release on the old basis). Nationally and "
              "for provinces 2005-2012.", "province", "as_published"),
    Indicator("disposable_income_per_capita_cny", "Per-capita disposable income, all residents",
              "CNY per person, current prices",
              "Integrated household survey, all residents. National values from 2013; provincial values "
              "2005-2023, of which 2005-2012 are NBS back-calculations.", "province", "as_published"),
    Indicator("avg_wage_employed_persons_cny", "Average wage of employed persons in urban non-private units",
              "CNY per person per year",
              "Wider concept than on-post staff (includes e.g. dispatched workers); kept because it covers 2019.",
              "national", "as_published"),
    Indicator("real_gdp_index_1978_eq_100", "Real GDP index", "index, 1978 = 100",
              "Constant-price GDP index before the fifth-census revision.", "national", "as_published"),
    Indicator("real_gdp_growth_pct", "Real GDP growth", "percent, year on year",
              "Computed from the real GDP index (index_t / index_t-1 - 1) x 100; the published rounded "
              "figure is a non-primary row where found.", "national", "derived"),
    Indicator("cpi_inflation_pct", "Consumer price inflation", "percent, year on year",
              "World Bank WDI FP.CPI.TOTL.ZG for China (NBS CPI).", "national", "as_published"),
    Indicator("gdp_deflator_growth_pct", "GDP deflator inflation", "percent, year on year",
              "World Bank WDI NY.GDP.DEFL.KD.ZG for China.", "national", "as_published"),
    Indicator("population_10k", "Year-end resident population", "10k persons",
              "NBS year-end population; CEIC (published in millions, converted x100) fills 2000-2005.",
              "national", "as_published"),
    Indicator("urbanisation_rate_pct", "Urbanisation rate of the resident population", "percent",
              "Published rate (CEIC re-publication of NBS); urban / total population from the NBS export "
              "where the published rate is missing.", "national", "as_published"),
    Indicator("rd_expenditure_cny_100m", "R&D expenditure (gross domestic expenditure on R&D)", "100m CNY",
              "Science and technology yearbook, by province and national total, 2011-2023.",
              "province", "as_published"),
    Indicator("rd_intensity_pct", "R&D intensity", "percent of GDP",
              "R&D expenditure as a share of GDP, by province and national, 2011-2023.", "province", "as_published"),
    Indicator("patents_granted_count", "Domestic patents granted (all types)", "items",
              "Invention, utility-model and design patents granted, by province and national, 2010-2023.",
              "province", "as_published"),
    Indicator("invention_patents_granted_count", "Domestic invention patents granted", "items",
              "Invention patents only (the type that best reflects research output), 2010-2023.",
              "province", "as_published"),
    Indicator("fiscal_science_tech_expenditure_cny_100m",
              "Local general public budget expenditure on science and technology", "100m CNY",
              "Provincial budget spending on S&T, 2010-2023; national total only 2019-2023.",
              "province", "as_published"),
]


# --------------------------------------------------------------------------- readers

def _nbs_wide(path: Path, labels: dict[str, str]) -> list[dict]:
    """NBS `年度数据` layout: a `指标` header row with year labels, then one row per indicator.
    `labels` maps the row label in the file to our indicator code."""
    rows = _raw_rows(path)
    header_line = next((i for i, r in enumerate(rows) if r and r[0].strip() == "指标"), None)
    if header_line is None:
        raise IngestError(path, "no header row starting with 指标", expected="an NBS annual-data export")
    header = rows[header_line]
    years = {j: parse_year(label, path, header_line + 1, f"column {j + 1}")
             for j, label in enumerate(header) if j > 0 and label.strip()}
    found = {r[0].strip(): (i + 1, r) for i, r in enumerate(rows) if r and i > header_line}
    out = []
    for label, code in labels.items():
        if label not in found:
            raise IngestError(path, f"indicator row {label!r} not found", column="指标",
                              expected=f"a row labelled {label!r}")
        line, cells = found[label]
        for j, year in years.items():
            cell = cells[j] if j < len(cells) else ""
            value = parse_number(cell, path, line, header[j])
            if value is not None:
                out.append({"year": year, "indicator_code": code, "value": value})
    return out


def _ceic_series(path: Path, unit: str) -> list[tuple[int, float]]:
    """CEIC layout: metadata rows (one of them `单位`) then `year,value` rows."""
    rows = _raw_rows(path)
    units = [r[1].strip() for r in rows if len(r) > 1 and r[0].strip() == "单位"]
    if units != [unit]:
        raise IngestError(path, f"unit row says {units}", column="单位", expected=f"unit {unit!r}")
    out = []
    for i, r in enumerate(rows):
        if r and re.fullmatch(r"\d{4}", r[0].strip()):
            value = parse_number(r[1] if len(r) > 1 else "", path, i + 1, "value")
            if value is not None:
                out.append((int(r[0]), value))
    if not out:
        raise IngestError(path, "no year,value rows", expected="rows such as 2023,39217.97")
    return out


def _wdi_china(path: Path) -> list[tuple[int, float]]:
    frame = read_csv(path, ["Country Code"])
    china = frame[frame["Country Code"] == "CHN"]
    if len(china) != 1:
        raise IngestError(path, f"{len(china)} rows for country code CHN", column="Country Code",
                          expected="exactly one China row")
    record = china.iloc[0]
    out = []
    for column in frame.columns:
        if re.fullmatch(r"\d{4}", str(column)):
            value = parse_number(record[column], path, int(record[ROW]), column)
            if value is not None:
                out.append((int(column), value))
    return out


def _row(year, code, value, source) -> dict:
    return {"year": int(year), "indicator_code": code, "value": float(value), "source_id": source}


def _national_exports(raw_dir: Path) -> list[dict]:
    folder = raw_dir / NATIONAL_DIR
    rows: list[dict] = []

    index = _nbs_wide(folder / "nbs_gdp_index_1978eq100_mkng0.csv",
                      {"国内生产总值指数(1978年=100)": "real_gdp_index_1978_eq_100"})
    by_year = {r["year"]: r["value"] for r in index}
    for year, value in by_year.items():
        rows.append(_row(year, "real_gdp_index_1978_eq_100", value, SRC_GDP_INDEX))
        if year - 1 in by_year:
            growth = round((value / by_year[year - 1] - 1) * 100, 4)
            rows.append(_row(year, "real_gdp_growth_pct", growth, SRC_GDP_INDEX))

    gdp = _nbs_wide(folder / "nbs_gdp_current_2015_2024_aftermaxq.csv", {"国内生产总值(亿元)": "gdp_cny_100m"})
    rows += [_row(r["year"], r["indicator_code"], r["value"], SRC_GDP_CURRENT) for r in gdp]

    wage = _nbs_wide(folder / "nbs_avg_wage_national_xiehuiaa.csv", {
        "城镇单位在岗职工平均工资(元)": "avg_wage_cny",
        "城镇单位就业人员平均工资(元)": "avg_wage_employed_persons_cny",
    })
    rows += [_row(r["year"], r["indicator_code"], r["value"], SRC_WAGE) for r in wage]

    population = _nbs_wide(folder / "nbs_population_urban_ruiyugao.csv",
                           {"年末总人口(万人)": "population_10k", "城镇人口(万人)": "urban_population_10k"})
    total = {r["year"]: r["value"] for r in population if r["indicator_code"] == "population_10k"}
    urban = {r["year"]: r["value"] for r in population if r["indicator_code"] == "urban_population_10k"}
    for year, value in total.items():
        rows.append(_row(year, "population_10k", value, SRC_POPULATION))
        if year in urban:
            rows.append(_row(year, "urbanisation_rate_pct", round(urban[year] / value * 100, 4), SRC_POPULATION))

    for year, value in _ceic_series(folder / "ceic_per_capita_disposable_income_all_residents_frankluhao.csv", "人民币"):
        if year >= 2013:  # earlier CEIC values are spliced from the old surveys
            rows.append(_row(year, "disposable_income_per_capita_cny", value, SRC_CEIC_INCOME))
    for year, value in _ceic_series(folder / "ceic_urbanization_rate_resident_frankluhao.csv", "%"):
        rows.append(_row(year, "urbanisation_rate_pct", value, SRC_CEIC_URBANISATION))
    for year, value in _ceic_series(folder / "ceic_population_frankluhao.csv", "百万人"):
        rows.append(_row(year, "population_10k", round(value * 100, 6), SRC_CEIC_POPULATION))  # million -> 10k

    for year, value in _wdi_china(raw_dir / WDI_DIR / "FP.CPI.TOTL.ZG.csv"):
        rows.append(_row(year, "cpi_inflation_pct", value, SRC_WDI_CPI))
    for year, value in _wdi_china(raw_dir / WDI_DIR / "NY.GDP.DEFL.KD.ZG.csv"):
        rows.append(_row(year, "gdp_deflator_growth_pct", value, SRC_WDI_DEFLATOR))
    return rows


# Curated national_series indicator -> our code. Rural series are out of scope for the
# benchmarks (no city counterpart); any other name is unexpected and stops the ingest.
_CURATED_CODES = {
    "all_resident_per_capita_disposable_income": "disposable_income_per_capita_cny",
    "gdp_nominal": "gdp_cny_100m",
    "gdp_real_growth": "real_gdp_growth_pct",
    "cpi_inflation": "cpi_inflation_pct",
    "urbanization_rate_resident": "urbanisation_rate_pct",
    "rd_expenditure": "rd_expenditure_cny_100m",
}
_CURATED_SKIPPED = {"rural_per_capita_disposable_income", "rural_per_capita_net_income_old_caliber"}
URBAN_SURVEY_BREAK_YEAR = 2014  # first year of the integrated household survey for urban income


def _curated_national(raw_dir: Path) -> list[dict]:
    path = raw_dir / CURATED_DIR / "national_series.csv"
    frame = read_csv(path, ["indicator", "year", "value", "unit", "source_url"])
    rows = []
    for record in frame.to_dict("records"):
        line, name = record[ROW], record["indicator"].strip()
        year = parse_year(record["year"], path, line, "year")
        value = parse_number(record["value"], path, line, "value")
        if name in _CURATED_SKIPPED or value is None:
            continue  # out of scope, or searched for and not found: a gap stays a gap
        if name == "urban_per_capita_disposable_income":
            code = ("urban_disposable_income_per_capita_cny" if year >= URBAN_SURVEY_BREAK_YEAR
                    else "urban_disposable_income_per_capita_old_survey_cny")
        elif name in _CURATED_CODES:
            code = _CURATED_CODES[name]
        else:
            raise IngestError(path, f"unknown indicator {name!r}", row=line, column="indicator",
                              expected=f"one of {sorted([*_CURATED_CODES, *_CURATED_SKIPPED, 'urban_per_capita_disposable_income'])}")
        rows.append({**_row(year, code, value, SRC_NATIONAL_SERIES), "_file": path, "_line": line})
    return rows


def _techme(raw_dir: Path) -> list[dict]:
    """Province and national rows of the few science-and-technology series we keep."""
    wanted = [
        (SRC_TECHME_RD, "RDIntense.csv", {("RD经费", "亿元"): "rd_expenditure_cny_100m",
                                          ("RD强度", "%"): "rd_intensity_pct"}),
        (SRC_TECHME_PATENTS, "RDPatentAuthority.csv", {("合计", "件"): "patents_granted_count",
                                                       ("发明", "件"): "invention_patents_granted_count"}),
        (SRC_TECHME_BUDGET, "PublicBudget.csv", {("科学技术", "亿元"): "fiscal_science_tech_expenditure_cny_100m"}),
    ]
    rows = []
    for source, name, items in wanted:
        path = raw_dir / TECHME_DIR / name
        frame = read_csv(path, ["province", "year", "chn_block4", "value", "units"])
        for record in frame.to_dict("records"):
            item = (record["chn_block4"].strip(), record["units"].strip())
            if item[0] not in {k[0] for k in items}:
                continue
            line = record[ROW]
            if item not in items:
                raise IngestError(path, f"unit {item[1]!r} for item {item[0]!r}", row=line, column="units",
                                  expected=f"units {[k[1] for k in items if k[0] == item[0]]}")
            label = re.sub(r"\s+", "", record["province"])
            province = "national" if label == "全国" else province_code_for(label, path, line, "province")
            value = parse_number(record["value"], path, line, "value")
            if value is None:
                continue
            rows.append({"province_code": province, "year": parse_year(record["year"], path, line, "year"),
                         "indicator_code": items[item], "value": value, "source_id": source,
                         "_file": path, "_line": line})
    return rows


def _province_income(raw_dir: Path) -> list[dict]:
    path = raw_dir / PROVINCE_INCOME_DIR / "nbs_province_per_capita_disposable_income_all_residents_2005_2023.csv"
    frame = read_csv(path, ["地区"])
    year_columns = {c: parse_year(c, path, 1, c) for c in frame.columns if c not in (ROW, "地区")}
    rows = []
    for record in frame.to_dict("records"):
        line = record[ROW]
        code = province_code_for(record["地区"], path, line, "地区")
        for column, year in year_columns.items():
            value = parse_number(record[column], path, line, column)
            if value is not None:
                rows.append({"province_code": code, "year": year, "indicator_code": "disposable_income_per_capita_cny",
                             "value": value, "source_id": SRC_PROVINCE_INCOME, "_file": path, "_line": line})
    return rows


def _provincial_urban_income(raw_dir: Path) -> list[dict]:
    path = raw_dir / CURATED_DIR / "provincial_urban_income_2005_2012.csv"
    frame = read_csv(path, ["province", "province_code", "year", "indicator", "value"])
    rows = []
    for record in frame.to_dict("records"):
        line = record[ROW]
        if record["indicator"].strip() != "urban_per_capita_disposable_income":
            raise IngestError(path, f"unexpected indicator {record['indicator']!r}", row=line, column="indicator",
                              expected="urban_per_capita_disposable_income")
        code = record["province_code"].strip()
        by_name = province_code_for(record["province"], path, line, "province")
        if code != by_name:
            raise IngestError(path, f"province_code {code!r} does not match province {record['province']!r}",
                              row=line, column="province_code", expected=by_name)
        value = parse_number(record["value"], path, line, "value")
        if value is not None:
            rows.append({"province_code": code, "year": parse_year(record["year"], path, line, "year"),
                         "indicator_code": "urban_disposable_income_per_capita_old_survey_cny", "value": value,
                         "source_id": SRC_PROVINCIAL_URBAN, "_file": path, "_line": line})
    return rows


# --------------------------------------------------------------------------- primary rule

# For each indicator, sources in order of preference; the first source with a value for a year
# is primary. Machine-readable exports of the statistical database come first; the
# hand-transcribed page figures are primary only where no export covers the year.
PRIMARY_ORDER: dict[str, list[str]] = {
    "urban_disposable_income_per_capita_cny": [SRC_NATIONAL_SERIES],
    "urban_disposable_income_per_capita_old_survey_cny": [SRC_NATIONAL_SERIES],
    "disposable_income_per_capita_cny": [SRC_CEIC_INCOME, SRC_NATIONAL_SERIES],
    "avg_wage_cny": [SRC_WAGE],
    "avg_wage_employed_persons_cny": [SRC_WAGE],
    "gdp_cny_100m": [SRC_GDP_CURRENT, SRC_NATIONAL_SERIES],
    "real_gdp_index_1978_eq_100": [SRC_GDP_INDEX],
    "real_gdp_growth_pct": [SRC_GDP_INDEX, SRC_NATIONAL_SERIES],
    "cpi_inflation_pct": [SRC_WDI_CPI, SRC_NATIONAL_SERIES],
    "gdp_deflator_growth_pct": [SRC_WDI_DEFLATOR],
    "population_10k": [SRC_POPULATION, SRC_CEIC_POPULATION],
    "urbanisation_rate_pct": [SRC_CEIC_URBANISATION, SRC_POPULATION, SRC_NATIONAL_SERIES],
    "rd_expenditure_cny_100m": [SRC_TECHME_RD, SRC_NATIONAL_SERIES],
    "rd_intensity_pct": [SRC_TECHME_RD],
    "patents_granted_count": [SRC_TECHME_PATENTS],
    "invention_patents_granted_count": [SRC_TECHME_PATENTS],
    "fiscal_science_tech_expenditure_cny_100m": [SRC_TECHME_BUDGET],
}


def _dedupe(rows: list[dict], key: list[str]) -> list[dict]:
    """One row per key. A repeated key with the same value (one figure confirmed by two pages)
    collapses; a repeated key with a different value is a conflict inside one source."""
    seen: dict[tuple, dict] = {}
    for row in rows:
        k = tuple(row[c] for c in key)
        if k in seen:
            if not math.isclose(seen[k]["value"], row["value"], rel_tol=1e-12):
                raise IngestError(row.get("_file", "raw data"), f"two different values for {dict(zip(key, k))}: "
                                  f"{seen[k]['value']} and {row['value']}", row=row.get("_line"), column="value",
                                  expected="one value per year and indicator within a source")
            continue
        seen[k] = row
    return list(seen.values())


def national_benchmarks(raw_dir: Path) -> pd.DataFrame:
    rows = _national_exports(raw_dir) + _curated_national(raw_dir)
    rows += [{**r, "province_code": None} for r in _techme(raw_dir) if r["province_code"] == "national"]
    rows = [r for r in rows if FIRST_YEAR <= r["year"] <= LAST_YEAR]
    rows = _dedupe(rows, ["year", "indicator_code", "source_id"])
    frame = pd.DataFrame(rows, columns=["year", "indicator_code", "value", "source_id"])
    rank = {(code, source): i for code, order in PRIMARY_ORDER.items() for i, source in enumerate(order)}
    unranked = set(zip(frame.indicator_code, frame.source_id)) - set(rank)
    if unranked:
        raise ValueError(f"no primary-source rule for {sorted(unranked)}")
    frame["_rank"] = [rank[k] for k in zip(frame.indicator_code, frame.source_id)]
    frame = frame.sort_values(["year", "indicator_code", "_rank"], ignore_index=True)
    frame["is_primary"] = ~frame.duplicated(["year", "indicator_code"])
    frame = frame.drop(columns="_rank")
    frame["year"] = frame["year"].astype("int64")
    return frame[["year", "indicator_code", "value", "source_id", "is_primary"]]


def province_year_values(raw_dir: Path) -> pd.DataFrame:
    rows = _province_income(raw_dir) + _provincial_urban_income(raw_dir)
    rows += [r for r in _techme(raw_dir) if r["province_code"] != "national"]
    rows = _dedupe(rows, ["province_code", "year", "indicator_code", "source_id"])
    frame = pd.DataFrame(rows, columns=["province_code", "year", "indicator_code", "value", "source_id"])
    frame["year"] = frame["year"].astype("int64")
    return frame.sort_values(["province_code", "indicator_code", "year", "source_id"], ignore_index=True)


def build(raw_dir: Path, registry=None) -> dict[str, pd.DataFrame]:
    """National and provincial series need no city registry; the argument keeps the module interface."""
    raw_dir = Path(raw_dir)
    return {"national_benchmarks": national_benchmarks(raw_dir),
            "province_year_values": province_year_values(raw_dir)}
