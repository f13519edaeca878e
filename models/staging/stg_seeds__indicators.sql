-- The indicator registry: unit, scope and kind of series for every indicator_code.
with source as (
    select * from {{ ref('indicators') }}
),

renamed as (
    select
        cast(indicator_code as {{ dbt.type_string() }})  as indicator_code,
        cast(name as {{ dbt.type_string() }})            as indicator_name,
        cast(unit as {{ dbt.type_string() }})            as unit,
        cast(description as {{ dbt.type_string() }})     as indicator_description,
        cast(scope as {{ dbt.type_string() }})           as scope,
        cast(series_kind as {{ dbt.type_string() }})     as series_kind
    from source
),

final as (
    select * from renamed
)

select * from final
