-- Rule family: cross-source agreement. For every primary value, how the other sources that carry
-- the same indicator for the same city and year compare with it, in the indicator's tolerance
-- (screening_thresholds). Two other sources that agree with each other (within agree_within)
-- while the primary value is farther than disagree_beyond from every other source outvote it:
-- the primary is then another vintage or an error, and the agreeing figure replaces it downstream.
-- One other source alone cannot outvote the primary: such a difference is only flagged.
-- Vintage: an as-published GDP figure equal (within agree_within) to the revised series for the
-- same city and year, while two other sources agree on a different figure, is a revised value
-- in the as-published series (revised_vintage) and is replaced by the agreeing figure even when
-- a third source lies nearer.
with city_year_values as {{ read_again() }} (
    select
        v.city_code,
        v.year,
        v.indicator_code,
        v.value,
        v.source_id,
        v.is_primary,
        t.tolerance_unit,
        t.agree_within,
        t.disagree_beyond
    from {{ ref('stg_seeds__city_year_values') }} as v
    inner join {{ ref('stg_seeds__screening_thresholds') }} as t
        on v.indicator_code = t.indicator_code
),

primary_values as (
    select * from city_year_values where is_primary
),

alternatives as (
    select * from city_year_values where not is_primary
),

-- two non-primary sources that give the same figure
agreeing_pairs as (
    select
        a.city_code,
        a.year,
        a.indicator_code,
        a.source_id,
        a.value,
        b.source_id as partner_source_id,
        b.value as partner_value
    from alternatives as a
    inner join alternatives as b
        on a.city_code = b.city_code
        and a.year = b.year
        and a.indicator_code = b.indicator_code
        and a.source_id < b.source_id
    where {{ screen_gap('a.value', 'b.value', 'a.tolerance_unit') }} <= a.agree_within
),

consensus as (
    select * from (
        select
            agreeing_pairs.*,
            row_number() over (
                partition by city_code, year, indicator_code
                order by source_id, partner_source_id
            ) as pair_rank
        from agreeing_pairs
    ) as ranked
    where pair_rank = 1
),

alternative_summary as (
    select
        p.city_code,
        p.year,
        p.indicator_code,
        count(*) as n_alternative_sources,
        min({{ screen_gap('p.value', 'a.value', 'p.tolerance_unit') }}) as min_gap_to_alternative,
        max({{ screen_gap('p.value', 'a.value', 'p.tolerance_unit') }}) as max_gap_to_alternative,
        {{ dbt.listagg(
            dbt.concat(['a.source_id', "'='", 'cast(a.value as ' ~ dbt.type_string() ~ ')']),
            "'; '", "order by a.source_id") }} as alternative_values
    from primary_values as p
    inner join alternatives as a
        on p.city_code = a.city_code
        and p.year = a.year
        and p.indicator_code = a.indicator_code
    group by p.city_code, p.year, p.indicator_code
),

revised_series as (
    select city_code, year, value as revised_value
    from {{ ref('stg_seeds__city_year_values') }}
    where indicator_code = 'gdp_revised_cny_100m'
),

compared as (
    select
        p.city_code,
        p.year,
        p.indicator_code,
        p.source_id,
        p.value,
        p.tolerance_unit,
        p.agree_within,
        p.disagree_beyond,
        coalesce(s.n_alternative_sources, 0) as n_alternative_sources,
        s.min_gap_to_alternative,
        s.max_gap_to_alternative,
        s.alternative_values,
        c.source_id as consensus_source_id,
        c.value as consensus_value,
        c.partner_source_id as consensus_partner_source_id,
        c.partner_value as consensus_partner_value,
        {{ screen_gap('p.value', 'c.value', 'p.tolerance_unit') }} as gap_to_consensus,
        case when p.indicator_code = 'gdp_cny_100m' then revised_series.revised_value end as revised_series_value
    from primary_values as p
    left join revised_series
        on p.city_code = revised_series.city_code
        and p.year = revised_series.year
    left join alternative_summary as s
        on p.city_code = s.city_code
        and p.year = s.year
        and p.indicator_code = s.indicator_code
    left join consensus as c
        on p.city_code = c.city_code
        and p.year = c.year
        and p.indicator_code = c.indicator_code
),

final as (
    select
        compared.*,
        case
            when n_alternative_sources = 0 then 'single_source'
            when min_gap_to_alternative <= agree_within then 'agrees'
            when consensus_source_id is not null
                and {{ screen_gap('value', 'revised_series_value', 'tolerance_unit') }} <= agree_within
                and {{ screen_gap('consensus_value', 'revised_series_value', 'tolerance_unit') }} > agree_within
                then 'revised_vintage'
            when consensus_source_id is not null and min_gap_to_alternative > disagree_beyond then 'outvoted'
            when min_gap_to_alternative > disagree_beyond then 'disputed'
            else 'minor_difference'
        end as agreement_status
    from compared
)

select * from final
