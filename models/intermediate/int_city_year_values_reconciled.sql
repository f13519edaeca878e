-- One row per city, year and indicator that has a primary value, carrying the screened value
-- (int_city_year_values_resolved) with its resolution, and how many other sources carry the
-- same figure and how far the most distant of them is from the screened value. Downstream
-- models read only the screened value; every other figure stays queryable here.
with city_year_values as (
    select * from {{ ref('stg_seeds__city_year_values') }}
),

-- one row per key (tested): the rows of this model, and the values the other sources are
-- compared with
resolved as {{ read_again() }} (
    select * from {{ ref('int_city_year_values_resolved') }}
),

alternative_gaps as (
    select
        alternative.city_code,
        alternative.year,
        alternative.indicator_code,
        alternative.source_id as alternative_source_id,
        -- signed gap of the alternative relative to the screened value; undefined for a zero
        -- or a set-aside value
        case
            when resolved.value <> 0
                then (alternative.value - resolved.value) / abs(resolved.value) * 100
        end as gap_pct
    from city_year_values as alternative
    inner join resolved
        on alternative.city_code = resolved.city_code
        and alternative.year = resolved.year
        and alternative.indicator_code = resolved.indicator_code
        -- a replaced value names the source it came from; a set-aside one, its original source
        and alternative.source_id <> coalesce(resolved.source_id, resolved.original_source_id)
),

-- per key, the number of alternatives and the one farthest from the screened value (an
-- undefined gap ranks last; ties go to the first source id), from one pass over the rows
alternative_summary as (
    select
        city_code,
        year,
        indicator_code,
        n_alternative_sources,
        gap_pct as alternative_gap_pct,
        alternative_source_id as alternative_gap_source_id
    from (
        select
            alternative_gaps.*,
            count(*) over (partition by city_code, year, indicator_code) as n_alternative_sources,
            row_number() over (
                partition by city_code, year, indicator_code
                order by case when gap_pct is null then 1 else 0 end, abs(gap_pct) desc, alternative_source_id
            ) as gap_rank
        from alternative_gaps
    ) as ranked
    where gap_rank = 1
),

final as (
    select
        resolved.city_code,
        resolved.year,
        resolved.indicator_code,
        resolved.value,
        resolved.source_id,
        resolved.resolution,
        resolved.resolution_rule,
        resolved.resolution_evidence,
        resolved.screening_rules,
        resolved.original_value,
        resolved.original_source_id,
        resolved.alternative_values,
        coalesce(alternative_summary.n_alternative_sources, 0) as n_alternative_sources,
        alternative_summary.alternative_gap_pct,
        alternative_summary.alternative_gap_source_id
    from resolved
    left join alternative_summary
        on resolved.city_code = alternative_summary.city_code
        and resolved.year = alternative_summary.year
        and resolved.indicator_code = alternative_summary.indicator_code
)

select * from final
