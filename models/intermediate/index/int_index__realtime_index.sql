-- The real-time index per as-of year and goalpost pool (see int_index__realtime_scores):
-- pillar scores as weighted means of the available indicators' min-max scores, the index as
-- the weighted geometric mean of the pillars (1-point floor, as the headline index), and the
-- rank among the inland cities that have every available pillar and at least two thirds of
-- the available indicators. With the without_reference pool, Hefei is scored against
-- goalposts it did not help set (it is still ranked, so its real-time place can be read).
with scores as (
    select * from {{ ref('int_index__realtime_scores') }}
),

available as (
    select
        as_of_year,
        count(distinct indicator_code) as n_indicators,
        count(distinct pillar) as n_pillars
    from scores
    group by as_of_year
),

pillars as (
    select
        goalpost_pool,
        as_of_year,
        city_code,
        pillar,
        max(pillar_weight) as pillar_weight,
        {{ index_weighted_mean('min_max_score', 'weight') }} as pillar_score,
        count(min_max_score) as n_indicators
    from scores
    group by goalpost_pool, as_of_year, city_code, pillar
),

per_city as (
    select
        goalpost_pool,
        as_of_year,
        city_code,
        {{ index_weighted_geometric_mean('pillar_score', 'pillar_weight') }} as index_score,
        count(pillar_score) as n_pillars_used,
        sum(n_indicators) as n_indicators_used
    from pillars
    group by goalpost_pool, as_of_year, city_code
),

eligible as (
    select per_city.*, available.n_pillars, available.n_indicators
    from per_city
    inner join available on available.as_of_year = per_city.as_of_year
    where per_city.n_pillars_used = available.n_pillars
      and per_city.n_indicators_used >= {{ var('index_min_indicator_share', 0.667) }} * available.n_indicators
)

select
    goalpost_pool,
    as_of_year,
    city_code,
    round(index_score, 9) as index_score,
    n_pillars_used,
    n_indicators_used,
    n_pillars as n_pillars_available,
    n_indicators as n_indicators_available,
    row_number() over (partition by goalpost_pool, as_of_year order by round(index_score, 9) desc, city_code) as index_rank,
    count(*) over (partition by goalpost_pool, as_of_year) as n_ranked
from eligible
