-- Long fact: every city x year (2000-2023) x city indicator, one row each, whether or not a
-- figure exists. Screened values only; a gap is a row with a null value and a missing_reason.
-- Each row carries the screens' resolution, the rule and evidence behind it, the original value
-- and every other source's figure, so any decision can be seen and reversed.
with spined as (
    select * from {{ ref('int_city_year_indicators_spined') }}
),

final as (
    select
        cast(city_code as {{ dbt.type_string() }})                  as city_code,
        cast(year as integer)                       as year,
        cast(indicator_code as {{ dbt.type_string() }})             as indicator_code,
        cast(value as double)                       as value,
        cast(unit as {{ dbt.type_string() }})                       as unit,
        cast(series_kind as {{ dbt.type_string() }})                as series_kind,
        cast(source_id as {{ dbt.type_string() }})                  as source_id,
        cast(value is null as boolean)              as is_missing,
        cast(missing_reason as {{ dbt.type_string() }})             as missing_reason,
        cast(unit_status as {{ dbt.type_string() }})                as unit_status,
        cast(n_alternative_sources as integer)      as n_alternative_sources,
        cast(alternative_gap_pct as double)         as alternative_gap_pct,
        cast(alternative_gap_source_id as {{ dbt.type_string() }})  as alternative_gap_source_id,
        cast(is_suspect_value as boolean)           as is_suspect_value,
        cast(ratio_to_neighbour_median as double)   as ratio_to_neighbour_median,
        cast(trend_robust_z as double)              as trend_robust_z,
        cast(level_break as {{ dbt.type_string() }})                as level_break,
        cast(level_break_reason as {{ dbt.type_string() }})         as level_break_reason,
        cast(resolution as {{ dbt.type_string() }})                 as resolution,
        cast(resolution_rule as {{ dbt.type_string() }})            as resolution_rule,
        cast(resolution_evidence as {{ dbt.type_string() }})        as resolution_evidence,
        cast(screening_rules as {{ dbt.type_string() }})            as screening_rules,
        cast(original_value as double)              as original_value,
        cast(original_source_id as {{ dbt.type_string() }})         as original_source_id,
        cast(alternative_values as {{ dbt.type_string() }})         as alternative_values
    from spined
)

select * from final
