-- Every flag the screens raised, one row per city, year, indicator and rule: the value screens
-- (before resolution) and the trend screens (on the screened values). Each row says whether its
-- rule decided the value, what the value was and became, and the evidence. The worst cases of
-- each rule rank first by severity_rank.
with flags as (
    select * from {{ ref('int_screen__flags') }}
),

spined as (
    select * from {{ ref('int_city_year_indicators_spined') }}
),

screened as (
    select * from {{ ref('int_city_year_values_screened') }}
),

value_flags as (
    select
        flags.city_code,
        flags.year,
        flags.indicator_code,
        flags.source_id,
        flags.rule_family,
        flags.rule_code,
        flags.action as proposed_action,
        flags.evidence,
        flags.severity
    from flags
),

trend_flags as (
    select
        city_code,
        year,
        indicator_code,
        cast(null as {{ dbt.type_string() }}) as source_id,
        'trend_outlier' as rule_family,
        'trend_outlier' as rule_code,
        'keep' as proposed_action,
        {{ dbt.concat(["'value is '", "cast(round(trend_robust_z, 1) as " ~ dbt.type_string() ~ ")",
                       "' robust SDs from its neighbouring years (ratio to their median '",
                       "cast(round(ratio_to_neighbour_median, 3) as " ~ dbt.type_string() ~ ")", "')'"]) }} as evidence,
        abs(trend_robust_z) as severity
    from screened
    where is_trend_outlier

    union all

    select
        city_code,
        year,
        indicator_code,
        cast(null as {{ dbt.type_string() }}),
        'level_break',
        case when level_break = 'explained' then 'explained_level_break' else 'unexplained_level_break' end,
        'keep',
        {{ dbt.concat(["'change from the year before '", "cast(round(change_from_prior_year_pct, 1) as " ~ dbt.type_string() ~ ")",
                       "'%'", "coalesce(" ~ dbt.concat(["'; '", "level_break_reason"]) ~ ", '')"]) }},
        abs(ln(1 + change_from_prior_year_pct / 100))
    from screened
    where level_break is not null
),

all_flags as (
    select * from value_flags
    union all
    select * from trend_flags
),

final as (
    select
        all_flags.city_code,
        all_flags.year,
        all_flags.indicator_code,
        coalesce(all_flags.source_id, spined.original_source_id) as source_id,
        all_flags.rule_family,
        all_flags.rule_code,
        all_flags.proposed_action,
        coalesce(spined.resolution_rule = all_flags.rule_code, false) as is_deciding_rule,
        spined.resolution,
        spined.original_value,
        spined.value as screened_value,
        spined.source_id as screened_source_id,
        all_flags.evidence,
        all_flags.severity,
        row_number() over (
            partition by all_flags.rule_code
            order by case when all_flags.severity is null then 1 else 0 end, all_flags.severity desc,
                all_flags.city_code, all_flags.year, all_flags.indicator_code
        ) as severity_rank
    from all_flags
    inner join spined
        on all_flags.city_code = spined.city_code
        and all_flags.year = spined.year
        and all_flags.indicator_code = spined.indicator_code
)

select
    cast(city_code as {{ dbt.type_string() }})          as city_code,
    cast(year as integer)                               as year,
    cast(indicator_code as {{ dbt.type_string() }})     as indicator_code,
    cast(source_id as {{ dbt.type_string() }})          as source_id,
    cast(rule_family as {{ dbt.type_string() }})        as rule_family,
    cast(rule_code as {{ dbt.type_string() }})          as rule_code,
    cast(proposed_action as {{ dbt.type_string() }})    as proposed_action,
    cast(is_deciding_rule as boolean)                   as is_deciding_rule,
    cast(resolution as {{ dbt.type_string() }})         as resolution,
    cast(original_value as double)                      as original_value,
    cast(screened_value as double)                      as screened_value,
    cast(screened_source_id as {{ dbt.type_string() }}) as screened_source_id,
    cast(evidence as {{ dbt.type_string() }})           as evidence,
    cast(severity as double)                            as severity,
    cast(severity_rank as integer)                      as severity_rank
from final
