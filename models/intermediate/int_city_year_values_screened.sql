-- Trend screens on the screened (resolved) level values, one row per city, year and level
-- indicator with a value. Two rule families:
--   trend_outlier  the value is far from what the city's own neighbouring years (two on each side,
--                  one is enough) imply. Each neighbour is carried to this year with the
--                  indicator's typical yearly change (the median year-on-year log change over all
--                  cities and years); the value is an outlier when its log distance from the
--                  median of those projections exceeds 5 robust standard deviations of the
--                  year-on-year log change (1.4826 x the median absolute deviation, over all cities
--                  and years of the indicator). Under a normal law that is a one-in-a-million
--                  event; the scale comes from the data of all cities, never from one city. No
--                  neighbour is used across a documented or territorial break.
--   level_break    a change of more than 50% from the year before that is also beyond 5 robust
--                  standard deviations of the indicator's yearly change (so volatile series such
--                  as FDI are not all breaks); explained when a documented
--                  break (documented_breaks) or a territory change (a unit merged into this city,
--                  cities seed) starts that year, otherwise unexplained.
-- Values stay as they are; a trend outlier or an unexplained break is flagged (is_suspect_value).
{% set robust_sd_limit = 5 %}
{% set break_ratio = 1.5 %}

with level_indicators as (
    select indicator_code
    from {{ ref('stg_seeds__screening_thresholds') }}
    where is_level_series
),

resolved_values as (
    select
        reconciled.city_code,
        reconciled.year,
        reconciled.indicator_code,
        reconciled.value,
        ln(reconciled.value) as log_value
    from {{ ref('int_city_year_values_reconciled') }} as reconciled
    inner join level_indicators
        on reconciled.indicator_code = level_indicators.indicator_code
    where reconciled.value > 0
),

-- breaks that start a new basis in a year: documented (all cities) and territorial (successors)
series_breaks as (
    select
        cities.city_code,
        breaks.indicator_code,
        breaks.first_year_on_new_basis as break_year,
        {{ dbt.concat(["breaks.break_kind", "': '", "breaks.break_note"]) }} as break_reason
    from {{ ref('stg_seeds__documented_breaks') }} as breaks
    cross join (select distinct city_code from resolved_values) as cities

    union all

    select
        absorbed.successor_code as city_code,
        level_indicators.indicator_code,
        absorbed.valid_to_year + 1 as break_year,
        {{ dbt.concat(["'territory: absorbed '", "absorbed.city_code"]) }} as break_reason
    from {{ ref('stg_seeds__cities') }} as absorbed
    cross join level_indicators
    where absorbed.successor_code is not null
        and absorbed.valid_to_year is not null
),

year_on_year as (
    select
        current_year.city_code,
        current_year.year,
        current_year.indicator_code,
        current_year.log_value - prior_year.log_value as log_change
    from resolved_values as current_year
    inner join resolved_values as prior_year
        on current_year.city_code = prior_year.city_code
        and current_year.indicator_code = prior_year.indicator_code
        and prior_year.year = current_year.year - 1
),

typical_change as (
    select
        indicator_code,
        {{ index_quantile('log_change', 0.5) }} as median_log_change
    from year_on_year
    group by indicator_code
),

robust_scale as (
    select
        year_on_year.indicator_code,
        typical_change.median_log_change,
        1.4826 * {{ index_quantile('abs(year_on_year.log_change - typical_change.median_log_change)', 0.5) }}
            as robust_sd_log_change
    from year_on_year
    inner join typical_change
        on year_on_year.indicator_code = typical_change.indicator_code
    group by year_on_year.indicator_code, typical_change.median_log_change
),

-- the start year of the basis each value is on: the latest break at or before its year (null
-- before the first one). Two years are on the same basis exactly when no break falls after the
-- earlier and at or before the later, so neighbours are looked up within a basis.
value_bases as (
    select
        resolved_values.city_code,
        resolved_values.year,
        resolved_values.indicator_code,
        max(series_breaks.break_year) as basis_from_year
    from resolved_values
    left join series_breaks
        on resolved_values.city_code = series_breaks.city_code
        and resolved_values.indicator_code = series_breaks.indicator_code
        and series_breaks.break_year <= resolved_values.year
    group by resolved_values.city_code, resolved_values.year, resolved_values.indicator_code
),

