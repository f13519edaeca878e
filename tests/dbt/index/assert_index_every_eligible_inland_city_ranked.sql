-- Every inland city that meets the coverage rule in the latest rankable year is ranked,
-- and nothing else is.
with eligible as (
    select city_code from {{ ref('int_index__coverage') }}
    where is_headline_year and is_eligible
),

ranked as (
    select city_code from {{ ref('fct_replicability_ranking') }}
)

select 'eligible but not ranked' as problem, city_code from eligible
where city_code not in (select city_code from ranked)
union all
select 'ranked but not eligible', city_code from ranked
where city_code not in (select city_code from eligible)
