-- Normalised indicator scores for inland cities, after the outlier treatment. Goalposts
-- (min and max, mean and standard deviation) are taken over all inland cities and all years
-- at once, so a score means the same thing in every year. Direction -1 turns the scale so
-- that higher is always better.
--   min_max_score: 0-100 between the goalposts (the nominal method)
--   z_score:       standard score
--   t_score:       50 + 10 z with z capped at +/-3 (var index_z_cap), so T lies in [20, 80]:
--                  the outlier cap of the alternative method in the scenarios (one
--                  treatment in every normalisation, after the COINr rule above)
with grid as (
    select imputed.*
    from {{ ref('int_index__imputed') }} as imputed
    inner join {{ ref('dim_city') }} as city
        on city.city_code = imputed.city_code
    where city.is_inland and imputed.indicator_value is not null
),

catalogue as (
    select indicator_code, direction from {{ ref('int_index__catalogue') }}
),

rules as (
    select indicator_code, treatment, p02_value, p98_value from {{ ref('int_index__outlier_rules') }}
),

treated as (
    select
        grid.city_code,
        grid.year,
        grid.indicator_code,
        grid.pillar,
        grid.indicator_value,
        {{ index_treat_outlier('rules.treatment', 'grid.indicator_value', 'rules.p02_value', 'rules.p98_value') }} as treated_value,
        grid.imputation_status,
        grid.is_imputed,
        catalogue.direction
    from grid
    inner join catalogue on catalogue.indicator_code = grid.indicator_code
    inner join rules on rules.indicator_code = grid.indicator_code
),

goalposts as (
    select
        indicator_code,
        min(treated_value) as goalpost_min,
        max(treated_value) as goalpost_max,
        avg(treated_value) as pooled_mean,
        stddev_samp(treated_value) as pooled_sd
    from treated
    group by indicator_code
),

scored as (
    select
        treated.*,
        goalposts.goalpost_min,
        goalposts.goalpost_max,
        case
            when goalposts.goalpost_max > goalposts.goalpost_min then
                100.0 * case when treated.direction = -1
                    then (goalposts.goalpost_max - treated.treated_value)
                    else (treated.treated_value - goalposts.goalpost_min) end
                / (goalposts.goalpost_max - goalposts.goalpost_min)
        end as min_max_score,
        case
            when goalposts.pooled_sd > 0 then
                case when treated.direction = -1
                    then goalposts.pooled_mean - treated.treated_value
                    else treated.treated_value - goalposts.pooled_mean end
                / goalposts.pooled_sd
        end as z_score
    from treated
    inner join goalposts on goalposts.indicator_code = treated.indicator_code
)

select
    city_code,
    year,
    indicator_code,
    pillar,
    indicator_value,
    treated_value,
    imputation_status,
    is_imputed,
    goalpost_min,
    goalpost_max,
    -- clamp only removes floating-point rounding at the goalposts (100.00000000000001)
    least(greatest(min_max_score, 0), 100) as min_max_score,
    z_score,
    least(greatest(z_score, -{{ var('index_z_cap', 3) }}), {{ var('index_z_cap', 3) }}) as capped_z_score,
    50 + 10 * least(greatest(z_score, -{{ var('index_z_cap', 3) }}), {{ var('index_z_cap', 3) }}) as t_score
from scored
