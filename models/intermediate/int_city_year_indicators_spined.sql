-- The complete spine city x year (2000-2023) x city indicator, with the screened value where one
-- exists and otherwise the reason it is missing (including a value the screens set aside), plus
-- the screens' resolution, evidence and the original and alternative figures. Rule for changed units: a unit keeps its own
-- code for every year; years before it was set up or after it was abolished stay as rows marked
-- by unit_status, and values stay with the code they were published under (nothing is moved to
-- a successor or predecessor).
{% set first_year = 2000 %}
{% set last_year = 2023 %}

with cities as (
    select
        city_code,
        valid_from_year,
        valid_to_year
    from {{ ref('stg_seeds__cities') }}
),

years as (
    select cast(generated_number + {{ first_year - 1 }} as integer) as year
    from ({{ dbt.generate_series(last_year - first_year + 1) }}) as series
),

-- the city indicators are those the city value seed carries
city_indicators as (
    select
        indicators.indicator_code,
        indicators.unit,
        indicators.series_kind
    from {{ ref('stg_seeds__indicators') }} as indicators
    where indicators.indicator_code in (
        select indicator_code from {{ ref('stg_seeds__city_year_values') }}
    )
),

reconciled as (
    select * from {{ ref('int_city_year_values_reconciled') }}
),

screened as (
    select * from {{ ref('int_city_year_values_screened') }}
),

-- indicator-years for which at least one city has a value: outside them no source covers the year
covered_indicator_years as (
    select distinct
        indicator_code,
        year
    from reconciled
),

-- each unit's status in each spine year
city_years as (
    select
        cities.city_code,
        years.year,
        case
            when years.year < cities.valid_from_year then 'not_yet_established'
            when years.year > cities.valid_to_year then 'abolished'
            else 'active'
        end as unit_status
    from cities
    cross join years
),

-- The spine in two parts that do not overlap: the keys with a reconciled row, which take their
-- status and unit from the small tables, and the keys without one. Joining the whole spine to the
-- wide reconciled rows instead holds those rows in a hash table, which at county scale does not
-- fit in memory and spills to disk.
spine_with_row as (
    select
        city_years.city_code,
        city_years.year,
        city_indicators.indicator_code,
        city_indicators.unit,
        city_indicators.series_kind,
        city_years.unit_status,
        reconciled.value,
        reconciled.source_id,
        reconciled.resolution,
        reconciled.n_alternative_sources,
        reconciled.alternative_gap_pct,
        reconciled.alternative_gap_source_id,
        reconciled.resolution_rule,
        reconciled.resolution_evidence,
        reconciled.screening_rules,
        reconciled.original_value,
        reconciled.original_source_id,
        reconciled.alternative_values
    from reconciled
    inner join city_years
        on reconciled.city_code = city_years.city_code
        and reconciled.year = city_years.year
    inner join city_indicators
        on reconciled.indicator_code = city_indicators.indicator_code
),

spine_without_row as (
    select
        city_years.city_code,
        city_years.year,
        city_indicators.indicator_code,
        city_indicators.unit,
        city_indicators.series_kind,
        city_years.unit_status,
        cast(null as double) as value,
        cast(null as {{ dbt.type_string() }}) as source_id,
        cast(null as {{ dbt.type_string() }}) as resolution,
        cast(null as {{ dbt.type_bigint() }}) as n_alternative_sources,
        cast(null as double) as alternative_gap_pct,
        cast(null as {{ dbt.type_string() }}) as alternative_gap_source_id,
        cast(null as {{ dbt.type_string() }}) as resolution_rule,
        cast(null as {{ dbt.type_string() }}) as resolution_evidence,
        cast(null as {{ dbt.type_string() }}) as screening_rules,
        cast(null as double) as original_value,
        cast(null as {{ dbt.type_string() }}) as original_source_id,
        cast(null as {{ dbt.type_string() }}) as alternative_values
    from city_years
    cross join city_indicators
    where not exists (
        select 1
        from reconciled
        where reconciled.city_code = city_years.city_code
            and reconciled.year = city_years.year
            and reconciled.indicator_code = city_indicators.indicator_code
    )
),

spine as (
    select * from spine_with_row
    union all
    select * from spine_without_row
),

final as (
    select
        spine.city_code,
        spine.year,
        spine.indicator_code,
        spine.value,
        spine.unit,
        spine.series_kind,
        spine.source_id,
        spine.unit_status,
        case
            when spine.value is not null then null
            when spine.resolution = 'nulled' then 'screened_out'
            when spine.unit_status = 'not_yet_established' then 'unit_not_yet_established'
            when spine.unit_status = 'abolished' then 'unit_abolished'
            when covered_indicator_years.indicator_code is null then 'no_source_for_year'
            else 'no_source_value'
        end as missing_reason,
        coalesce(spine.n_alternative_sources, 0) as n_alternative_sources,
        spine.alternative_gap_pct,
        spine.alternative_gap_source_id,
        -- suspect: a trend outlier, an unexplained break, or a value kept although another
        -- source or an identity contradicts it beyond tolerance
        coalesce(screened.is_suspect_value, false)
            or coalesce(spine.resolution_rule in (
                'disputed', 'sectors_sum_to_gdp', 'shares_sum_to_100'), false)
            as is_suspect_value,
        screened.ratio_to_neighbour_median,
        screened.trend_robust_z,
        screened.level_break,
        screened.level_break_reason,
        coalesce(spine.resolution, 'no_value') as resolution,
        spine.resolution_rule,
        spine.resolution_evidence,
        {{ dbt.concat(["coalesce(spine.screening_rules, '')",
                       "case when screened.is_trend_outlier then ', trend_outlier' else '' end",
                       "case when screened.level_break = 'unexplained' then ', unexplained_level_break' else '' end"]) }}
            as screening_rules_raw,
        spine.original_value,
        spine.original_source_id,
        spine.alternative_values
    from spine
    left join screened
        on spine.city_code = screened.city_code
        and spine.year = screened.year
        and spine.indicator_code = screened.indicator_code
    left join covered_indicator_years
        on spine.indicator_code = covered_indicator_years.indicator_code
        and spine.year = covered_indicator_years.year
)

-- the value screens' rules and the trend screens' in one comma-separated list (null when none)
select
    final.*,
    case
        when screening_rules_raw = '' then null
        when screening_rules_raw like ', %' then substring(screening_rules_raw, 3)
        else screening_rules_raw
    end as screening_rules
from final
