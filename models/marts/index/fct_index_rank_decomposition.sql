-- Why this rank: for every city ranked in the headline year, what carries its index and
-- what holds it back, against the typical ranked city. The nominal index is a weighted
-- geometric mean, so ln(index) is the weighted mean of ln(pillar score) (scores below 1
-- count as 1), and a pillar's contribution is its weight share times the gap between the
-- city's ln(pillar score) and the mean over ranked cities; pillar contributions add up to
-- ln(index) minus the mean ln(index). Inside a pillar (an arithmetic mean) an indicator's
-- part is its weighted gap to the ranked cities' mean score, in pillar points; the parts of
-- a pillar add up to the pillar score minus the weighted mean of its indicators' peer
-- means. Positive carries the city; negative holds it back.
with scores as (
    select * from {{ ref('int_index__headline_scores') }}
),

pillar_rows as (
    select distinct city_code, year, index_score, index_rank, n_ranked, pillar, pillar_weight, pillar_score
    from scores
),

pillar_stats as (
    select
        pillar_rows.*,
        pillar_weight / sum(case when pillar_score is not null then pillar_weight end)
            over (partition by city_code) as pillar_weight_share,
        avg(ln(greatest(pillar_score, 1))) over (partition by pillar) as peer_mean_log_score
    from pillar_rows
),

pillar_contributions as (
    select
        pillar_stats.*,
        pillar_weight_share * (ln(greatest(pillar_score, 1)) - peer_mean_log_score) as contribution
    from pillar_stats
    where pillar_score is not null
),

indicator_stats as (
    select
        scores.city_code,
        scores.pillar,
        scores.indicator_code,
        scores.min_max_score,
        scores.imputation_status,
        scores.weight / sum(case when scores.min_max_score is not null then scores.weight end)
            over (partition by scores.city_code, scores.pillar) as weight_share_in_pillar,
        avg(scores.min_max_score) over (partition by scores.indicator_code) as peer_mean_score
    from scores
),

indicator_contributions as (
    select
        indicator_stats.*,
        pillar_contributions.year,
        pillar_contributions.index_score,
        pillar_contributions.index_rank,
        pillar_contributions.n_ranked,
        indicator_stats.weight_share_in_pillar
            * (indicator_stats.min_max_score - indicator_stats.peer_mean_score) as contribution
    from indicator_stats
    inner join pillar_contributions
        on pillar_contributions.city_code = indicator_stats.city_code
        and pillar_contributions.pillar = indicator_stats.pillar
    where indicator_stats.min_max_score is not null
),

together as (
    select city_code, year, index_score, index_rank, n_ranked, 'pillar' as level, pillar,
        cast(null as {{ dbt.type_string() }}) as indicator_code,
        pillar_score as score, exp(peer_mean_log_score) as peer_typical_score,
        contribution, pillar_score - exp(peer_mean_log_score) as points_vs_peer,
        cast(null as {{ dbt.type_string() }}) as imputation_status
    from pillar_contributions
    union all
    select city_code, year, index_score, index_rank, n_ranked, 'indicator', pillar, indicator_code,
        min_max_score, peer_mean_score, cast(null as double), contribution, imputation_status
    from indicator_contributions
)

select
    cast(together.city_code as {{ dbt.type_string() }}) as city_code,
    cast(city.name_en as {{ dbt.type_string() }}) as name_en,
    cast(together.year as integer) as year,
    cast(together.index_score as double) as index_score,
    cast(together.index_rank as integer) as nominal_rank,
    cast(together.n_ranked as integer) as n_ranked,
    cast(together.level as {{ dbt.type_string() }}) as level,
    cast(together.pillar as {{ dbt.type_string() }}) as pillar,
    cast(together.indicator_code as {{ dbt.type_string() }}) as indicator_code,
    cast(together.score as double) as score,
    cast(together.peer_typical_score as double) as peer_typical_score,
    cast(together.contribution as double) as contribution_log_points,
    cast(100 * (exp(together.contribution) - 1) as double) as effect_on_index_pct,
    cast(together.points_vs_peer as double) as points_vs_peer,
    cast(case when coalesce(together.contribution, together.points_vs_peer) >= 0 then 'carries' else 'holds_back' end
        as {{ dbt.type_string() }}) as role,
    cast(row_number() over (
        partition by together.city_code, together.level
        order by coalesce(together.contribution, together.points_vs_peer) desc, together.pillar, together.indicator_code)
        as integer) as order_in_city,
    cast(together.imputation_status as {{ dbt.type_string() }}) as imputation_status
from together
left join {{ ref('dim_city') }} as city on city.city_code = together.city_code
