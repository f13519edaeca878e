-- One row per city and year (2000-2023, the full spine) with the primary value of each city
-- indicator side by side, plus the ratios the marts need. Derived figures are computed here
-- once, from primary values of the same city and year; a missing input gives a null, never a fill.
{% set pivoted_indicators = [
    'gdp_cny_100m', 'gdp_per_capita_cny', 'gdp_primary_cny_100m', 'gdp_secondary_cny_100m',
    'gdp_tertiary_cny_100m', 'primary_share_pct', 'secondary_share_pct', 'tertiary_share_pct',
    'gdp_revised_cny_100m', 'real_gdp_index_prev_year_eq_100', 'real_gdp_2000_prices_cny_100m',
    'real_gdp_growth_published_pct', 'resident_population_10k', 'registered_population_10k',
    'census_population_10k', 'employment_10k', 'avg_wage_cny', 'fiscal_revenue_cny_100m', 'fdi_usd_m',
    'census_urban_population_10k', 'census_age_65_plus_share_pct', 'employment_tertiary_share_pct',
    'wage_bill_cny_100m', 'fiscal_expenditure_cny_100m', 'household_deposits_cny_100m',
] %}

with spined as (
    select * from {{ ref('int_city_year_indicators_spined') }}
),

national as (
    select * from {{ ref('int_national_years_pivoted') }}
),

-- A second, clearly named wage benchmark for every year: the median of the screened average
-- wages of all cities that year. The national on-post wage stops in 2018 in the source in hand,
-- so the ratio to the national wage is blank from 2019; this one is not. Unflagged values only.
city_median_wage as (
    select
        year,
        {{ index_quantile('value', 0.5) }} as city_median_avg_wage_cny
    from spined
    where indicator_code = 'avg_wage_cny'
        and value is not null
        and not is_suspect_value
    group by year
),

-- values flagged by int_city_year_values_screened, so the panel can warn about them. Listed
-- from the flagged rows alone: an ordered list over every spine row keeps all of them in memory,
-- which at county scale is most of the model's time.
suspect_lists as (
    select
        city_code,
        year,
        {{ dbt.listagg("indicator_code", "', '", "order by indicator_code") }} as suspect_indicators
    from spined
    where is_suspect_value
    group by city_code, year
),

pivoted as (
    select
        city_code,
        year,
        max(unit_status) as unit_status,
        {%- for indicator in pivoted_indicators %}
        max(case when indicator_code = '{{ indicator }}' then value end) as {{ indicator }},
        {%- endfor %}
        max(case when indicator_code = 'avg_wage_cny' and is_suspect_value then 1 else 0 end) = 1
            as avg_wage_is_suspect
    from spined
    group by city_code, year
),

final as (
    select
        pivoted.city_code,
        pivoted.year,
        pivoted.unit_status,
        {%- for indicator in pivoted_indicators %}
        pivoted.{{ indicator }},
        {%- endfor %}
        suspect_lists.suspect_indicators,
        pivoted.avg_wage_is_suspect,
        -- the revised growth index minus 100: 108.5 -> 8.5 percent real growth
        pivoted.real_gdp_index_prev_year_eq_100 - 100 as real_gdp_growth_pct,
        -- 100m CNY / 10k persons = 10^4 CNY per person
        pivoted.gdp_cny_100m * 10000 / nullif(pivoted.resident_population_10k, 0) as gdp_per_resident_cny,
        pivoted.gdp_cny_100m * 10000 / nullif(pivoted.resident_population_10k, 0)
            / national.gdp_price_level_2023_eq_1 as gdp_per_resident_2023_prices_cny,
        national.national_avg_wage_cny,
        pivoted.avg_wage_cny / nullif(national.national_avg_wage_cny, 0) as avg_wage_ratio_to_national,
        city_median_wage.city_median_avg_wage_cny,
        pivoted.avg_wage_cny / nullif(city_median_wage.city_median_avg_wage_cny, 0) as avg_wage_ratio_to_city_median,
        pivoted.census_urban_population_10k * 100 / nullif(pivoted.census_population_10k, 0) as census_urban_share_pct,
        pivoted.fiscal_revenue_cny_100m * 10000 / nullif(pivoted.resident_population_10k, 0)
            as fiscal_revenue_per_capita_cny
    from pivoted
    left join suspect_lists
        on pivoted.city_code = suspect_lists.city_code
        and pivoted.year = suspect_lists.year
    left join national
        on pivoted.year = national.year
    left join city_median_wage
        on pivoted.year = city_median_wage.year
)

select * from final
