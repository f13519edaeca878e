-- Long fact: every city x year (2000-2023) x city indicator, one row each, whether or not a
-- figure exists. Primary values only; a gap is a row with a null value and a missing_reason.
-- Alternative sources are summarised (count and largest gap), never used as values.
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
        cast(ratio_to_neighbour_median as double)   as ratio_to_neighbour_median
    from spined
)

select * from final