-- the two values before and after each value on the same basis (a window over the city's
-- series, not a self-join: at county scale the pairs of a self-join do not fit in memory)
series_neighbours as (
    select
        resolved_values.city_code,
        resolved_values.year,
        resolved_values.indicator_code,
        lag(resolved_values.year, 2) over series as before_2_year,
        lag(resolved_values.value, 2) over series as before_2_value,
        lag(resolved_values.log_value, 2) over series as before_2_log_value,
        lag(resolved_values.year, 1) over series as before_1_year,
        lag(resolved_values.value, 1) over series as before_1_value,
        lag(resolved_values.log_value, 1) over series as before_1_log_value,
        lead(resolved_values.year, 1) over series as after_1_year,
        lead(resolved_values.value, 1) over series as after_1_value,
        lead(resolved_values.log_value, 1) over series as after_1_log_value,
        lead(resolved_values.year, 2) over series as after_2_year,
        lead(resolved_values.value, 2) over series as after_2_value,
        lead(resolved_values.log_value, 2) over series as after_2_log_value
    from resolved_values
    inner join value_bases
        on resolved_values.city_code = value_bases.city_code
        and resolved_values.year = value_bases.year
        and resolved_values.indicator_code = value_bases.indicator_code
    window series as (
        partition by resolved_values.city_code, resolved_values.indicator_code, value_bases.basis_from_year
        order by resolved_values.year
    )
),

-- the neighbours within two years (a gap in the series leaves fewer), each also carried to this
-- year along the indicator's typical change
projections as (
    select
        series_neighbours.city_code,
        series_neighbours.year,
        series_neighbours.indicator_code,
        {%- for neighbour in ['before_2', 'before_1', 'after_1', 'after_2'] %}
        case when abs({{ neighbour }}_year - series_neighbours.year) <= 2
            then {{ neighbour }}_value
        end as {{ neighbour }}_value,
        case when abs({{ neighbour }}_year - series_neighbours.year) <= 2
            then {{ neighbour }}_log_value
                + robust_scale.median_log_change * (series_neighbours.year - {{ neighbour }}_year)
        end as {{ neighbour }}_projected_log_value
        {{- ',' if not loop.last }}
        {%- endfor %}
    from series_neighbours
    inner join robust_scale
        on series_neighbours.indicator_code = robust_scale.indicator_code
),

neighbours as (
    select
        city_code,
        year,
        indicator_code,
        case when before_2_value is null then 0 else 1 end
            + case when before_1_value is null then 0 else 1 end
            + case when after_1_value is null then 0 else 1 end
            + case when after_2_value is null then 0 else 1 end as n_neighbour_values,
        {{ median_of(['before_2_value', 'before_1_value', 'after_1_value', 'after_2_value']) }}
            as neighbour_median,
        {{ median_of([
            'before_2_projected_log_value', 'before_1_projected_log_value',
            'after_1_projected_log_value', 'after_2_projected_log_value'
        ]) }} as projected_log_value
    from projections
),

break_reasons as (
    select
        city_code,
        indicator_code,
        break_year,
        min(break_reason) as break_reason
    from series_breaks
    group by city_code, indicator_code, break_year
),

final as (
    select
        resolved_values.city_code,
        resolved_values.year,
        resolved_values.indicator_code,
        neighbours.n_neighbour_values,
        neighbours.neighbour_median,
        resolved_values.value / nullif(neighbours.neighbour_median, 0) as ratio_to_neighbour_median,
        (resolved_values.log_value - neighbours.projected_log_value)
            / nullif(robust_scale.robust_sd_log_change, 0) as trend_robust_z,
        coalesce(
            abs(resolved_values.log_value - neighbours.projected_log_value)
                > {{ robust_sd_limit }} * robust_scale.robust_sd_log_change,
            false
        ) as is_trend_outlier,
        (exp(year_on_year.log_change) - 1) * 100 as change_from_prior_year_pct,
        case
            when year_on_year.log_change is null
                or abs(year_on_year.log_change) <= ln({{ break_ratio }})
                or abs(year_on_year.log_change - robust_scale.median_log_change)
                    <= {{ robust_sd_limit }} * robust_scale.robust_sd_log_change
                then null
            when break_reasons.break_reason is not null then 'explained'
            else 'unexplained'
        end as level_break,
        case
            when abs(year_on_year.log_change) > ln({{ break_ratio }})
                and abs(year_on_year.log_change - robust_scale.median_log_change)
                    > {{ robust_sd_limit }} * robust_scale.robust_sd_log_change
                then break_reasons.break_reason
        end as level_break_reason
    from resolved_values
    inner join robust_scale
        on resolved_values.indicator_code = robust_scale.indicator_code
    inner join neighbours
        on resolved_values.city_code = neighbours.city_code
        and resolved_values.year = neighbours.year
        and resolved_values.indicator_code = neighbours.indicator_code
    left join year_on_year
        on resolved_values.city_code = year_on_year.city_code
        and resolved_values.year = year_on_year.year
        and resolved_values.indicator_code = year_on_year.indicator_code
    left join break_reasons
        on resolved_values.city_code = break_reasons.city_code
        and resolved_values.indicator_code = break_reasons.indicator_code
        and resolved_values.year = break_reasons.break_year
)

select
    final.*,
    is_trend_outlier or coalesce(level_break = 'unexplained', false) as is_suspect_value
from final
