-- The long fact must hold exactly one row per city x year (2000-2023) x city indicator, and the
-- wide panel and the Hefei comparison one row per city x year. Returns a row per table that is off.
with n_cities as (
    select count(*) as n from {{ ref('dim_city') }}
),

n_indicators as (
    select count(distinct indicator_code) as n from {{ ref('stg_seeds__city_year_values') }}
),

actual as (
    select 'fct_city_year_indicator' as table_name, count(*) as n_rows, 3 as dimensions
    from {{ ref('fct_city_year_indicator') }}
    union all
    select 'fct_city_year_panel', count(*), 2 from {{ ref('fct_city_year_panel') }}
    union all
    select 'fct_city_vs_hefei', count(*), 2 from {{ ref('fct_city_vs_hefei') }}
),

final as (
    select
        actual.table_name,
        actual.n_rows,
        n_cities.n * 24 * case when actual.dimensions = 3 then n_indicators.n else 1 end as expected_rows
    from actual
    cross join n_cities
    cross join n_indicators
    where actual.n_rows <> n_cities.n * 24 * case when actual.dimensions = 3 then n_indicators.n else 1 end
)

select * from final
