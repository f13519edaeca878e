"""City-year indicator values in long form (seed `city_year_values`), 2000-2023.

One row per (city, year, indicator, source). When several sources carry the same indicator,
exactly one row per (city, year, indicator) is marked `is_primary`, chosen by `PRIORITY`: the
first source in the indicator's list that has a value. The other sources stay as non-primary
rows so the marts can reconcile them. Gaps are simply absent rows; nothing is filled.

Rules
- Whole-city (全市) figures only. Every source used here reports the whole city; urban-district
  (市辖区) figures are not read (CN_Public's population and GDP are urban-district and are left out).
- As-published and revised series never share an indicator: the 296-city file's back-cast
  nominal GDP is `gdp_revised_cny_100m`, its growth index, real GDP and deflator have their own codes.
- Units are converted once, here: 万元 → 亿元 (÷ 10,000), persons → 万人 (÷ 10,000),
  share fractions → percent (× 100). Values keep at most 12 significant digits, which only
  removes binary noise such as 709.0999999999999.
- Rows that are not prefecture-level units are skipped on purpose: national totals (中国),
  provinces and Hong Kong/Macau (codes ending 0000 or a province name), pseudo-prefectures for
  province-administered counties (codes xx90xx), county-level units (codes not ending 00), and a
  prefecture name used in a year when that unit did not exist as a prefecture-level unit (the
  county-level 巢湖市 after 2011, 儋州 before 2015). Anything else that does not resolve is an error.
- Years outside 2000-2023 are not read.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pandas as pd

from .cities import CityRegistry, province_code
from .errors import IngestError
from .model import Indicator
from .readers import ROW, read_csv, read_excel, to_number

FIRST_YEAR, LAST_YEAR = 2000, 2023
VALUE_COLUMNS = ["city_code", "year", "indicator_code", "value", "source_id", "is_primary"]

GP = "gp_thesis_city_panels"
INDUSTRY_FILE = f"{GP}/2000-2023地级市产业结构.xlsx"
GDP2000_FILE = f"{GP}/296个地级市GDP相关数据（以2000年为基期）.xlsx"
POPULATION_FILE = f"{GP}/298个地级市人口密度1998-2024年无缺失.xlsx"
FDI_FILE = f"{GP}/1996-2023年地级市外商直接投资FDI.xlsx"
CSMAR_GDP_FILE = "csmar_cre_city_eileenchen/CRE_Gdpct.csv"
CSMAR_EMPLOYMENT_FILE = "csmar_cre_city_eileenchen/CRE_Eplwagct.csv"
CEIC_FILE = "ceic_prefecture_wiebe/ceic_prefecture_1991_2019.csv"
CENSUS_FILE = "census_2010_2020_leiii/census_city_2010-2020_v1.csv"
NBS36_GDP_FILE = "nbs_36cities_2006_2024_mineyme/gdp.xlsx"
NBS36_REVENUE_FILE = "nbs_36cities_2006_2024_mineyme/city_income.xlsx"
NBS36_EXPENDITURE_FILE = "nbs_36cities_2006_2024_mineyme/city_expenditure.xlsx"
NBS36_DEPOSITS_FILE = "nbs_36cities_2006_2024_mineyme/individual_deposit.xlsx"
CITY_FACTS_FILE = "curated_facts/city_facts_income_industry.csv"
NBS36_REAL_ESTATE_FILE = "nbs_36cities_2006_2024_mineyme/real_estate_raw.csv"

# The raw file behind each source id, for error messages.
SOURCE_FILES = {
    "gp_industry_structure": INDUSTRY_FILE, "gp_gdp_2000_base": GDP2000_FILE,
    "gp_resident_population": POPULATION_FILE, "gp_fdi": FDI_FILE, "csmar_cre_gdpct": CSMAR_GDP_FILE,
    "csmar_cre_eplwagct": CSMAR_EMPLOYMENT_FILE, "ceic_prefecture_wiebe": CEIC_FILE,
    "census_2010_2020_leiii": CENSUS_FILE, "nbs_36cities_gdp": NBS36_GDP_FILE,
    "nbs_36cities_fiscal_revenue": NBS36_REVENUE_FILE, "nbs_36cities_fiscal_expenditure": NBS36_EXPENDITURE_FILE,
    "nbs_36cities_household_deposits": NBS36_DEPOSITS_FILE,
    "curated_facts.city_facts_income_industry": CITY_FACTS_FILE, "nbs_36cities_real_estate": NBS36_REAL_ESTATE_FILE,
}


def _indicator(code, name, unit, description, series_kind, scope="whole_city") -> Indicator:
    return Indicator(code, name, unit, description, scope, series_kind)


INDICATORS = [
    _indicator("gdp_cny_100m", "GDP, current prices, as first published", "100m CNY",
               "Gross regional product of the whole city in the year's prices, as first published in the "
               "yearbooks and bulletins (no later revisions). Level breaks where boundaries changed "
               "(Hefei 2011) and at the 2019 economic-census revision.", "as_published"),
    _indicator("gdp_primary_cny_100m", "Value added, primary industry", "100m CNY",
               "Value added of agriculture, forestry, animal husbandry and fishery, current prices, as first published.",
               "as_published"),
    _indicator("gdp_secondary_cny_100m", "Value added, secondary industry", "100m CNY",
               "Value added of industry and construction, current prices, as first published.", "as_published"),
    _indicator("gdp_tertiary_cny_100m", "Value added, tertiary industry", "100m CNY",
               "Value added of services, current prices, as first published.", "as_published"),
    _indicator("primary_share_pct", "Primary industry share of GDP", "percent",
               "Primary value added as a percent of GDP (the industry file's fractions times 100; CSMAR's "
               "published percentages as the second source).", "as_published"),
    _indicator("secondary_share_pct", "Secondary industry share of GDP", "percent",
               "Secondary value added as a percent of GDP. Drops sharply in 2019 in many cities after the "
               "fourth economic census re-classified activity.", "as_published"),
    _indicator("tertiary_share_pct", "Tertiary industry share of GDP", "percent",
               "Tertiary value added as a percent of GDP.", "as_published"),
    _indicator("gdp_revised_cny_100m", "GDP, current prices, revised series", "100m CNY",
               "Nominal GDP from the 296-city file, which carries later revisions and current-boundary "
               "back-casts. Never compare it year by year with gdp_cny_100m.", "revised"),
    _indicator("real_gdp_index_prev_year_eq_100", "Real GDP index, previous year = 100", "index (previous year = 100)",
               "Real growth index of the revised series (GDP指数): 108.5 means 8.5% real growth.", "revised"),
    _indicator("real_gdp_2000_prices_cny_100m", "Real GDP at 2000 prices", "100m CNY (2000 prices)",
               "The compiler's chain of the revised 2000 GDP and the yearly real index.", "derived"),
    _indicator("gdp_deflator_2000_eq_1", "GDP deflator, 2000 = 1", "index (2000 = 1)",
               "Revised nominal GDP divided by real GDP at 2000 prices, as computed by the compiler. Values "
               "below 0.8 in some resource cities are suspect.", "derived"),
    _indicator("real_gdp_growth_published_pct", "Real GDP growth, as published", "percent",
               "Year-on-year real growth at comparable prices as published in the yearbooks (CSMAR); "
               "not derived from the level series.", "as_published"),
    _indicator("gdp_per_capita_cny", "GDP per capita", "CNY",
               "GDP per resident as published (CSMAR); the yearbooks divide by mean resident population.",
               "as_published"),
    _indicator("resident_population_10k", "Resident population (year end)", "10k persons",
               "Usual residents (常住人口) as published each year; jumps at the 2010 and 2020 censuses. "
               "The compiler's interpolated values are not used.", "as_published"),
    _indicator("census_population_10k", "Census resident population", "10k persons",
               "Usual residents counted by the 2010 and 2020 population censuses, both on 2020 "
               "boundaries; a benchmark for resident_population_10k, not part of it.", "census"),
    _indicator("registered_population_10k", "Registered (hukou) population, year end", "10k persons",
               "Population with local household registration (户籍人口). Lower than residents in cities that "
               "attract migrants.", "as_published"),
    _indicator("employment_10k", "Employed persons in urban units, year end", "10k persons",
               "CSMAR's 'employed persons' (从业人员). Its level (Hefei 2012: 115.6) matches employment "
               "in urban units (单位从业人员), not total employment including farmers and the self-employed; "
               "this reading is ours and unverified against the yearbook label.", "as_published"),
    _indicator("avg_wage_cny", "Average annual wage of employees", "CNY per year",
               "Average wage of on-post staff and workers (在岗职工平均工资). The warehouse's city income "
               "measure: a proxy, because no city-level disposable-income series exists in the raw data; "
               "it covers formal-sector employees only.", "proxy"),
    _indicator("fiscal_revenue_cny_100m", "Local general public budget revenue", "100m CNY",
               "Local general budget revenue of the city government (地方一般公共预算收入); CEIC's 万元 "
               "converted to 亿元, NBS major-city figures already in 亿元.", "as_published"),
    _indicator("fdi_usd_m", "Foreign direct investment actually used", "USD million",
               "Foreign investment actually used as reported by city statistical bureaus. From 2021 many "
               "cities switch to the narrower new FDI definition: a series break, do not compare across it.",
               "as_published"),
]

INDICATORS += [
    _indicator("census_urban_population_10k", "Census urban population", "10k persons",
               "Usual residents living in urban areas (城镇人口) at the 2010 and 2020 censuses, both on 2020 "
               "boundaries. Urbanisation = census_urban_population_10k / census_population_10k.", "census"),
    _indicator("census_age_0_14_share_pct", "Census share of residents aged 0-14", "percent",
               "Percent of usual residents aged 0-14 at the 2010 and 2020 censuses (as published by the "
               "census project).", "census"),
    _indicator("census_age_15_59_share_pct", "Census share of residents aged 15-59", "percent",
               "Percent of usual residents aged 15-59 at the 2010 and 2020 censuses.", "census"),
    _indicator("census_age_65_plus_share_pct", "Census share of residents aged 65 and over", "percent",
               "Percent of usual residents aged 65 and over at the 2010 and 2020 censuses.", "census"),
    _indicator("employment_primary_share_pct", "Employment share, primary industry", "percent",
               "Percent of employed persons (CSMAR 从业人员) working in the primary industry.", "as_published"),
    _indicator("employment_secondary_share_pct", "Employment share, secondary industry", "percent",
               "Percent of employed persons working in the secondary industry.", "as_published"),
    _indicator("employment_tertiary_share_pct", "Employment share, tertiary industry", "percent",
               "Percent of employed persons working in the tertiary industry.", "as_published"),
    _indicator("avg_employees_10k", "Average number of employees", "10k persons",
               "Yearly average number of on-post staff and workers (职工平均人数), the denominator of the "
               "average wage.", "as_published"),
    _indicator("wage_bill_cny_100m", "Total wage bill of employees", "100m CNY",
               "Total wages of on-post staff and workers (职工工资总额); CSMAR's 万元 converted to 亿元.",
               "as_published"),
    _indicator("fiscal_expenditure_cny_100m", "Local general public budget expenditure", "100m CNY",
               "Local general public budget expenditure of the city government (地方一般公共预算支出), NBS "
               "major-city table (36 cities).", "as_published"),
    _indicator("household_deposits_cny_100m", "Household deposits, year end", "100m CNY",
               "Balance of household deposits at year end (住户存款余额), NBS major-city table (36 cities).",
               "as_published"),
    _indicator("city_disposable_income_per_capita_cny", "Disposable income per capita, all residents", "CNY per person",
               "Per capita disposable income of all residents (居民人均可支配收入), from curated city "
               "communiques; a handful of city-years only.", "as_published"),
    _indicator("city_urban_disposable_income_per_capita_cny", "Disposable income per capita, urban residents",
               "CNY per person", "Per capita disposable income of urban residents (城镇居民人均可支配收入), from "
               "curated yearbook tables; a handful of city-years only.", "as_published"),
    _indicator("industrial_output_above_scale_cny_100m", "Gross output of industry above designated size",
               "100m CNY", "Gross output value of industrial enterprises above designated size (规模以上工业总产值), "
               "from curated city communiques.", "as_published"),
    _indicator("real_estate_investment_cny_100m", "Real estate development investment", "100m CNY",
               "Investment in real estate development (房地产开发投资额), NBS major-city table (35-36 cities).",
               "as_published"),
    _indicator("housing_sales_area_10k_m2", "Floor space of commercial housing sold", "10k m2",
               "Floor space of commercial housing sold (商品房销售面积), NBS major-city table.", "as_published"),
    _indicator("housing_avg_price_cny_per_m2", "Average selling price of commercial housing", "CNY per m2",
               "Average selling price of commercial housing (商品房平均销售价格), NBS major-city table.",
               "as_published"),
    _indicator("hightech_manufacturing_share_pct", "High-tech manufacturing share of industry", "percent",
               "High-tech manufacturing as a percent of the value added of industry above designated size, "
               "from curated city communiques.", "as_published"),
]

# The curated city facts' indicator names, and the warehouse indicator each fills.
CITY_FACTS_INDICATORS = {
    "gdp_nominal": "gdp_cny_100m",
    "gdp_real_growth": "real_gdp_growth_published_pct",
    "gdp_per_capita_resident": "gdp_per_capita_cny",
    "all_resident_per_capita_disposable_income": "city_disposable_income_per_capita_cny",
    "urban_per_capita_disposable_income": "city_urban_disposable_income_per_capita_cny",
    "industrial_output_above_scale": "industrial_output_above_scale_cny_100m",
    "hightech_manufacturing_share_of_above_scale_industry_value_added": "hightech_manufacturing_share_pct",
}

# Primary-source rule: for each indicator, the first source in the list that has a value for a
# (city, year) is primary. The order puts the first-published panel with codes first, then the
# other first-published sources, then those known to mix in revised values or to cover few cities.
PRIORITY: dict[str, list[str]] = {
    "gdp_cny_100m": ["gp_industry_structure", "csmar_cre_gdpct", "ceic_prefecture_wiebe", "nbs_36cities_gdp",
                     "curated_facts.city_facts_income_industry"],
    "gdp_primary_cny_100m": ["gp_industry_structure", "csmar_cre_gdpct"],
    "gdp_secondary_cny_100m": ["gp_industry_structure", "csmar_cre_gdpct"],
    "gdp_tertiary_cny_100m": ["gp_industry_structure", "csmar_cre_gdpct"],
    "primary_share_pct": ["gp_industry_structure", "csmar_cre_gdpct"],
    "secondary_share_pct": ["gp_industry_structure", "csmar_cre_gdpct"],
    "tertiary_share_pct": ["gp_industry_structure", "csmar_cre_gdpct"],
    "gdp_revised_cny_100m": ["gp_gdp_2000_base"],
    "real_gdp_index_prev_year_eq_100": ["gp_gdp_2000_base"],
    "real_gdp_2000_prices_cny_100m": ["gp_gdp_2000_base"],
    "gdp_deflator_2000_eq_1": ["gp_gdp_2000_base"],
    "real_gdp_growth_published_pct": ["csmar_cre_gdpct", "curated_facts.city_facts_income_industry"],
    "gdp_per_capita_cny": ["csmar_cre_gdpct", "curated_facts.city_facts_income_industry"],
    "resident_population_10k": ["gp_resident_population"],
    "census_population_10k": ["census_2010_2020_leiii"],
    "registered_population_10k": ["csmar_cre_eplwagct", "ceic_prefecture_wiebe"],
    "employment_10k": ["csmar_cre_eplwagct"],
    "avg_wage_cny": ["csmar_cre_eplwagct"],
    "fiscal_revenue_cny_100m": ["ceic_prefecture_wiebe", "nbs_36cities_fiscal_revenue"],
    "fdi_usd_m": ["gp_fdi"],
    "census_urban_population_10k": ["census_2010_2020_leiii"],
    "census_age_0_14_share_pct": ["census_2010_2020_leiii"],
    "census_age_15_59_share_pct": ["census_2010_2020_leiii"],
    "census_age_65_plus_share_pct": ["census_2010_2020_leiii"],
    "employment_primary_share_pct": ["csmar_cre_eplwagct"],
    "employment_secondary_share_pct": ["csmar_cre_eplwagct"],
    "employment_tertiary_share_pct": ["csmar_cre_eplwagct"],
    "avg_employees_10k": ["csmar_cre_eplwagct"],
    "wage_bill_cny_100m": ["csmar_cre_eplwagct"],
    "fiscal_expenditure_cny_100m": ["nbs_36cities_fiscal_expenditure"],
    "household_deposits_cny_100m": ["nbs_36cities_household_deposits"],
    "city_disposable_income_per_capita_cny": ["curated_facts.city_facts_income_industry"],
    "city_urban_disposable_income_per_capita_cny": ["curated_facts.city_facts_income_industry"],
    "industrial_output_above_scale_cny_100m": ["curated_facts.city_facts_income_industry"],
    "hightech_manufacturing_share_pct": ["curated_facts.city_facts_income_industry"],
    "real_estate_investment_cny_100m": ["nbs_36cities_real_estate"],
    "housing_sales_area_10k_m2": ["nbs_36cities_real_estate"],
    "housing_avg_price_cny_per_m2": ["nbs_36cities_real_estate"],
}

_NATIONAL_NAMES = frozenset({"中国", "全国", "全国合计", "总计"})


# --------------------------------------------------------------------------------------------
# Resolving rows to cities


SKIP = "skip:"  # marker prefix for rows deliberately not read, followed by the reason


class _Resolver:
    """Turns the code or name cells of one raw file into city codes. Rows that are not
    prefecture-level units get a 'skip:<reason>' marker instead; `long` drops them and counts
    the real values so dropped, by source and reason, for the coverage report."""

    def __init__(self, registry: CityRegistry, skips: Counter) -> None:
        self.registry = registry
        self.skips = skips

    def by_code(self, frame: pd.DataFrame, column: str, years: pd.Series, file: Path) -> pd.Series:
        out = []
        for row, cell, year in zip(frame[ROW], frame[column], years):
            text = _code_text(cell)
            if not re.fullmatch(r"\d{6}", text):
                raise IngestError(file, f"city code {text!r} is not 6 digits", row=int(row), column=column,
                                  expected="a 6-digit GB/T 2260 code")
            code = self.registry.try_code_for(text)
            if code is None:
                reason = _non_prefecture_code(text)
                if reason is None:
                    raise IngestError(file, f"unknown prefecture code {text!r}", row=int(row), column=column,
                                      expected="a code in the cities seed (or a province/county code, which is skipped)")
                code = SKIP + reason
            elif not self._alive(code, year):
                code = SKIP + "unit not a prefecture-level unit that year"
            out.append(code)
        return pd.Series(out, index=frame.index, dtype="object")

    def by_name(self, frame: pd.DataFrame, column: str, years: pd.Series, file: Path,
                province_column: str | None = None) -> pd.Series:
        out = []
        provinces = frame[province_column] if province_column else [None] * len(frame)
        for row, cell, year, province in zip(frame[ROW], frame[column], years, provinces):
            name = "" if cell is None or (isinstance(cell, float) and pd.isna(cell)) else str(cell).strip()
            if not name:
                raise IngestError(file, "blank city name", row=int(row), column=column, expected="a city name")
            if name in _NATIONAL_NAMES:
                out.append(SKIP + "national or province row")
                continue
            # City first: 北京/上海/天津/重庆 and 吉林 are city names in a city table.
            code = self.registry.try_code_for(name, year=int(year), province=province)
            if code is None and province_code(name) is not None:
                code = SKIP + "national or province row"
            elif code is None:
                # A known prefecture name in a year the unit did not exist: the county-level
                # namesake (巢湖 after 2011, 儋州 before 2015) or a back-cast for a later unit.
                code_any_year = self.registry.code_for(name, province=province, file=file, row=int(row), column=column)
                if self._alive(code_any_year, year):
                    raise IngestError(file, f"cannot resolve {name!r} in {year}", row=int(row), column=column,
                                      expected="an unambiguous prefecture name")
                code = SKIP + "unit not a prefecture-level unit that year"
            out.append(code)
        return pd.Series(out, index=frame.index, dtype="object")

    def _alive(self, code: str, year: int) -> bool:
        first, last = self.registry.valid_years(code)
        return first <= int(year) and (last is None or int(year) <= last)

    def long(self, frame: pd.DataFrame, codes: pd.Series, years: pd.Series, values: dict[str, pd.Series],
             source_id: str) -> pd.DataFrame:
        """Stack {indicator: values} into long rows, dropping blanks and skipped rows."""
        parts = [pd.DataFrame({"city_code": codes, "year": years, "indicator_code": indicator, "value": series,
                               "source_id": source_id, "_row": frame[ROW]})
                 for indicator, series in values.items()]
        out = pd.concat(parts, ignore_index=True)
        out = out[out["value"].notna() & (out["year"] >= FIRST_YEAR) & (out["year"] <= LAST_YEAR)]
        skipped = out["city_code"].str.startswith(SKIP)
        for reason, count in out.loc[skipped, "city_code"].str[len(SKIP):].value_counts().items():
            self.skips[(source_id, reason)] += int(count)
        out = out[~skipped].copy()
        out["value"] = out["value"].map(_clean)
        return out


def _code_text(cell) -> str:
    if cell is None or (isinstance(cell, float) and pd.isna(cell)):
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    text = str(cell).strip()
    return text[:-2] if re.fullmatch(r"\d+\.0", text) else text


def _non_prefecture_code(code: str) -> str | None:
    """Why a code is deliberately not a city, or None if it should have been one."""
    if code.endswith("0000"):
        return "national or province row"
    if code[2:4] == "90":
        return "province-administered county group"
    if not code.endswith("00"):
        return "county-level unit"
    return None


# --------------------------------------------------------------------------------------------
# Reading helpers


def _years(frame: pd.DataFrame, column: str, file: Path) -> pd.Series:
    out = []
    for row, cell in zip(frame[ROW], frame[column]):
        text = _code_text(cell)
        if not re.fullmatch(r"\d{4}", text):
            raise IngestError(file, f"year {text!r} is not a 4-digit year", row=int(row), column=column,
                              expected="a year such as 2012")
        out.append(int(text))
    return pd.Series(out, index=frame.index, dtype="int64")


def _drop_footer(frame: pd.DataFrame, key_columns: list[str]) -> pd.DataFrame:
    """Excel extracts end with blank rows and an advert line; a row whose key cells are all
    blank is not data. A row with only some key cells blank is kept and fails later."""
    keys = frame[key_columns]
    blank = keys.isna() | keys.astype(str).apply(lambda s: s.str.strip().eq(""))
    return frame[~blank.all(axis=1)]


def _clean(value: float) -> float:
    return float(f"{value:.12g}")


def _in_years(frame: pd.DataFrame, years: pd.Series) -> tuple[pd.DataFrame, pd.Series]:
    keep = (years >= FIRST_YEAR) & (years <= LAST_YEAR)
    return frame[keep], years[keep]


# --------------------------------------------------------------------------------------------
# One reader per raw file


def _industry(raw: Path, resolve: _Resolver) -> pd.DataFrame:
    path = raw / INDUSTRY_FILE
    columns = {"gdp_cny_100m": "gdp（亿元人民币）", "gdp_primary_cny_100m": "第一产业增加值（亿元人民币）",
               "gdp_secondary_cny_100m": "第二产业增加值", "gdp_tertiary_cny_100m": "第三产业增加值"}
    shares = {"primary_share_pct": "第一产业占GDP比重", "secondary_share_pct": "第二产业占GDP比重",
              "tertiary_share_pct": "第三产业占GDP比重"}
    frame = read_excel(path, "面板数据2000-2023", ["年度标识", "城市名称", "城市代码", *columns.values(), *shares.values()])
    frame = _drop_footer(frame, ["年度标识", "城市名称", "城市代码"])
    frame, years = _in_years(frame, _years(frame, "年度标识", path))
    codes = resolve.by_code(frame, "城市代码", years, path)
    values = {ind: to_number(frame, col, path) for ind, col in columns.items()}
    for ind, col in shares.items():
        fraction = to_number(frame, col, path)
        if (fraction > 1).any():
            row = int(frame.loc[fraction[fraction > 1].index[0], ROW])
            raise IngestError(path, "share above 1", row=row, column=col, expected="a fraction between 0 and 1")
        values[ind] = fraction * 100  # fraction -> percent, the one conversion
    return resolve.long(frame, codes, years, values, "gp_industry_structure")


def _gdp_2000_base(raw: Path, resolve: _Resolver) -> pd.DataFrame:
    path = raw / GDP2000_FILE
    columns = {"gdp_revised_cny_100m": "名义GDP", "real_gdp_index_prev_year_eq_100": "GDP指数",
               "real_gdp_2000_prices_cny_100m": "实际GDP", "gdp_deflator_2000_eq_1": "GDP平减指数"}
    frame = read_excel(path, "Sheet1", ["省份", "城市", "年份", *columns.values()])
    frame = _drop_footer(frame, ["省份", "年份"])
    frame, years = _in_years(frame, _years(frame, "年份", path))
    codes = resolve.by_name(frame, "城市", years, path, province_column="省份")
    values = {ind: to_number(frame, col, path) for ind, col in columns.items()}
    return resolve.long(frame, codes, years, values, "gp_gdp_2000_base")


def _resident_population(raw: Path, resolve: _Resolver) -> pd.DataFrame:
    path = raw / POPULATION_FILE
    frame = read_excel(path, "面板数据", ["年份", "城市", "城市代码", "常住人口（万人）"])
    frame = _drop_footer(frame, ["年份", "城市", "城市代码"])
    frame, years = _in_years(frame, _years(frame, "年份", path))
    codes = resolve.by_code(frame, "城市代码", years, path)
    values = {"resident_population_10k": to_number(frame, "常住人口（万人）", path)}
    return resolve.long(frame, codes, years, values, "gp_resident_population")


def _fdi(raw: Path, resolve: _Resolver) -> pd.DataFrame:
    path = raw / FDI_FILE
    frame = read_excel(path, "Sheet1", ["year", "地级市", "外商直接投资", "单位"])
    frame = _drop_footer(frame, ["year", "地级市"])
    frame, years = _in_years(frame, _years(frame, "year", path))
    units = frame["单位"].astype(str).str.strip()
    if (units != "百万美元").any():
        bad = frame[units != "百万美元"].iloc[0]
        raise IngestError(path, f"unit {bad['单位']!r}", row=int(bad[ROW]), column="单位", expected="百万美元 (USD million)")
    codes = resolve.by_name(frame, "地级市", years, path)
    return resolve.long(frame, codes, years, {"fdi_usd_m": to_number(frame, "外商直接投资", path)}, "gp_fdi")


def _csmar_gdp(raw: Path, resolve: _Resolver) -> pd.DataFrame:
    path = raw / CSMAR_GDP_FILE
    columns = {"gdp_cny_100m": "Gdpct01", "primary_share_pct": "Gdpct02", "secondary_share_pct": "Gdpct03",
               "tertiary_share_pct": "Gdpct04", "gdp_per_capita_cny": "GDP_PerCapita",
               "real_gdp_growth_published_pct": "GDPYoY"}
    ten_thousand_cny = {"gdp_primary_cny_100m": "GDP_PrimInd", "gdp_secondary_cny_100m": "GDP_SecInd",
                        "gdp_tertiary_cny_100m": "GDP_TerInd"}
    frame = read_csv(path, ["Sgnyea", "Ctnm_id", *columns.values(), *ten_thousand_cny.values()], encoding="utf-8-sig")
    frame, years = _in_years(frame, _years(frame, "Sgnyea", path))
    codes = resolve.by_code(frame, "Ctnm_id", years, path)
    values = {ind: to_number(frame, col, path) for ind, col in columns.items()}
    for ind, col in ten_thousand_cny.items():
        values[ind] = to_number(frame, col, path) / 10_000  # 万元 -> 亿元
    return resolve.long(frame, codes, years, values, "csmar_cre_gdpct")


def _csmar_employment(raw: Path, resolve: _Resolver) -> pd.DataFrame:
    path = raw / CSMAR_EMPLOYMENT_FILE
    columns = {"registered_population_10k": "Eect01", "employment_10k": "Eect05", "avg_wage_cny": "Eect13",
               "employment_primary_share_pct": "Eect08", "employment_secondary_share_pct": "Eect09",
               "employment_tertiary_share_pct": "Eect10", "avg_employees_10k": "Eect11"}
    frame = read_csv(path, ["Sgnyea", "Ctnm_id", *columns.values(), "Eect12"], encoding="utf-8-sig")
    frame, years = _in_years(frame, _years(frame, "Sgnyea", path))
    codes = resolve.by_code(frame, "Ctnm_id", years, path)
    values = {ind: to_number(frame, col, path) for ind, col in columns.items()}
    values["wage_bill_cny_100m"] = to_number(frame, "Eect12", path) / 10_000  # 万元 -> 亿元
    return resolve.long(frame, codes, years, values, "csmar_cre_eplwagct")


def _ceic(raw: Path, resolve: _Resolver) -> pd.DataFrame:
    path = raw / CEIC_FILE
    frame = read_csv(path, ["prefcode", "year", "gdp_ceic", "pop_ceic", "rev_ceic"])
    frame, years = _in_years(frame, _years(frame, "year", path))
    bad = frame[~frame["prefcode"].str.fullmatch(r"\d{4}")]
    if len(bad):
        raise IngestError(path, f"prefcode {bad['prefcode'].iloc[0]!r} is not 4 digits", row=int(bad[ROW].iloc[0]),
                          column="prefcode", expected="the first 4 digits of a GB/T 2260 code")
    frame = frame.assign(city_code6=frame["prefcode"] + "00")
    codes = resolve.by_code(frame, "city_code6", years, path)
    values = {"gdp_cny_100m": to_number(frame, "gdp_ceic", path),
              "registered_population_10k": to_number(frame, "pop_ceic", path),
              "fiscal_revenue_cny_100m": to_number(frame, "rev_ceic", path) / 10_000}  # 万元 -> 亿元
    return resolve.long(frame, codes, years, values, "ceic_prefecture_wiebe")


def _census(raw: Path, resolve: _Resolver) -> pd.DataFrame:
    path = raw / CENSUS_FILE
    # age shares are published in percent already; populations in persons
    age_shares = {"census_age_0_14_share_pct": "age_0_14", "census_age_15_59_share_pct": "age_15_59",
                  "census_age_65_plus_share_pct": "age_65"}
    wanted = [f"{stem}_{year}" for year in (2010, 2020) for stem in ("popu", "popu_urban", *age_shares.values())]
    frame = read_csv(path, ["city", "city_code", *wanted], encoding="utf-8-sig")
    parts = []
    for year in (2010, 2020):
        years = pd.Series(year, index=frame.index, dtype="int64")
        codes = resolve.by_code(frame, "city_code", years, path)
        values = {"census_population_10k": to_number(frame, f"popu_{year}", path) / 10_000,
                  "census_urban_population_10k": to_number(frame, f"popu_urban_{year}", path) / 10_000}
        values.update({ind: to_number(frame, f"{stem}_{year}", path) for ind, stem in age_shares.items()})
        parts.append(resolve.long(frame, codes, years, values, "census_2010_2020_leiii"))
    return pd.concat(parts, ignore_index=True)


def _city_facts(raw: Path, resolve: _Resolver) -> pd.DataFrame:
    """Long file of hand-curated facts: one row per city, year and indicator, units as named."""
    path = raw / CITY_FACTS_FILE
    frame = read_csv(path, ["city_code", "year", "indicator", "value"])
    unknown = frame[~frame["indicator"].isin(list(CITY_FACTS_INDICATORS))]
    if len(unknown):
        raise IngestError(path, f"unknown indicator {unknown['indicator'].iloc[0]!r}", row=int(unknown[ROW].iloc[0]),
                          column="indicator", expected=f"one of {sorted(CITY_FACTS_INDICATORS)}")
    frame, years = _in_years(frame, _years(frame, "year", path))
    codes = resolve.by_code(frame, "city_code", years, path)
    numbers = to_number(frame, "value", path)
    values = {ind: numbers.where(frame["indicator"] == name) for name, ind in CITY_FACTS_INDICATORS.items()}
    return resolve.long(frame, codes, years, values, "curated_facts.city_facts_income_industry")


def _nbs36_real_estate(raw: Path, resolve: _Resolver) -> pd.DataFrame:
    """Long file: city short name, year and one column per NBS indicator code (units as published)."""
    path = raw / NBS36_REAL_ESTATE_FILE
    columns = {"real_estate_investment_cny_100m": "A0302", "housing_sales_area_10k_m2": "A0309",
               "housing_avg_price_cny_per_m2": "A030B"}
    frame = read_csv(path, ["city", "year", *columns.values()], encoding="utf-8-sig")
    frame, years = _in_years(frame, _years(frame, "year", path))
    codes = resolve.by_name(frame, "city", years, path)
    values = {ind: to_number(frame, col, path) for ind, col in columns.items()}
    return resolve.long(frame, codes, years, values, "nbs_36cities_real_estate")


def _nbs36(raw: Path, resolve: _Resolver, file: str, indicator: str, source_id: str) -> pd.DataFrame:
    """Wide sheet: first column city short name, one column per year, values in 亿元."""
    path = raw / file
    frame = read_excel(path, "Sheet1")
    name_column = frame.columns[1]  # column 0 is the added row number
    year_columns = [c for c in frame.columns[2:]]
    for column in year_columns:
        if not re.fullmatch(r"\d{4}(\.0)?", column):
            raise IngestError(path, f"header {column!r} is not a year", column=column, expected="year columns 2006…2024")
    parts = []
    for column in year_columns:
        year = int(float(column))
        if not FIRST_YEAR <= year <= LAST_YEAR:
            continue
        years = pd.Series(year, index=frame.index, dtype="int64")
        codes = resolve.by_name(frame, name_column, years, path)
        parts.append(resolve.long(frame, codes, years, {indicator: to_number(frame, column, path)}, source_id))
    return pd.concat(parts, ignore_index=True)


# --------------------------------------------------------------------------------------------
# Assembly


def collect(raw_dir: Path, registry: CityRegistry) -> tuple[pd.DataFrame, Counter]:
    """All value rows plus the number of real values skipped on purpose, by (source id, reason)."""
    raw = Path(raw_dir)
    skips: Counter = Counter()
    resolve = _Resolver(registry, skips)
    parts = [
        _industry(raw, resolve),
        _gdp_2000_base(raw, resolve),
        _resident_population(raw, resolve),
        _fdi(raw, resolve),
        _csmar_gdp(raw, resolve),
        _csmar_employment(raw, resolve),
        _ceic(raw, resolve),
        _census(raw, resolve),
        _nbs36(raw, resolve, NBS36_GDP_FILE, "gdp_cny_100m", "nbs_36cities_gdp"),
        _nbs36(raw, resolve, NBS36_REVENUE_FILE, "fiscal_revenue_cny_100m", "nbs_36cities_fiscal_revenue"),
        _nbs36(raw, resolve, NBS36_EXPENDITURE_FILE, "fiscal_expenditure_cny_100m", "nbs_36cities_fiscal_expenditure"),
        _nbs36(raw, resolve, NBS36_DEPOSITS_FILE, "household_deposits_cny_100m", "nbs_36cities_household_deposits"),
        _city_facts(raw, resolve),
        _nbs36_real_estate(raw, resolve),
    ]
    values = pd.concat(parts, ignore_index=True)
    values = _one_row_per_source(values, raw)
    values["is_primary"] = _primary_flags(values)
    values = values.sort_values(["city_code", "year", "indicator_code", "source_id"], ignore_index=True)
    values["year"] = values["year"].astype("int64")
    values["value"] = values["value"].astype("float64")
    return values[VALUE_COLUMNS], skips


def build(raw_dir: Path, registry: CityRegistry) -> dict[str, pd.DataFrame]:
    return {"city_year_values": collect(raw_dir, registry)[0]}


def _one_row_per_source(values: pd.DataFrame, raw: Path) -> pd.DataFrame:
    """A source may list a unit twice in a year (old and new code); identical values collapse,
    different values are a conflict the ingest refuses to guess about."""
    key = ["city_code", "year", "indicator_code", "source_id"]
    duplicated = values[values.duplicated(key, keep=False)]
    for _, group in duplicated.groupby(key):
        if group["value"].nunique() > 1:
            first, second = group.iloc[0], group.iloc[1]
            raise IngestError(raw / SOURCE_FILES[first["source_id"]], f"{first['city_code']} {first['year']} {first['indicator_code']} "
                              f"has two different values ({first['value']} and {second['value']})",
                              row=int(second["_row"]), expected="one value per city and year")
    return values.drop_duplicates(key).drop(columns="_row")


def _primary_flags(values: pd.DataFrame) -> pd.Series:
    unknown = set(zip(values["indicator_code"], values["source_id"])) - {
        (indicator, source) for indicator, sources in PRIORITY.items() for source in sources}
    if unknown:
        raise ValueError(f"no priority rule for {sorted(unknown)}")
    rank = [PRIORITY[i].index(s) for i, s in zip(values["indicator_code"], values["source_id"])]
    ranked = values.assign(_rank=rank)
    best = ranked.groupby(["city_code", "year", "indicator_code"])["_rank"].transform("min")
    return (ranked["_rank"] == best).astype(bool)
