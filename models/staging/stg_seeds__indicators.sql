-- The indicator registry: unit, scope and kind of series for every indicator_code.
with source as (
    select * from {{ ref('indicators') }}
),

renamed as (
    select
        cast(indicator_code as varchar)  as indicator_code,
        cast(name as varchar)            as indicator_name,
        cast(unit as varchar)            as unit,
        cast(description as varchar)     as indicator_description,
        cast(scope as varchar)           as scope,
        cast(series_kind as varchar)     as series_kind
    from source
),

final as (
    select * from renamed
)

select * from final
