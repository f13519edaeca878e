-- The back-test, reported whatever it shows: does the index computed from data up to the
-- base year rank cities the way their real GDP grew over the next ten years? Nominal
-- Spearman rho with a 95% confidence interval from the Fisher z transform (standard error
-- 1.06 / sqrt(n - 3), Fieller, Hartley and Pearson 1957), and the 5th-95th percentile of
-- rho over the Monte Carlo scenarios.
with correlations as (
    select correlations.*, scenarios.design
    from {{ ref('int_index__backtest_correlations') }} as correlations
    inner join {{ ref('int_index__scenarios') }} as scenarios on scenarios.scenario_id = correlations.scenario_id
),

nominal as (
    select
        n_cities,
        spearman_rho,
        0.5 * ln((1 + spearman_rho) / (1 - spearman_rho)) as fisher_z,
        1.06 / sqrt(n_cities - 3) as fisher_se
    from correlations
    where scenario_id = 0
),

across_scenarios as (
    select
        {{ index_quantile('spearman_rho', 0.05) }} as rho_p05,
        {{ index_quantile('spearman_rho', 0.5) }} as rho_median,
        {{ index_quantile('spearman_rho', 0.95) }} as rho_p95,
        count(*) as n_scenarios
    from correlations
    where design = 'monte_carlo'
)

select
    cast({{ var('index_backtest_base_year', 2012) }} as integer) as base_year,
    cast({{ var('index_backtest_base_year', 2012) + var('index_backtest_horizon_years', 10) }} as integer) as end_year,
    cast(nominal.n_cities as integer) as n_cities,
    cast(nominal.spearman_rho as double) as spearman_rho,
    cast((exp(2 * (nominal.fisher_z - 1.96 * nominal.fisher_se)) - 1)
        / (exp(2 * (nominal.fisher_z - 1.96 * nominal.fisher_se)) + 1) as double) as spearman_rho_ci95_low,
    cast((exp(2 * (nominal.fisher_z + 1.96 * nominal.fisher_se)) - 1)
        / (exp(2 * (nominal.fisher_z + 1.96 * nominal.fisher_se)) + 1) as double) as spearman_rho_ci95_high,
    cast(across_scenarios.rho_p05 as double) as spearman_rho_scenario_p05,
    cast(across_scenarios.rho_median as double) as spearman_rho_scenario_median,
    cast(across_scenarios.rho_p95 as double) as spearman_rho_scenario_p95,
    cast(across_scenarios.n_scenarios as integer) as n_scenarios
from nominal
cross join across_scenarios
