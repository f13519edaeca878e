-- One row per city, year and indicator that has a primary value, carrying the screened value
-- (int_city_year_values_resolved) with its resolution, and how many other sources carry the
-- same figure and how far the most distant of them is from the screened value. Downstream
-- models read only the screened value; every other figure stays queryable here.
with city_year_values as (
    select * from {{ ref('stg_seeds__city_year_values') }}
),

resolved as (
    select * from {{ ref('int_city_year_values_resolved') }}
),

primary_values as (
    select
        city_code,
        year,
        indicator_code,
        value,
        coalesce(source_id, original_source_id) as source_id
    from resolved
),

alternative_gaps as (
    select
        alternative.city_code,
        alternative.year,
        alternative.indicator_code,
        alternative.source_id as alternative_source_id,
        -- signed gap of the alternative relative to the primary value; undefined for a zero primary
        case
            when primary_values.value <> 0
                then (alternative.value - primary_values.value) / abs(primary_values.value) * 100
        end as gap_pct
    from city_year_values as alternative
    inner join primary_values
        on alternative.city_code = primary_values.city_code
        and alternative.year = primary_values.year
        and alternative.indicator_code = primary_values.indicator_code
        and alternative.source_id <> primary_values.source_id
),

alternative_counts as (
    select
        city_code,
        year,
        indicator_code,
        count(*) as n_alternative_sources
    from alternative_gaps
    group by city_code, year, indicator_code
),

-- the alternative farthest from the primary value (an undefined gap ranks last); ties go to the
-- first source id
largest_gap as (
    select
        city_code,
        year,
        indicator_code,
        gap_pct as alternative_gap_pct,
        alternative_source_id as alternative_gap_source_id
    from (
        select
            alternative_gaps.*,
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
        primary_values.city_code,
        primary_values.year,
        primary_values.indicator_code,
        resolved.value,
        resolved.source_id,
        resolved.resolution,
        resolved.resolution_rule,
        resolved.resolution_evidence,
        resolved.screening_rules,
        resolved.original_value,
        resolved.original_source_id,
        resolved.alternative_values,
        coalesce(alternative_counts.n_alternative_sources, 0) as n_alternative_sources,
        largest_gap.alternative_gap_pct,
        largest_gap.alternative_gap_source_id
    from primary_values
    inner join resolved
        on primary_values.city_code = resolved.city_code
        and primary_values.year = resolved.year
        and primary_values.indicator_code = resolved.indicator_code
    left join alternative_counts
        on primary_values.city_code = alternative_counts.city_code
        and primary_values.year = alternative_counts.year
        and primary_values.indicator_code = alternative_counts.indicator_code
    left join largest_gap
        on primary_values.city_code = largest_gap.city_code
        and primary_values.year = largest_gap.year
        and primary_values.indicator_code = largest_gap.indicator_code
)

select * from final
