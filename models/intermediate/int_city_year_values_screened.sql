-- Screens every primary level value against the same city's own values in the two years
-- before and after it. A value more than five times above or below the median of its
-- neighbours is almost always a unit slip in the source (e.g. a wage in thousands of CNY);
-- it stays as published and is only flagged, so users can decide.
{% set screened_indicators = [
    'gdp_cny_100m', 'gdp_revised_cny_100m', 'gdp_primary_cny_100m', 'gdp_secondary_cny_100m',
    'gdp_tertiary_cny_100m', 'gdp_per_capita_cny', 'resident_population_10k',
    'registered_population_10k', 'employment_10k', 'avg_wage_cny', 'fiscal_revenue_cny_100m',
] %}
{% set suspect_factor = 5 %}

with primary_values as (
    select * from {{ ref('int_city_year_values_reconciled') }}
    where indicator_code in ('{{ screened_indicators | join("', '") }}')
),

neighbours as (
    select
        own.city_code,
        own.year,
        own.indicator_code,
        count(nearby.value) as n_neighbour_values,
        {{ index_quantile('nearby.value', 0.5) }} as neighbour_median
    from primary_values as own
    inner join primary_values as nearby
        on nearby.city_code = own.city_code
        and nearby.indicator_code = own.indicator_code
        and nearby.year between own.year - 2 and own.year + 2
        and nearby.year <> own.year
    group by own.city_code, own.year, own.indicator_code
),

final as (
    select
        primary_values.city_code,
        primary_values.year,
        primary_values.indicator_code,
        neighbours.n_neighbour_values,
        neighbours.neighbour_median,
        primary_values.value / nullif(neighbours.neighbour_median, 0) as ratio_to_neighbour_median,
        coalesce(
            neighbours.n_neighbour_values >= 2
            and neighbours.neighbour_median > 0
            and (
                primary_values.value > {{ suspect_factor }} * neighbours.neighbour_median
                or primary_values.value * {{ suspect_factor }} < neighbours.neighbour_median
            ),
            false
        ) as is_suspect_value
    from primary_values
    left join neighbours
        on primary_values.city_code = neighbours.city_code
        and primary_values.year = neighbours.year
        and primary_values.indicator_code = neighbours.indicator_code
)

select * from final
