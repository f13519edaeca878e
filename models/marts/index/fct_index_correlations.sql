-- Correlation analysis of the headline year (step 4 of the OECD/JRC handbook): Pearson r
-- over the ranked cities between every pair of indicators, each indicator and its pillar
-- and the index, and every pair of pillars and each pillar and the index. Within a pillar,
-- |r| above 0.92 marks near-duplicates (var index_near_duplicate_r); an indicator weakly or
-- negatively related to its pillar is flagged in dim_index_indicator.
with scores as (
    select * from {{ ref('int_index__headline_scores') }}
),

items as (
    select distinct city_code, 'indicator' as item_type, indicator_code as item_code, pillar, min_max_score as item_value
    from scores
    union all
    select distinct city_code, 'pillar', pillar, pillar, pillar_score
    from scores
    union all
    select distinct city_code, 'index', 'index', cast(null as {{ dbt.type_string() }}), index_score
    from scores
),

pairs as (
    select
        a.item_type as item_a_type,
        a.item_code as item_a,
        a.pillar as pillar_a,
        b.item_type as item_b_type,
        b.item_code as item_b,
        b.pillar as pillar_b,
        corr(a.item_value, b.item_value) as pearson_r,
        count(a.item_value * b.item_value) as n_cities
    from items as a
    inner join items as b on b.city_code = a.city_code
    where (a.item_type = 'indicator' and b.item_type = 'indicator' and a.item_code < b.item_code)
       or (a.item_type = 'indicator' and b.item_type = 'pillar' and a.pillar = b.pillar)
       or (a.item_type = 'indicator' and b.item_type = 'index')
       or (a.item_type = 'pillar' and b.item_type = 'pillar' and a.item_code < b.item_code)
       or (a.item_type = 'pillar' and b.item_type = 'index')
    group by a.item_type, a.item_code, a.pillar, b.item_type, b.item_code, b.pillar
)

select
    cast((select max(year) from scores) as integer) as year,
    cast(item_a_type as {{ dbt.type_string() }}) as item_a_type,
    cast(item_a as {{ dbt.type_string() }}) as item_a,
    cast(item_b_type as {{ dbt.type_string() }}) as item_b_type,
    cast(item_b as {{ dbt.type_string() }}) as item_b,
    cast(item_a_type = 'indicator' and item_b_type = 'indicator' and pillar_a = pillar_b as boolean) as is_same_pillar,
    cast(pearson_r as double) as pearson_r,
    cast(n_cities as integer) as n_cities,
    cast(item_a_type = 'indicator' and item_b_type = 'indicator' and pillar_a = pillar_b
        and abs(pearson_r) > {{ var('index_near_duplicate_r', 0.92) }} as boolean) as is_near_duplicate
from pairs
