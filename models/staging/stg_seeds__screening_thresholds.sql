-- Per-indicator tolerances and plausible ranges for the data screens (hand-written seed).
with source as (
    select * from {{ ref('screening_thresholds') }}
),

renamed as (
    select
        cast(indicator_code as {{ dbt.type_string() }})   as indicator_code,
        cast(tolerance_unit as {{ dbt.type_string() }})   as tolerance_unit,
        cast(agree_within as double)                       as agree_within,
        cast(disagree_beyond as double)                    as disagree_beyond,
        cast(range_min as double)                          as range_min,
        cast(range_max as double)                          as range_max,
        cast(is_level_series as boolean)                   as is_level_series
    from source
)

select * from renamed
