-- Every flag the value screens raise on a primary value, one row per city, year, indicator and
-- rule, with the action the rule proposes and its precedence. int_city_year_values_resolved
-- applies the action of the flag with the lowest precedence number; flags whose action is
-- 'keep' only mark the value. Trend outliers and level breaks are screened after resolution
-- (int_city_year_values_screened), on the values users see.
--   precedence 1 year_shift            replace by the second source's figure for the year (or the
--                                      series' own next-year value), the value belongs to t-1
--   precedence 2 index_form            convert: index minus 100
--   precedence 3 outvoted, revised_vintage  replace by the figure two other sources agree on
--   precedence 4 decimal_slip          replace by the other source's figure
--   precedence 5 shares_settled_by_other_source  replace a disputed share by the other source's share when
--                                      only the other source's shares add up to 100
--   precedence 6 registered_equals_resident, copy_of_previous_year, out_of_range: null
--   precedence 8 decimal_slip_in_other_source: keep (the other source slipped)
--   precedence 9 keep and flag: disputed / minor_difference between sources, failed identities
with cross_source as (
    select * from {{ ref('int_screen__cross_source') }}
),

year_shift as (
    select * from {{ ref('int_screen__year_shift') }}
),

value_checks as (
    select * from {{ ref('int_screen__value_checks') }}
),

identities as (
    select * from {{ ref('int_screen__identities') }}
),

alternatives as (
    select * from {{ ref('stg_seeds__city_year_values') }}
    where not is_primary
),

shift_flags as (
    select
        city_code,
        year,
        indicator_code,
        source_id,
        'year_shift' as rule_code,
        case
            when reference_value is not null or next_year_own_value is not null then 'replace'
            else 'null'
        end as action,
        coalesce(reference_value, next_year_own_value) as proposed_value,
        case
            when reference_value is not null then reference_source_id
            when next_year_own_value is not null then source_id
        end as proposed_source_id,
        {{ dbt.concat(["'value '", "cast(value as " ~ dbt.type_string() ~ ")", "' equals '", "reference_source_id",
                       "' for '", "cast(year - 1 as " ~ dbt.type_string() ~ ")", "' ('",
                       "cast(reference_prior_year_value as " ~ dbt.type_string() ~ ")", "'); '",
                       "reference_source_id", "' for this year: '",
                       "coalesce(cast(reference_value as " ~ dbt.type_string() ~ "), 'none')"]) }} as evidence,
        abs(value - coalesce(reference_value, next_year_own_value, value)) / nullif(abs(value), 0) * 100 as severity,
        1 as precedence
    from year_shift
),

check_flags as (
    select
        city_code,
        year,
        indicator_code,
        source_id,
        rule_code,
        case
            when rule_code = 'index_form' then 'convert'
            when rule_code = 'decimal_slip' then 'replace'
            when rule_code = 'decimal_slip_in_other_source' then 'keep'
            else 'null'
        end as action,
        proposed_value,
        proposed_source_id,
        evidence,
        severity,
        case
            when rule_code = 'index_form' then 2
            when rule_code = 'decimal_slip' then 4
            when rule_code = 'decimal_slip_in_other_source' then 8
            else 6
        end as precedence
    from value_checks
),

agreement_flags as (
    select
        city_code,
        year,
        indicator_code,
        source_id,
        agreement_status as rule_code,
        case when agreement_status in ('outvoted', 'revised_vintage') then 'replace' else 'keep' end as action,
        case when agreement_status in ('outvoted', 'revised_vintage') then consensus_value end as proposed_value,
        case when agreement_status in ('outvoted', 'revised_vintage') then consensus_source_id end as proposed_source_id,
        {{ dbt.concat(["'value '", "cast(value as " ~ dbt.type_string() ~ ")", "'; other sources: '", "alternative_values",
                       "coalesce(" ~ dbt.concat(["'; agreeing: '", "consensus_source_id", "' and '", "consensus_partner_source_id"]) ~ ", '')",
                       "coalesce(" ~ dbt.concat(["'; revised series: '", "cast(revised_series_value as " ~ dbt.type_string() ~ ")"]) ~ ", '')"]) }}
            as evidence,
        min_gap_to_alternative as severity,
        case when agreement_status in ('outvoted', 'revised_vintage') then 3 else 9 end as precedence
    from cross_source
    where agreement_status in ('outvoted', 'revised_vintage', 'disputed', 'minor_difference')
),

