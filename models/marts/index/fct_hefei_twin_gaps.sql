-- What each inland city lacks to look like Hefei did at take-off: per indicator, the city's
-- latest value and z-score against Hefei's average over the take-off years (2005-2008 by
-- default, before the BOE bet). z-scores are within-year across all cities with direction
-- applied, so a negative gap means the city is behind where Hefei stood then.
{%- set reference_city = var('index_reference_city', '340100') %}
with profiles as (
    select * from {{ ref('int_index__twin_profiles') }}
),

latest as (
    select distinct year from {{ ref('int_index__coverage') }} where is_headline_year
),

reference as (
    select
        indicator_code,
        avg(indicator_value) as reference_value,
        avg(z_score) as reference_z_score,
        count(*) as n_reference_years
    from profiles
    where city_code = '{{ reference_city }}'
      and year between {{ var('index_takeoff_first_year', 2005) }} and {{ var('index_takeoff_last_year', 2008) }}
    group by indicator_code
),

inland_latest as (
    select profiles.*
    from profiles
    inner join {{ ref('dim_city') }} as city on city.city_code = profiles.city_code
    where city.is_inland
      and profiles.city_code <> '{{ reference_city }}'
      and profiles.year in (select year from latest)
)

select
    cast(inland_latest.city_code as {{ dbt.type_string() }}) as city_code,
    cast(inland_latest.year as integer) as year,
    cast(inland_latest.indicator_code as {{ dbt.type_string() }}) as indicator_code,
    cast(inland_latest.pillar as {{ dbt.type_string() }}) as pillar,
    cast(catalogue.unit as {{ dbt.type_string() }}) as unit,
    cast(inland_latest.indicator_value as double) as city_value,
    cast(reference.reference_value as double) as hefei_takeoff_value,
    cast(inland_latest.z_score as double) as city_z_score,
    cast(reference.reference_z_score as double) as hefei_takeoff_z_score,
    cast(inland_latest.z_score - reference.reference_z_score as double) as z_gap,
    inland_latest.z_score - reference.reference_z_score < -0.5 as lacks_vs_hefei,
    inland_latest.is_imputed as city_value_is_imputed
from inland_latest
inner join reference on reference.indicator_code = inland_latest.indicator_code
inner join {{ ref('int_index__catalogue') }} as catalogue on catalogue.indicator_code = inland_latest.indicator_code
