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
