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

{#- the score lists of each normalisation x imputation variant, with their inclusion flags -#}
{%- set variants = {
    'min_max_on': 'coalesce(min_max_score, 0)',
    'min_max_on_included': 'case when min_max_score is not null then 1.0 else 0.0 end',
    'min_max_off': 'case when is_imputed then 0 else coalesce(min_max_score, 0) end',
    'min_max_off_included': 'case when min_max_score is not null and not is_imputed then 1.0 else 0.0 end',
    't_score_on': 'coalesce(t_score, 0)',
    't_score_on_included': 'case when t_score is not null then 1.0 else 0.0 end',
    't_score_off': 'case when is_imputed then 0 else coalesce(t_score, 0) end',
    't_score_off_included': 'case when t_score is not null and not is_imputed then 1.0 else 0.0 end',
} %}
{%- set counts = ['n_rows_on', 'n_rows_off', 'n_imputed'] %}
{#- per pillar: its name, each variant's indicator list and the counts -#}
{%- set pillar_fields = {'pillar': 'pillar'} %}
{%- for name in variants %}{% do pillar_fields.update({name: index_records_field('indicators', name)}) %}{% endfor %}
{%- for name in counts %}{% do pillar_fields.update({name: name}) %}{% endfor %}

-- per pillar, the indicators' scores in indicator-code order, as records sorted once
per_pillar as (
    select
        city_code,
        year,
        is_headline_year,
        pillar,
        {{ index_sorted_records('indicator_code', variants) }} as indicators,
        -- indicator rows behind the pillar under each imputation setting (a pillar without
        -- any is not scored at all) and how many of them are imputed
        sum(case when has_row then 1 else 0 end) as n_rows_on,
        sum(case when has_row and not is_imputed then 1 else 0 end) as n_rows_off,
        sum(case when is_imputed then 1 else 0 end) as n_imputed
    from grid
    group by city_code, year, is_headline_year, pillar
),

-- per city-year, the pillars in order, each with its indicator lists and counts
per_city_year as (
    select
        city_code,
        year,
        is_headline_year,
        {{ index_sorted_records('pillar', pillar_fields) }} as pillar_records
    from per_pillar
    group by city_code, year, is_headline_year
)

select
    city_code,
    year,
    is_headline_year,
    {{ index_records_field('pillar_records', 'pillar') }} as pillars,
    {%- for name in variants %}
    {{ index_records_field('pillar_records', name) }} as {{ name }},
    {%- endfor %}
    {%- for name in counts %}
    {{ index_records_field('pillar_records', name) }} as {{ name }}{{ ',' if not loop.last }}
    {%- endfor %}
from per_city_year
