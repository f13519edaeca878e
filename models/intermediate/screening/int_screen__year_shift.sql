-- Rule family: year shift. A primary value that equals another source's figure for the year
-- before (within agree_within) while differing from that source's figure for its own year is a
-- candidate; a run of at least three consecutive candidate years against the same second source
-- is a shifted series (the value stored for year t belongs to t-1). One or two coincidences are
-- not enough (slow series such as population can match a neighbouring year by chance), and a
-- value that merely repeats its own previous year is a copy, not a shift.
{% set min_run_years = 3 %}

with city_year_values as {{ read_again() }} (
    select
        v.city_code,
        v.year,
        v.indicator_code,
        v.value,
        v.source_id,
        v.is_primary,
        t.tolerance_unit,
        t.agree_within
    from {{ ref('stg_seeds__city_year_values') }} as v
    inner join {{ ref('stg_seeds__screening_thresholds') }} as t
        on v.indicator_code = t.indicator_code
),

primary_values as (
    select * from city_year_values where is_primary
),

candidates as (
    select
        p.city_code,
        p.year,
        p.indicator_code,
        p.source_id,
        p.value,
        p.tolerance_unit,
        prior_reference.source_id as reference_source_id,
        prior_reference.value as reference_prior_year_value,
        same_year_reference.value as reference_value
    from primary_values as p
    inner join city_year_values as prior_reference
        on p.city_code = prior_reference.city_code
        and p.indicator_code = prior_reference.indicator_code
        and prior_reference.year = p.year - 1
        and prior_reference.source_id <> p.source_id
    left join city_year_values as same_year_reference
        on p.city_code = same_year_reference.city_code
        and p.indicator_code = same_year_reference.indicator_code
        and same_year_reference.year = p.year
        and same_year_reference.source_id = prior_reference.source_id
    left join city_year_values as own_prior
        on p.city_code = own_prior.city_code
        and p.indicator_code = own_prior.indicator_code
        and own_prior.year = p.year - 1
        and own_prior.source_id = p.source_id
    where {{ screen_gap('p.value', 'prior_reference.value', 'p.tolerance_unit') }} <= p.agree_within
        and (
            same_year_reference.value is null
            or {{ screen_gap('p.value', 'same_year_reference.value', 'p.tolerance_unit') }} > p.agree_within
        )
        and (
            own_prior.value is null
            or {{ screen_gap('p.value', 'own_prior.value', 'p.tolerance_unit') }} > p.agree_within
        )
),

-- consecutive candidate years against the same second source form a run (gaps and islands:
-- year minus its rank is constant within a run); runs of three years or more are shifts
numbered as (
    select
        candidates.*,
        year - row_number() over (
            partition by city_code, indicator_code, source_id, reference_source_id
            order by year
        ) as run_key
    from candidates
),

in_runs as (
    select * from (
        select
            numbered.*,
            count(*) over (
                partition by city_code, indicator_code, source_id, reference_source_id, run_key
            ) as run_years
        from numbered
    ) as counted
    where run_years >= {{ min_run_years }}
),

one_reference as (
    select * from (
        select
            in_runs.*,
            row_number() over (
                partition by city_code, year, indicator_code
                order by case when reference_value is null then 1 else 0 end, reference_source_id
            ) as reference_rank
        from in_runs
    ) as ranked
    where reference_rank = 1
),

final as (
    select
        shifted.city_code,
        shifted.year,
        shifted.indicator_code,
        shifted.source_id,
        shifted.value,
        shifted.reference_source_id,
        shifted.reference_prior_year_value,
        shifted.reference_value,
        -- the shifted series' own value for the next year is this year's true value when the
        -- next year is shifted too
        next_year.value as next_year_own_value
    from one_reference as shifted
    left join one_reference as next_year
        on shifted.city_code = next_year.city_code
        and shifted.indicator_code = next_year.indicator_code
        and next_year.year = shifted.year + 1
)

select * from final
