-- The indicator catalogue as built: pillar, direction, weights, evidence type and rationale
-- from the seed, the outlier rule's verdict, the headline year's coverage (which year's data
-- the headline uses, how much of it is carried forward), how many ranked cities hold the
-- indicator, and the multivariate check of the headline year (correlation with the own
-- pillar score, largest correlation with another indicator of the same pillar; above 0.92
-- counts as near-duplicate in JRC audits).
with catalogue as (
    select * from {{ ref('int_index__catalogue') }}
),

rules as (
    select * from {{ ref('int_index__outlier_rules') }}
),

latest_scores as (
    select normalised.city_code, normalised.indicator_code, normalised.pillar, normalised.indicator_value, normalised.min_max_score
    from {{ ref('int_index__normalised') }} as normalised
    inner join {{ ref('int_index__coverage') }} as coverage
        on coverage.city_code = normalised.city_code and coverage.year = normalised.year
    where coverage.is_headline_year and coverage.is_eligible
),

pillar_scores as (
    select pillar_scores.city_code, pillar_scores.pillar, pillar_scores.pillar_score
    from {{ ref('int_index__scenario_pillar_scores') }} as pillar_scores
    inner join {{ ref('int_index__coverage') }} as coverage
        on coverage.city_code = pillar_scores.city_code and coverage.year = pillar_scores.year
    where pillar_scores.scenario_id = 0 and coverage.is_headline_year
),

with_pillar as (
    select
        latest_scores.indicator_code,
        corr(latest_scores.min_max_score, pillar_scores.pillar_score) as r_with_pillar,
        count(*) as n_cities_latest
    from latest_scores
    inner join pillar_scores
        on pillar_scores.city_code = latest_scores.city_code and pillar_scores.pillar = latest_scores.pillar
    group by latest_scores.indicator_code
),

pairwise as (
    select a.indicator_code, max(abs(r)) as max_abs_r_within_pillar
    from (
        select a.indicator_code, b.indicator_code as other_code, corr(a.min_max_score, b.min_max_score) as r
        from latest_scores as a
        inner join latest_scores as b
            on b.city_code = a.city_code and b.pillar = a.pillar and b.indicator_code <> a.indicator_code
        group by a.indicator_code, b.indicator_code
    ) as a
    group by a.indicator_code
),

headline_coverage as (
    select * from {{ ref('fct_index_indicator_coverage') }} where is_headline_year
),

-- distinct values among ranked cities and how many sit above the indicator's minimum
holders as (
    select
        indicator_code,
        count(distinct indicator_value) as n_distinct_values,
        sum(case when indicator_value > min_value then 1 else 0 end) as n_cities_above_minimum
    from (
        select indicator_code, indicator_value,
            min(indicator_value) over (partition by indicator_code) as min_value
        from latest_scores
    ) as values_in_year
    group by indicator_code
)

select
    cast(catalogue.indicator_code as {{ dbt.type_string() }}) as indicator_code,
    cast(catalogue.pillar as {{ dbt.type_string() }}) as pillar,
    cast(catalogue.direction as integer) as direction,
    cast(catalogue.transform as {{ dbt.type_string() }}) as transform,
    cast(catalogue.weight as double) as weight,
    cast(catalogue.pillar_weight as double) as pillar_weight,
    cast(catalogue.unit as {{ dbt.type_string() }}) as unit,
    cast(catalogue.source_model as {{ dbt.type_string() }}) as source_model,
    cast(catalogue.source_column as {{ dbt.type_string() }}) as source_column,
    cast(catalogue.evidence_type as {{ dbt.type_string() }}) as evidence_type,
    cast(catalogue.may_carry_forward as boolean) as may_carry_forward,
    cast(catalogue.vintage_year as integer) as vintage_year,
    cast(catalogue.is_proxy as boolean) as is_proxy,
    cast(catalogue.is_static_snapshot as boolean) as is_static_snapshot,
    cast(catalogue.rationale as {{ dbt.type_string() }}) as rationale,
    cast(rules.n_values as integer) as n_values_inland_all_years,
    cast(rules.skewness_before as double) as skewness_before,
    cast(rules.kurtosis_before as double) as kurtosis_before,
    cast(rules.treatment as {{ dbt.type_string() }}) as outlier_treatment,
    cast(rules.skewness_after as double) as skewness_after,
    cast(rules.kurtosis_after as double) as kurtosis_after,
    cast(rules.still_fails_rule as boolean) as still_fails_outlier_rule,
    cast(with_pillar.n_cities_latest as integer) as n_cities_latest_year,
    cast(with_pillar.r_with_pillar as double) as r_with_pillar,
    cast(pairwise.max_abs_r_within_pillar as double) as max_abs_r_within_pillar,
    coalesce(with_pillar.r_with_pillar < 0.3, false) as is_weak_in_pillar,
    coalesce(pairwise.max_abs_r_within_pillar > {{ var('index_near_duplicate_r', 0.92) }}, false) as is_near_duplicate,
    cast(headline_coverage.year as integer) as headline_year,
    cast(headline_coverage.observed_share_pct as double) as headline_observed_share_pct,
    cast(headline_coverage.n_carried_forward as integer) as headline_n_carried_forward,
    cast(headline_coverage.oldest_source_year as integer) as headline_oldest_source_year,
    cast(holders.n_distinct_values as integer) as headline_n_distinct_values,
    cast(holders.n_cities_above_minimum as integer) as headline_n_cities_above_minimum
from catalogue
left join headline_coverage on headline_coverage.indicator_code = catalogue.indicator_code
left join holders on holders.indicator_code = catalogue.indicator_code
left join rules on rules.indicator_code = catalogue.indicator_code
left join with_pillar on with_pillar.indicator_code = catalogue.indicator_code
left join pairwise on pairwise.indicator_code = catalogue.indicator_code
