-- The index per scenario, year and eligible city, and its rank among the inland cities
-- ranked in that scenario and year. Nominal aggregation is the weighted geometric mean of
-- the pillar scores (a missing ingredient cannot be bought with a surplus of another);
-- the alternative is the weighted arithmetic mean. A pillar left empty by "imputation off"
-- is skipped and the remaining pillar weights count in full.
with pillar_scores as (
    select * from {{ ref('int_index__scenario_pillar_scores') }}
),

scenarios as (
    select scenario_id, aggregation from {{ ref('int_index__scenarios') }}
),

pillar_weights as (
    select distinct scenario_id, pillar, pillar_weight from {{ ref('int_index__scenario_weights') }}
),

aggregated as (
    select
        pillar_scores.scenario_id,
        pillar_scores.year,
        pillar_scores.city_code,
        case scenarios.aggregation
            when 'arithmetic' then {{ index_weighted_mean('pillar_scores.pillar_score', 'pillar_weights.pillar_weight') }}
            else {{ index_weighted_geometric_mean('pillar_scores.pillar_score', 'pillar_weights.pillar_weight') }}
        end as index_score,
        count(pillar_scores.pillar_score) as n_pillars_used
    from pillar_scores
    inner join scenarios on scenarios.scenario_id = pillar_scores.scenario_id
    inner join pillar_weights
        on pillar_weights.scenario_id = pillar_scores.scenario_id
        and pillar_weights.pillar = pillar_scores.pillar
    group by pillar_scores.scenario_id, pillar_scores.year, pillar_scores.city_code, scenarios.aggregation
)

select
    scenario_id,
    year,
    city_code,
    -- rounded far below any meaningful difference, so floating-point noise of exp(ln(x))
    -- cannot reorder cities or differ between machines
    round(index_score, 9) as index_score,
    n_pillars_used,
    -- ties (rare with continuous scores) are broken by city code so ranks are exactly 1..n
    row_number() over (partition by scenario_id, year order by round(index_score, 9) desc, city_code) as index_rank,
    count(*) over (partition by scenario_id, year) as n_ranked
from aggregated
where index_score is not null
