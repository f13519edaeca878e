-- The nominal index of the headline year beside its pillar scores and normalised indicator
-- scores, one row per ranked city, pillar and indicator: the common input of the
-- correlation, influence and "why this rank" marts.
with headline as (
    select distinct year from {{ ref('int_index__coverage') }} where is_headline_year
),

ranked as (
    select city_code, year, index_score, index_rank, n_ranked
    from {{ ref('int_index__scenario_index') }}
    where scenario_id = 0 and year in (select year from headline)
),

pillars as (
    select city_code, year, pillar, pillar_score
    from {{ ref('int_index__scenario_pillar_scores') }}
    where scenario_id = 0 and year in (select year from headline)
),

catalogue as (
    select indicator_code, pillar, weight, pillar_weight from {{ ref('int_index__catalogue') }}
)

select
    ranked.city_code,
    ranked.year,
    ranked.index_score,
    ranked.index_rank,
    ranked.n_ranked,
    catalogue.pillar,
    catalogue.pillar_weight,
    pillars.pillar_score,
    catalogue.indicator_code,
    catalogue.weight,
    normalised.indicator_value,
    normalised.min_max_score,
    normalised.imputation_status,
    normalised.is_imputed
from ranked
cross join catalogue
left join pillars
    on pillars.city_code = ranked.city_code and pillars.year = ranked.year and pillars.pillar = catalogue.pillar
left join {{ ref('int_index__normalised') }} as normalised
    on normalised.city_code = ranked.city_code
    and normalised.year = ranked.year
    and normalised.indicator_code = catalogue.indicator_code