-- a disputed share where only the other source's three shares add up to 100
share_identity_fixes as (
    select
        cs.city_code,
        cs.year,
        cs.indicator_code,
        cs.source_id,
        'shares_settled_by_other_source' as rule_code,
        'replace' as action,
        alternatives.value as proposed_value,
        alternatives.source_id as proposed_source_id,
        {{ dbt.concat(["'shares of '", "cs.source_id", "' add up to '", "cast(round(own.computed_value, 2) as " ~ dbt.type_string() ~ ")",
                       "'; those of '", "alternatives.source_id", "' to '",
                       "cast(round(other.computed_value, 2) as " ~ dbt.type_string() ~ ")"]) }} as evidence,
        own.identity_gap as severity,
        5 as precedence
    from cross_source as cs
    inner join identities as own
        on cs.city_code = own.city_code
        and cs.year = own.year
        and cs.source_id = own.source_id
        and own.identity_code = 'shares_sum_to_100'
        and not own.identity_holds
    inner join alternatives
        on cs.city_code = alternatives.city_code
        and cs.year = alternatives.year
        and cs.indicator_code = alternatives.indicator_code
    inner join identities as other
        on alternatives.city_code = other.city_code
        and alternatives.year = other.year
        and alternatives.source_id = other.source_id
        and other.identity_code = 'shares_sum_to_100'
        and other.identity_holds
    where cs.indicator_code like '%share_pct'
        and cs.agreement_status = 'disputed'
),

-- identities that fail for the source of a primary value, kept and flagged on that value
identity_flags as (
    select
        cs.city_code,
        cs.year,
        cs.indicator_code,
        cs.source_id,
        case
            when identities.identity_code = 'per_capita_population' and identities.per_capita_denominator = 'registered'
                then 'per_capita_on_registered_population'
            else identities.identity_code
        end as rule_code,
        'keep' as action,
        cast(null as double) as proposed_value,
        cast(null as {{ dbt.type_string() }}) as proposed_source_id,
        {{ dbt.concat(["identities.identity_code", "': computed '", "cast(round(identities.computed_value, 2) as " ~ dbt.type_string() ~ ")",
                       "', expected '", "cast(round(identities.expected_value, 2) as " ~ dbt.type_string() ~ ")"]) }} as evidence,
        identities.identity_gap as severity,
        9 as precedence
    from cross_source as cs
    inner join identities
        on cs.city_code = identities.city_code
        and cs.year = identities.year
        and cs.source_id = identities.source_id
        and not identities.identity_holds
        and (
            (identities.identity_code = 'shares_sum_to_100' and cs.indicator_code like '%share_pct')
            or (identities.identity_code = 'sectors_sum_to_gdp' and cs.indicator_code = 'gdp_cny_100m')
            or (identities.identity_code = 'per_capita_population' and cs.indicator_code = 'gdp_per_capita_cny')
        )
),

final as (
    select * from shift_flags
    union all
    select * from check_flags
    union all
    select * from agreement_flags
    union all
    select * from share_identity_fixes
    union all
    select * from identity_flags
)

select
    final.*,
    case
        when rule_code = 'year_shift' then 'year_shift'
        when rule_code in ('outvoted', 'disputed', 'minor_difference') then 'cross_source_agreement'
        when rule_code = 'revised_vintage' then 'vintage'
        when rule_code in ('shares_sum_to_100', 'shares_settled_by_other_source', 'sectors_sum_to_gdp', 'per_capita_population',
                           'per_capita_on_registered_population') then 'accounting_identity'
        when rule_code in ('out_of_range', 'decimal_slip', 'decimal_slip_in_other_source') then 'range_and_unit'
        when rule_code = 'index_form' then 'index_vs_percent'
        when rule_code = 'copy_of_previous_year' then 'copy_of_previous_year'
        when rule_code = 'registered_equals_resident' then 'contaminated_series'
    end as rule_family
from final
