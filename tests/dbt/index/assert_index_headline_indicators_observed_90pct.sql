-- The headline year uses only indicators observed (not carried forward) in that very year
-- for at least 90% of the ranked cities; and the headline year is one of the ranked years.
with headline as (
    select * from {{ ref('fct_index_indicator_coverage') }} where is_headline_year
)

select 'indicator under the observed-coverage rule' as problem, indicator_code, observed_share_pct
from headline
where observed_share_pct < 100.0 * {{ var('index_min_observed_share', 0.9) }}
union all
select 'catalogue indicator missing from the headline coverage', indicator_code, null
from {{ ref('int_index__catalogue') }}
where indicator_code not in (select indicator_code from headline)
union all
select 'ranking not in the headline year', cast(year as {{ dbt.type_string() }}), null
from {{ ref('fct_replicability_ranking') }}
where year not in (select year from headline)
