-- Counts of flags by rule, indicator, source, year and resolution: the data-quality picture in
-- one table (sum n_flags over any subset of the keys).
with flags as (
    select * from {{ ref('fct_data_quality_flag') }}
),

final as (
    select
        rule_family,
        rule_code,
        indicator_code,
        source_id,
        year,
        resolution,
        count(*) as n_flags,
        sum(case when is_deciding_rule then 1 else 0 end) as n_deciding
    from flags
    group by rule_family, rule_code, indicator_code, source_id, year, resolution
)

select
    cast(rule_family as {{ dbt.type_string() }})    as rule_family,
    cast(rule_code as {{ dbt.type_string() }})      as rule_code,
    cast(indicator_code as {{ dbt.type_string() }}) as indicator_code,
    cast(source_id as {{ dbt.type_string() }})      as source_id,
    cast(year as integer)                           as year,
    cast(resolution as {{ dbt.type_string() }})     as resolution,
    cast(n_flags as integer)                        as n_flags,
    cast(n_deciding as integer)                     as n_deciding
from final
