-- The indicator catalogue seed, typed, with each pillar's share of the indicators. The
-- seed is the only place weights, directions and transforms are set.
select
    indicator_code,
    pillar,
    cast(pillar_weight as double) as pillar_weight,
    cast(direction as integer) as direction,
    transform,
    cast(weight as double) as weight,
    unit,
    lower(input_column) as input_column,
    lower(denominator_column) as denominator_column,
    source_model,
    source_column,
    evidence_type,
    cast(may_carry_forward as boolean) as may_carry_forward,
    cast(vintage_year as integer) as vintage_year,
    cast(is_proxy as boolean) as is_proxy,
    cast(is_static_snapshot as boolean) as is_static_snapshot,
    rationale,
    count(*) over () as n_indicators,
    count(*) over (partition by pillar) as n_indicators_in_pillar
from {{ ref('index_indicator_catalogue') }}
