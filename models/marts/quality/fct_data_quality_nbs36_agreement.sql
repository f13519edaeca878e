-- GDP of the 36 major cities against the NBS major-city table, one row per city and year the
-- NBS table covers (2000-2023), before and after screening. Every gap over 1% after screening
-- gets an explanation or is marked unexplained:
--   nbs_other_vintage       another first-published source agrees with the screened value
--                           within 0.5%: the NBS table shows a later revision (e.g. Tianjin
--                           2009-18, revised after the 2018 audit)
--   nbs_matches_revised_series  the NBS figure is within 1% of the revised 296-city series:
--                           the same later vintage
--   flagged                 the screened value carries a screening flag
--   no_screened_value       the screens set the value aside or no source has it
--   unexplained             none of the above
{% set agreement_pct = 1 %}

with nbs as (
    select city_code, year, value as nbs_gdp_cny_100m
    from {{ ref('stg_seeds__city_year_values') }}
    where source_id = 'nbs_36cities_gdp'
        and indicator_code = 'gdp_cny_100m'
),

gdp as (
    select * from {{ ref('int_city_year_indicators_spined') }}
    where indicator_code = 'gdp_cny_100m'
),

revised as (
    select city_code, year, value as revised_gdp_cny_100m
    from {{ ref('stg_seeds__city_year_values') }}
    where indicator_code = 'gdp_revised_cny_100m'
),

-- first-published sources other than NBS that agree with the screened value
other_agreeing as (
    select
        gdp.city_code,
        gdp.year,
        count(*) as n_agreeing_sources
    from gdp
    inner join {{ ref('stg_seeds__city_year_values') }} as other
        on gdp.city_code = other.city_code
        and gdp.year = other.year
        and other.indicator_code = 'gdp_cny_100m'
        and other.source_id not in ('nbs_36cities_gdp')
        and other.source_id <> gdp.source_id
    where abs(other.value / nullif(gdp.value, 0) - 1) * 100 <= 0.5
    group by gdp.city_code, gdp.year
),

compared as (
    select
        nbs.city_code,
        nbs.year,
        nbs.nbs_gdp_cny_100m,
        gdp.original_value as published_gdp_cny_100m,
        gdp.original_source_id as published_source_id,
        gdp.value as screened_gdp_cny_100m,
        gdp.source_id as screened_source_id,
        gdp.resolution,
        gdp.screening_rules,
        revised.revised_gdp_cny_100m,
        coalesce(other_agreeing.n_agreeing_sources, 0) as n_other_agreeing_sources,
        {{ pct_gap('gdp.original_value', 'nbs.nbs_gdp_cny_100m') }} as published_gap_pct,
        {{ pct_gap('gdp.value', 'nbs.nbs_gdp_cny_100m') }} as screened_gap_pct
    from nbs
    inner join gdp
        on nbs.city_code = gdp.city_code
        and nbs.year = gdp.year
    left join revised
        on nbs.city_code = revised.city_code
        and nbs.year = revised.year
    left join other_agreeing
        on nbs.city_code = other_agreeing.city_code
        and nbs.year = other_agreeing.year
),

final as (
    select
        compared.*,
        coalesce(abs(published_gap_pct) <= {{ agreement_pct }}, false) as published_agrees,
        coalesce(abs(screened_gap_pct) <= {{ agreement_pct }}, false) as screened_agrees,
        case
            when abs(screened_gap_pct) <= {{ agreement_pct }} then null
            when screened_gdp_cny_100m is null then 'no_screened_value'
            when n_other_agreeing_sources >= 1 then 'nbs_other_vintage'
            when abs({{ pct_gap('nbs_gdp_cny_100m', 'revised_gdp_cny_100m') }}) <= {{ agreement_pct }}
                then 'nbs_matches_revised_series'
            when screening_rules is not null then 'flagged'
            else 'unexplained'
        end as disagreement_explanation
    from compared
)

select
    cast(city_code as {{ dbt.type_string() }})              as city_code,
    cast(year as integer)                                   as year,
    cast(nbs_gdp_cny_100m as double)                        as nbs_gdp_cny_100m,
    cast(published_gdp_cny_100m as double)                  as published_gdp_cny_100m,
    cast(published_source_id as {{ dbt.type_string() }})   as published_source_id,
    cast(screened_gdp_cny_100m as double)                   as screened_gdp_cny_100m,
    cast(screened_source_id as {{ dbt.type_string() }})    as screened_source_id,
    cast(resolution as {{ dbt.type_string() }})            as resolution,
    cast(screening_rules as {{ dbt.type_string() }})       as screening_rules,
    cast(revised_gdp_cny_100m as double)                    as revised_gdp_cny_100m,
    cast(n_other_agreeing_sources as integer)               as n_other_agreeing_sources,
    cast(published_gap_pct as double)                       as published_gap_pct,
    cast(screened_gap_pct as double)                        as screened_gap_pct,
    cast(published_agrees as boolean)                       as published_agrees,
    cast(screened_agrees as boolean)                        as screened_agrees,
    cast(disagreement_explanation as {{ dbt.type_string() }}) as disagreement_explanation
from final
