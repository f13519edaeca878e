-- The back-test, reported whatever it shows: does the index as it could have been computed
-- in the base year (real time: inputs, lists, outlier rules and goalposts dated no later
-- than the base year) rank cities by what happened over the next ten years? One row per
-- sample (all_cities; without_reference = goalposts without Hefei and Hefei left out) and
-- target (real GDP growth; change of the secondary share). Spearman rho with a 95%
-- confidence interval from the Fisher z transform (standard error 1.06 / sqrt(n - 3),
-- Fieller, Hartley and Pearson 1957), the partial rho holding initial GDP per resident
-- fixed, and the rho within provinces.
with correlations as (
    select
        correlations.*,
        0.5 * ln((1 + spearman_rho) / (1 - spearman_rho)) as fisher_z,
        1.06 / sqrt(n_cities - 3) as fisher_se
    from {{ ref('int_index__backtest_correlations') }} as correlations
),

available as (
    select
        count(distinct indicator_code) as n_indicators,
        count(distinct pillar) as n_pillars
    from {{ ref('int_index__realtime_scores') }}
    where as_of_year = {{ var('index_backtest_base_year', 2012) }}
)

select
    cast({{ var('index_backtest_base_year', 2012) }} as integer) as base_year,
    cast({{ var('index_backtest_base_year', 2012) + var('index_backtest_horizon_years', 10) }} as integer) as end_year,
    cast(correlations.sample as {{ dbt.type_string() }}) as sample,
    cast(correlations.target as {{ dbt.type_string() }}) as target,
    cast(correlations.n_cities as integer) as n_cities,
    cast(available.n_indicators as integer) as n_indicators_in_base_year_index,
    cast(available.n_pillars as integer) as n_pillars_in_base_year_index,
    cast(correlations.spearman_rho as double) as spearman_rho,
    cast((exp(2 * (correlations.fisher_z - 1.96 * correlations.fisher_se)) - 1)
        / (exp(2 * (correlations.fisher_z - 1.96 * correlations.fisher_se)) + 1) as double) as spearman_rho_ci95_low,
    cast((exp(2 * (correlations.fisher_z + 1.96 * correlations.fisher_se)) - 1)
        / (exp(2 * (correlations.fisher_z + 1.96 * correlations.fisher_se)) + 1) as double) as spearman_rho_ci95_high,
    cast(correlations.rho_index_initial_income as double) as rho_index_initial_income,
    cast(correlations.rho_target_initial_income as double) as rho_target_initial_income,
    cast(correlations.partial_rho_initial_income as double) as partial_rho_initial_income,
    cast(correlations.rho_within_province as double) as rho_within_province,
    cast(correlations.n_provinces as integer) as n_provinces,
    cast(correlations.n_cities_within as integer) as n_cities_within_provinces
from correlations
cross join available
