-- The normalised scores of every eligible city in every rankable year, packed as lists:
-- one inner list per pillar, indicators in catalogue order (pillar, then indicator code),
-- so each city-year is one narrow row. A score the variant leaves out (missing, no score,
-- or imputed under "imputation off") is 0 with inclusion flag 0. The scenario models then
-- score a scenario with a few dot products per row instead of joining every scenario to
-- every indicator value.
with coverage as (
    select city_code, year, is_headline_year
    from {{ ref('int_index__coverage') }}
    where is_eligible and is_rankable_year
),

catalogue as (
    select indicator_code, pillar from {{ ref('int_index__catalogue') }}
),

-- every catalogue indicator for every city-year, so all lists have the same shape
grid as (
    select
        coverage.city_code,
        coverage.year,
        coverage.is_headline_year,
        catalogue.pillar,
        catalogue.indicator_code,
        normalised.indicator_code is not null as has_row,
        coalesce(normalised.is_imputed, false) as is_imputed,
        normalised.min_max_score,
        normalised.t_score
    from coverage
    cross join catalogue
    left join {{ ref('int_index__normalised') }} as normalised
        on normalised.city_code = coverage.city_code
        and normalised.year = coverage.year
        and normalised.indicator_code = catalogue.indicator_code
),

per_pillar as (
    select
        city_code,
        year,
        is_headline_year,
        pillar,
        {{ index_list_agg('coalesce(min_max_score, 0)', 'indicator_code') }} as min_max_on,
        {{ index_list_agg('case when min_max_score is not null then 1.0 else 0.0 end', 'indicator_code') }} as min_max_on_included,
        {{ index_list_agg('case when is_imputed then 0 else coalesce(min_max_score, 0) end', 'indicator_code') }} as min_max_off,
        {{ index_list_agg('case when min_max_score is not null and not is_imputed then 1.0 else 0.0 end', 'indicator_code') }} as min_max_off_included,
        {{ index_list_agg('coalesce(t_score, 0)', 'indicator_code') }} as t_score_on,
        {{ index_list_agg('case when t_score is not null then 1.0 else 0.0 end', 'indicator_code') }} as t_score_on_included,
        {{ index_list_agg('case when is_imputed then 0 else coalesce(t_score, 0) end', 'indicator_code') }} as t_score_off,
        {{ index_list_agg('case when t_score is not null and not is_imputed then 1.0 else 0.0 end', 'indicator_code') }} as t_score_off_included,
        -- indicator rows behind the pillar under each imputation setting (a pillar without
        -- any is not scored at all) and how many of them are imputed
        sum(case when has_row then 1 else 0 end) as n_rows_on,
        sum(case when has_row and not is_imputed then 1 else 0 end) as n_rows_off,
        sum(case when is_imputed then 1 else 0 end) as n_imputed
    from grid
    group by city_code, year, is_headline_year, pillar
)

select
    city_code,
    year,
    is_headline_year,
    {{ index_list_agg('pillar', 'pillar') }} as pillars,
    {{ index_list_agg('min_max_on', 'pillar') }} as min_max_on,
    {{ index_list_agg('min_max_on_included', 'pillar') }} as min_max_on_included,
    {{ index_list_agg('min_max_off', 'pillar') }} as min_max_off,
    {{ index_list_agg('min_max_off_included', 'pillar') }} as min_max_off_included,
    {{ index_list_agg('t_score_on', 'pillar') }} as t_score_on,
    {{ index_list_agg('t_score_on_included', 'pillar') }} as t_score_on_included,
    {{ index_list_agg('t_score_off', 'pillar') }} as t_score_off,
    {{ index_list_agg('t_score_off_included', 'pillar') }} as t_score_off_included,
    {{ index_list_agg('n_rows_on', 'pillar') }} as n_rows_on,
    {{ index_list_agg('n_rows_off', 'pillar') }} as n_rows_off,
    {{ index_list_agg('n_imputed', 'pillar') }} as n_imputed
from per_pillar
group by city_code, year, is_headline_year
