-- The source registry: where every value row comes from.
with source as (
    select * from {{ ref('sources') }}
),

renamed as (
    select
        cast(source_id as varchar)        as source_id,
        cast(producer as varchar)         as producer,
        cast(original_source as varchar)  as original_source,
        cast(repository as varchar)       as repository,
        cast(path as varchar)             as repository_path,
        cast(commit as varchar)           as commit_or_version,
        cast(url as varchar)              as url,
        cast(licence as varchar)          as licence,
        cast(accessed_on as date)         as accessed_on,
        cast(caveats as varchar)          as caveats
    from source
),

final as (
    select * from renamed
)

select * from final
