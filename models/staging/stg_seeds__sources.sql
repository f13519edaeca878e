-- The source registry: where every value row comes from.
with source as (
    select * from {{ ref('sources') }}
),

renamed as (
    select
        cast(source_id as {{ dbt.type_string() }})        as source_id,
        cast(producer as {{ dbt.type_string() }})         as producer,
        cast(original_source as {{ dbt.type_string() }})  as original_source,
        cast(repository as {{ dbt.type_string() }})       as repository,
        cast(path as {{ dbt.type_string() }})             as repository_path,
        cast(commit as {{ dbt.type_string() }})           as commit_or_version,
        cast(url as {{ dbt.type_string() }})              as url,
        cast(licence as {{ dbt.type_string() }})          as licence,
        cast(accessed_on as date)         as accessed_on,
        cast(caveats as {{ dbt.type_string() }})          as caveats
    from source
),

final as (
    select * from renamed
)

select * from final
