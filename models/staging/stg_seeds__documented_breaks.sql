-- Documented series breaks (definition changes, censuses), hand-written seed.
with source as (
    select * from {{ ref('documented_breaks') }}
),

renamed as (
    select
        cast(indicator_code as {{ dbt.type_string() }})        as indicator_code,
        cast(first_year_on_new_basis as integer)               as first_year_on_new_basis,
        cast(break_kind as {{ dbt.type_string() }})            as break_kind,
        cast(note as {{ dbt.type_string() }})                  as break_note
    from source
)

select * from renamed
