-- A policy fact enters the composite only when at least 90% of the ranked cities have a
-- sourced value (yes or no) in the headline year; unknown is never scored.
select coverage.indicator_code, coverage.observed_share_pct
from {{ ref('fct_index_indicator_coverage') }} as coverage
inner join {{ ref('int_index__catalogue') }} as catalogue on catalogue.indicator_code = coverage.indicator_code
where catalogue.evidence_type = 'policy_fact'
  and coverage.is_headline_year
  and coverage.observed_share_pct < 100.0 * {{ var('index_min_policy_sourced_share', 0.9) }}
