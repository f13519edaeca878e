"""The indicators shown when a city is set beside Hefei, by the CLI and by the report alike.

Each row: label, the city's column in marts.fct_city_vs_hefei, Hefei's column for the same
year, Hefei's column at the same stage (None where the mart has no such figure), and the
number of decimals to show.
"""

from __future__ import annotations

BESIDE_HEFEI = [
    ("GDP, 100m CNY", "gdp_cny_100m", "hefei_gdp_cny_100m", "hefei_same_stage_gdp_cny_100m", 0),
    ("GDP per resident, CNY", "gdp_per_resident_cny", "hefei_gdp_per_resident_cny", None, 0),
    ("GDP per resident, 2023 prices", "gdp_per_resident_2023_prices_cny", None, "hefei_same_stage_gdp_per_resident_2023_prices_cny", 0),
    ("Resident population, 10k", "resident_population_10k", "hefei_resident_population_10k", "hefei_same_stage_resident_population_10k", 1),
    ("Secondary share, %", "secondary_share_pct", "hefei_secondary_share_pct", "hefei_same_stage_secondary_share_pct", 1),
    ("Tertiary share, %", "tertiary_share_pct", "hefei_tertiary_share_pct", "hefei_same_stage_tertiary_share_pct", 1),
    ("Real GDP growth, %", "real_gdp_growth_pct", "hefei_real_gdp_growth_pct", "hefei_same_stage_real_gdp_growth_pct", 1),
    ("Avg wage / national avg wage", "avg_wage_ratio_to_national", "hefei_avg_wage_ratio_to_national", "hefei_same_stage_avg_wage_ratio_to_national", 2),
    ("Fiscal revenue per resident, CNY", "fiscal_revenue_per_capita_cny", "hefei_fiscal_revenue_per_capita_cny", "hefei_same_stage_fiscal_revenue_per_capita_cny", 0),
]

HEFEI = "340100"


def stage_sentence(year, stage_year, years_behind, position) -> str:
    """How a city's GDP per resident (2023 prices) in `year` sits on Hefei's path, in words.

    A city richer than Hefei has ever been is "above Hefei's range": no Hefei year matches it,
    so it is not called "closest to" Hefei's latest year."""
    if stage_year is None:
        return "Same stage: no match (GDP per resident missing)."
    if position == "above_hefei_range":
        return (f"Same stage: above Hefei's range. GDP per resident (2023 prices) in {year} is higher than "
                f"Hefei's in any year (its highest, {stage_year}): ahead of Hefei's whole path.")
    if position == "below_hefei_range":
        return (f"Same stage: below Hefei's range. GDP per resident (2023 prices) in {year} is lower than "
                f"Hefei's in any recorded year (its lowest, {stage_year}).")
    sentence = f"Same stage: GDP per resident (2023 prices) in {year} closest to Hefei's in {stage_year}"
    if years_behind is None:
        return sentence + "."
    if years_behind > 0:
        return sentence + f": {years_behind} year{'s' if years_behind != 1 else ''} behind Hefei."
    if years_behind < 0:
        return sentence + f": {-years_behind} year{'s' if years_behind != -1 else ''} ahead of Hefei."
    return sentence + ": level with Hefei."


def latest_values(con, city_code: str, up_to_year: int, columns: list[str]) -> dict[str, tuple]:
    """Column -> (value, year): the latest value at or before up_to_year in marts.fct_city_vs_hefei.

    A figure missing in the year asked for is shown from the latest earlier year that has one,
    labelled with that year (e.g. the wage ratio, whose national benchmark ends earlier),
    never left as a bare blank and never presented as the year asked for."""
    # One query for all columns: for each, the value and year of its latest non-null row.
    picks = ", ".join(
        f"arg_max({c}, year) filter (where {c} is not null), max(year) filter (where {c} is not null)" for c in columns
    )
    row = con.execute(
        f"select {picks} from marts.fct_city_vs_hefei where city_code = ? and year <= ?", [city_code, up_to_year]
    ).fetchone()
    return {column: (row[2 * i], row[2 * i + 1]) for i, column in enumerate(columns)}


def beside_hefei(con, city_code: str, year: int, stage_year: int | None) -> list[dict]:
    """The BESIDE_HEFEI rows for one city and year: each value with the year it is from.

    Hefei's figures come from Hefei's own rows (the same year, and its same-stage year)."""
    columns = [c for _, c, _, _, _ in BESIDE_HEFEI]
    city = latest_values(con, city_code, year, columns)
    hefei = latest_values(con, HEFEI, year, columns)
    stage = latest_values(con, HEFEI, stage_year, columns) if stage_year is not None else {}
    return [
        {"label": label, "column": column, "digits": digits,
         "city": city[column], "hefei": hefei[column], "stage": stage.get(column, (None, None))}
        for label, column, _, _, digits in BESIDE_HEFEI
    ]


def year_ranges(years: list[int]) -> str:
    """[2000, 2001, 2002, 2005] -> '2000-2002, 2005'."""
    spans: list[list[int]] = []
    for year in sorted(set(years)):
        if spans and year == spans[-1][1] + 1:
            spans[-1][1] = year
        else:
            spans.append([year, year])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)


def stage_sentence_zh(year, stage_year, years_behind, position) -> str:
    """stage_sentence in Chinese, for the report's Chinese view."""
    if stage_year is None:
        return "同一发展阶段：无法匹配（缺少人均地区生产总值）。"
    if position == "above_hefei_range":
        return f"同一发展阶段：高于合肥的范围。{year}年人均地区生产总值（2023年价格）高于合肥历年最高水平（{stage_year}年）。"
    if position == "below_hefei_range":
        return f"同一发展阶段：低于合肥的范围。{year}年人均地区生产总值（2023年价格）低于合肥有记录以来的最低水平（{stage_year}年）。"
    sentence = f"同一发展阶段：{year}年人均地区生产总值（2023年价格）与合肥{stage_year}年最接近"
    if years_behind is None:
        return sentence + "。"
    if years_behind > 0:
        return sentence + f"，落后合肥{years_behind}年。"
    if years_behind < 0:
        return sentence + f"，领先合肥{-years_behind}年。"
    return sentence + "，与合肥同步。"
