-- The outlier rule (after COINr's default), per indicator, over all observed values of
-- inland cities pooled across years (the pool the goalposts come from). An indicator fails
-- when |skewness| > 2 and excess kurtosis > 3.5. A failing indicator is first winsorised at
-- its 2nd and 98th percentiles (about five points per year); if it still fails and has no
-- negative value, it is log-transformed (ln(1 + x)) instead. Flags with two values or fewer
-- cannot have outliers and are left alone. Statistics after treatment are kept.
with values_in_pool as (
    select indicator_values.indicator_code, indicator_values.indicator_value
    from {{ ref('int_index__indicator_values') }} as indicator_values
    inner join {{ ref('dim_city') }} as city
        on city.city_code = indicator_values.city_code
    where city.is_inland
),

before_treatment as (
    select
        indicator_code,
        count(*) as n_values,
        count(distinct indicator_value) as n_distinct_values,
        min(indicator_value) as min_value,
        max(indicator_value) as max_value,
        {{ index_quantile('indicator_value', 0.02) }} as p02_value,
        {{ index_quantile('indicator_value', 0.98) }} as p98_value,
        {{ index_skewness('indicator_value') }} as skewness_before,
        {{ index_kurtosis('indicator_value') }} as kurtosis_before
    from values_in_pool
    group by indicator_code
),

winsorised_check as (
    select
        values_in_pool.indicator_code,
        {{ index_skewness(index_treat_outlier("'winsorise'", 'values_in_pool.indicator_value', 'before_treatment.p02_value', 'before_treatment.p98_value')) }} as skewness_winsorised,
        {{ index_kurtosis(index_treat_outlier("'winsorise'", 'values_in_pool.indicator_value', 'before_treatment.p02_value', 'before_treatment.p98_value')) }} as kurtosis_winsorised
    from values_in_pool
    inner join before_treatment on before_treatment.indicator_code = values_in_pool.indicator_code
    group by values_in_pool.indicator_code
),

rules as (
    select
        before_treatment.*,
        case
            when before_treatment.n_distinct_values <= 2 then 'none'
            when not {{ index_fails_outlier_rule('before_treatment.skewness_before', 'before_treatment.kurtosis_before') }} then 'none'
            when before_treatment.p98_value > before_treatment.p02_value
                 and not {{ index_fails_outlier_rule('winsorised_check.skewness_winsorised', 'winsorised_check.kurtosis_winsorised') }}
                then 'winsorise'
            when before_treatment.min_value >= 0 then 'log'
            else 'winsorise'
        end as treatment
    from before_treatment
    left join winsorised_check on winsorised_check.indicator_code = before_treatment.indicator_code
),

after_treatment as (
    select
        values_in_pool.indicator_code,
        {{ index_skewness(index_treat_outlier('rules.treatment', 'values_in_pool.indicator_value', 'rules.p02_value', 'rules.p98_value')) }} as skewness_after,
        {{ index_kurtosis(index_treat_outlier('rules.treatment', 'values_in_pool.indicator_value', 'rules.p02_value', 'rules.p98_value')) }} as kurtosis_after
    from values_in_pool
    inner join rules on rules.indicator_code = values_in_pool.indicator_code
    group by values_in_pool.indicator_code
)

select
    rules.indicator_code,
    rules.n_values,
    rules.n_distinct_values,
    rules.min_value,
    rules.max_value,
    rules.p02_value,
    rules.p98_value,
    rules.skewness_before,
    rules.kurtosis_before,
    rules.treatment,
    rules.treatment <> 'none' as is_treated,
    after_treatment.skewness_after,
    after_treatment.kurtosis_after,
    {{ index_fails_outlier_rule('after_treatment.skewness_after', 'after_treatment.kurtosis_after') }} as still_fails_rule
from rules
left join after_treatment on after_treatment.indicator_code = rules.indicator_code
