-- Growth over 5- and 10-year windows: one row per city, window end year and window length.
-- Nominal GDP CAGR uses the as-published levels of the two end years. Real GDP CAGR chains the
-- revised real growth index (previous year = 100) over every year of the window and is null
-- unless all of them are present; published levels are never mixed with the revised series.
-- Share changes are in percentage points. Every input gap gives a null, never a fill.
{% set window_lengths = [5, 10] %}

with panel as (
    select * from {{ ref('int_city_years_pivoted') }}
),

cities as (
    select * from {{ ref('stg_seeds__cities') }}
),

window_lengths as (
    {%- for length in window_lengths %}
    select {{ length }} as window_years{{ " union all" if not loop.last }}
    {%- endfor %}
),

windows as (
    select
        panel.city_code,
        window_lengths.window_years,
        panel.year - window_lengths.window_years as start_year,
        panel.year as end_year
    from panel
    cross join window_lengths
    where panel.year - window_lengths.window_years >= (select min(year) from panel)
),

real_index_chain as (
    select
        windows.city_code,
        windows.window_years,
        windows.end_year,
        -- a non-positive index cannot be chained; it counts as missing
        count(case when panel.real_gdp_index_prev_year_eq_100 > 0 then 1 end) as n_real_index_years,
        exp(sum(case
            when panel.real_gdp_index_prev_year_eq_100 > 0 then ln(panel.real_gdp_index_prev_year_eq_100 / 100)
        end)) as real_gdp_growth_factor
    from windows
    inner join panel
        on windows.city_code = panel.city_code
        and panel.year > windows.start_year
        and panel.year <= windows.end_year
    group by windows.city_code, windows.window_years, windows.end_year
),

-- an abolished unit merged into this city inside the window: a level break in GDP and population
territory_changes as (
    select
        windows.city_code,
        windows.window_years,
        windows.end_year,
        count(*) as n_absorbed_units
    from windows
    inner join cities as absorbed
        on absorbed.successor_code = windows.city_code
        and absorbed.valid_to_year >= windows.start_year
        and absorbed.valid_to_year < windows.end_year
    group by windows.city_code, windows.window_years, windows.end_year
),

final as (
    select
        cast(windows.city_code as {{ dbt.type_string() }})                       as city_code,
        cast(windows.end_year as integer)                        as end_year,
        cast(windows.window_years as integer)                    as window_years,
        cast(windows.start_year as integer)                      as start_year,
        cast(start_values.gdp_cny_100m as double)                as gdp_start_cny_100m,
        cast(end_values.gdp_cny_100m as double)                  as gdp_end_cny_100m,
        cast({{ cagr_pct('start_values.gdp_cny_100m', 'end_values.gdp_cny_100m', 'windows.window_years') }} as double)
                                                                 as nominal_gdp_cagr_pct,
        cast(coalesce(real_index_chain.n_real_index_years, 0) as integer) as n_real_index_years,
        cast(case
            when real_index_chain.n_real_index_years = windows.window_years
                then {{ cagr_pct('1.0', 'real_index_chain.real_gdp_growth_factor', 'windows.window_years') }}
        end as double)                                           as real_gdp_cagr_pct,
        cast(start_values.resident_population_10k as double)     as resident_population_start_10k,
        cast(end_values.resident_population_10k as double)       as resident_population_end_10k,
        cast({{ cagr_pct('start_values.resident_population_10k', 'end_values.resident_population_10k', 'windows.window_years') }} as double)
                                                                 as resident_population_cagr_pct,
        cast(end_values.secondary_share_pct - start_values.secondary_share_pct as double)
                                                                 as secondary_share_change_pp,
        cast(end_values.tertiary_share_pct - start_values.tertiary_share_pct as double)
                                                                 as tertiary_share_change_pp,
        cast(coalesce(territory_changes.n_absorbed_units, 0) > 0 as boolean)
                                                                 as has_absorbed_unit_in_window,
        -- as-published levels and shares switch to the fourth economic census basis in 2019
        cast(windows.start_year <= 2018 and windows.end_year >= 2019 as boolean)
                                                                 as crosses_economic_census_revision,
        -- resident population is re-based on the 2010 and 2020 censuses
        cast((windows.start_year <= 2009 and windows.end_year >= 2010)
            or (windows.start_year <= 2019 and windows.end_year >= 2020) as boolean)
                                                                 as crosses_population_census
    from windows
    inner join panel as start_values
        on windows.city_code = start_values.city_code
        and windows.start_year = start_values.year
    inner join panel as end_values
        on windows.city_code = end_values.city_code
        and windows.end_year = end_values.year
    left join real_index_chain
        on windows.city_code = real_index_chain.city_code
        and windows.window_years = real_index_chain.window_years
        and windows.end_year = real_index_chain.end_year
    left join territory_changes
        on windows.city_code = territory_changes.city_code
        and windows.window_years = territory_changes.window_years
        and windows.end_year = territory_changes.end_year
)

select * from final
