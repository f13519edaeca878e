-- One row per city, year and indicator with a primary value: the value after the screens, the
-- rule that decided it, its evidence, the original value and every other source's figure, so an
-- analyst can see and reverse each decision. The action of the flag with the lowest precedence
-- (int_screen__flags) is applied: replace (by a figure another source publishes), convert (index
-- form to percent), null (with the rule as the reason) or keep. Nothing is changed without a flag.
with cross_source as (
    select * from {{ ref('int_screen__cross_source') }}
),

flags as (
    select * from {{ ref('int_screen__flags') }}
),

deciding_flag as (
    select * from (
        select
            flags.*,
            row_number() over (
                partition by city_code, year, indicator_code
                order by precedence, rule_code
            ) as flag_rank
        from flags
    ) as ranked
    where flag_rank = 1
),

rule_lists as (
    select
        city_code,
        year,
        indicator_code,
        count(*) as n_flags,
        {{ dbt.listagg("rule_code", "', '", "order by precedence, rule_code") }} as screening_rules
    from flags
    group by city_code, year, indicator_code
),

final as (
    select
        cs.city_code,
        cs.year,
        cs.indicator_code,
        case
            when deciding_flag.action in ('replace', 'convert') then deciding_flag.proposed_value
            when deciding_flag.action = 'null' then null
            else cs.value
        end as value,
        case
            when deciding_flag.action in ('replace', 'convert') then deciding_flag.proposed_source_id
            when deciding_flag.action = 'null' then null
            else cs.source_id
        end as source_id,
        case
            when deciding_flag.rule_code is null then 'kept'
            when deciding_flag.action = 'keep' then 'kept_flagged'
            when deciding_flag.action = 'null' then 'nulled'
            when deciding_flag.action = 'convert' then 'converted'
            when deciding_flag.rule_code in ('outvoted', 'revised_vintage') then 'replaced_by_agreeing_sources'
            when deciding_flag.proposed_source_id = cs.source_id then 'moved_back_one_year'
            else 'replaced_by_second_source'
        end as resolution,
        deciding_flag.rule_code as resolution_rule,
        deciding_flag.evidence as resolution_evidence,
        coalesce(rule_lists.n_flags, 0) as n_flags,
        rule_lists.screening_rules,
        cs.value as original_value,
        cs.source_id as original_source_id,
        cs.n_alternative_sources,
        cs.alternative_values,
        cs.agreement_status
    from cross_source as cs
    left join deciding_flag
        on cs.city_code = deciding_flag.city_code
        and cs.year = deciding_flag.year
        and cs.indicator_code = deciding_flag.indicator_code
    left join rule_lists
        on cs.city_code = rule_lists.city_code
        and cs.year = rule_lists.year
        and cs.indicator_code = rule_lists.indicator_code
)

select * from final
