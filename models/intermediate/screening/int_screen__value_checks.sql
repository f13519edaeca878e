-- Rule families that look at one primary value at a time: ranges per unit, index form under a
-- percent label, decimal slips against another source, copies of the previous year, and the
-- registered population replaced by the resident count. One row per primary value and rule that
-- fires.
--   out_of_range               outside the indicator's physical range (screening_thresholds)
--   index_form                 a growth rate in percent between 70 and 130 is the index form of the
--                              same figure (previous year = 100): real growth never exceeds 60%
--                              (the range), and no value between 60 and 70 occurs, so the two forms
--                              cannot be confused
--   decimal_slip               the value is a power of ten (10 to 10,000) times another source's
--                              figure, within 2%: a misplaced decimal point or unit. The figure
--                              farther from the primary series' neighbouring years is the slipped
--                              one; when that is the other source's (decimal_slip_in_other_source),
--                              the primary value is kept
--   copy_of_previous_year      a level identical to the same source's value for the year before,
--                              stated to at least 5 significant digits (such a figure does not
--                              repeat exactly; a coarsely rounded one can)
--   registered_equals_resident the registered population jumps by more than 5% to within 0.5% of
--                              the resident count, having differed from it by more than 5% the
--                              year before: the resident figure filed as registered
{% set index_form_low, index_form_high = 70, 130 %}
{% set slip_tolerance = 0.02 %}
{% set copy_min_significant_digits = 5 %}

with city_year_values as {{ read_again() }} (
    select * from {{ ref('stg_seeds__city_year_values') }}
),

thresholds as (
    select * from {{ ref('stg_seeds__screening_thresholds') }}
),

primary_values as {{ read_again() }} (
    select
        v.city_code,
        v.year,
        v.indicator_code,
        v.value,
        v.source_id,
        t.range_min,
        t.range_max,
        t.is_level_series
    from city_year_values as v
    inner join thresholds as t
        on v.indicator_code = t.indicator_code
    where v.is_primary
),

index_form as (
    select
        p.city_code,
        p.year,
        p.indicator_code,
        p.source_id,
        'index_form' as rule_code,
        p.value - 100 as proposed_value,
        p.source_id as proposed_source_id,
        {{ dbt.concat(["'value '", "cast(p.value as " ~ dbt.type_string() ~ ")",
                       "' is an index with the previous year = 100'",
                       "coalesce(" ~ dbt.concat(["'; revised real index '", "cast(revised.value as " ~ dbt.type_string() ~ ")"]) ~ ", '')"]) }}
            as evidence,
        abs(p.value - 100) as severity
    from primary_values as p
    left join city_year_values as revised
        on p.city_code = revised.city_code
        and p.year = revised.year
        and revised.indicator_code = 'real_gdp_index_prev_year_eq_100'
    where p.indicator_code = 'real_gdp_growth_published_pct'
        and p.value between {{ index_form_low }} and {{ index_form_high }}
),

out_of_range as (
    select
        city_code,
        year,
        indicator_code,
        source_id,
        'out_of_range' as rule_code,
        cast(null as double) as proposed_value,
        cast(null as {{ dbt.type_string() }}) as proposed_source_id,
        {{ dbt.concat(["'value '", "cast(value as " ~ dbt.type_string() ~ ")", "' outside '",
                       "cast(range_min as " ~ dbt.type_string() ~ ")", "' to '",
                       "cast(range_max as " ~ dbt.type_string() ~ ")"]) }} as evidence,
        cast(1 as double) as severity
    from primary_values
    where (value < range_min or value > range_max)
        and not (indicator_code = 'real_gdp_growth_published_pct'
                 and value between {{ index_form_low }} and {{ index_form_high }})
),

-- each positive value is moved to the two years it neighbours, so the join is on equal keys
-- (a join on "year - 1 or year + 1" pairs every year of a series with every other first)
neighbouring_values as (
    select city_code, indicator_code, year + 1 as neighbour_of_year, value
    from primary_values
    where value > 0

    union all

    select city_code, indicator_code, year - 1 as neighbour_of_year, value
    from primary_values
    where value > 0
),

-- pairs of the primary and another source whose figures differ by a power of ten
slip_matches as (
    select * from (
        select
            p.city_code,
            p.year,
            p.indicator_code,
            p.source_id,
            p.value,
            a.source_id as alternative_source_id,
            a.value as alternative_value,
            round(ln(p.value / a.value) / ln(10)) as power_of_ten
        from primary_values as p
        inner join city_year_values as a
            on p.city_code = a.city_code
            and p.year = a.year
            and p.indicator_code = a.indicator_code
            and a.source_id <> p.source_id
        where p.value > 0 and a.value > 0
    ) as pairs
    where power_of_ten between -4 and 4
        and power_of_ten <> 0
        and abs(value / (alternative_value * power(10, power_of_ten)) - 1) <= {{ slip_tolerance }}
),

-- the primary series' own neighbouring years tell which side slipped; averaged only for the
-- values in a slip pair (for every value it is one group per value, at county scale tens of
-- millions)
own_neighbours as (
    select
        slipped.city_code,
        slipped.year,
        slipped.indicator_code,
        avg(nearby.value) as neighbour_mean
    from (select distinct city_code, year, indicator_code from slip_matches) as slipped
    inner join neighbouring_values as nearby
        on slipped.city_code = nearby.city_code
        and slipped.indicator_code = nearby.indicator_code
        and slipped.year = nearby.neighbour_of_year
    group by slipped.city_code, slipped.year, slipped.indicator_code
),

slip_candidates as (
    select
        slip_matches.*,
        -- the slipped figure is the one farther from the primary series' neighbouring years
        coalesce(
            abs(ln(slip_matches.alternative_value / own_neighbours.neighbour_mean))
                < abs(ln(slip_matches.value / own_neighbours.neighbour_mean)),
            false
        ) as primary_slipped
    from slip_matches
    left join own_neighbours
        on slip_matches.city_code = own_neighbours.city_code
        and slip_matches.year = own_neighbours.year
        and slip_matches.indicator_code = own_neighbours.indicator_code
),

decimal_slip as (
    select * from (
        select
            city_code,
            year,
            indicator_code,
            source_id,
            case when primary_slipped then 'decimal_slip' else 'decimal_slip_in_other_source' end as rule_code,
            case when primary_slipped then alternative_value end as proposed_value,
            case when primary_slipped then alternative_source_id end as proposed_source_id,
            {{ dbt.concat(["'value '", "cast(value as " ~ dbt.type_string() ~ ")", "' is 10^'",
                           "cast(cast(power_of_ten as integer) as " ~ dbt.type_string() ~ ")", "' times '",
                           "alternative_source_id", "' '", "cast(alternative_value as " ~ dbt.type_string() ~ ")",
                           "case when primary_slipped then '; the other figure fits the neighbouring years' "
                           "else '; this figure fits the neighbouring years' end"]) }}
                as evidence,
            abs(power_of_ten) as severity,
            row_number() over (partition by city_code, year, indicator_code order by alternative_source_id) as slip_rank
        from slip_candidates
    ) as ranked
    where slip_rank = 1
),

copies as (
    select
        p.city_code,
        p.year,
        p.indicator_code,
        p.source_id,
        'copy_of_previous_year' as rule_code,
        cast(null as double) as proposed_value,
        cast(null as {{ dbt.type_string() }}) as proposed_source_id,
        {{ dbt.concat(["'value '", "cast(p.value as " ~ dbt.type_string() ~ ")", "' repeats '",
                       "p.source_id", "' for '", "cast(p.year - 1 as " ~ dbt.type_string() ~ ")"]) }} as evidence,
        cast(1 as double) as severity
    from primary_values as p
    inner join city_year_values as own_prior
        on p.city_code = own_prior.city_code
        and p.indicator_code = own_prior.indicator_code
        and p.source_id = own_prior.source_id
        and own_prior.year = p.year - 1
    where p.is_level_series
        and p.value <> 0
        and p.value = own_prior.value
        -- only a figure stated to 5 or more significant digits: a repeat then means no change
        -- within 0.01%, which no level series here shows; a figure rounded to fewer digits (a
        -- population of 218.0 ten-thousands) can stand still in a stagnant city
        and floor(ln(abs(p.value)) / ln(10)) + 1 + case
            when p.value = round(p.value, 0) then 0
            when p.value = round(p.value, 1) then 1
            when p.value = round(p.value, 2) then 2
            when p.value = round(p.value, 3) then 3
            else 4
        end >= {{ copy_min_significant_digits }}
),

registered_vs_resident as (
    select
        registered.city_code,
        registered.year,
        registered.indicator_code,
        registered.source_id,
        'registered_equals_resident' as rule_code,
        cast(null as double) as proposed_value,
        cast(null as {{ dbt.type_string() }}) as proposed_source_id,
        {{ dbt.concat(["'registered '", "cast(registered.value as " ~ dbt.type_string() ~ ")",
                       "' equals resident '", "cast(resident.value as " ~ dbt.type_string() ~ ")",
                       "'; previous year registered '", "cast(prior_registered.value as " ~ dbt.type_string() ~ ")",
                       "' vs resident '", "cast(prior_resident.value as " ~ dbt.type_string() ~ ")"]) }} as evidence,
        abs(registered.value / prior_registered.value - 1) * 100 as severity
    from primary_values as registered
    inner join primary_values as resident
        on registered.city_code = resident.city_code
        and registered.year = resident.year
        and resident.indicator_code = 'resident_population_10k'
    inner join primary_values as prior_registered
        on registered.city_code = prior_registered.city_code
        and prior_registered.year = registered.year - 1
        and prior_registered.indicator_code = 'registered_population_10k'
    inner join primary_values as prior_resident
        on registered.city_code = prior_resident.city_code
        and prior_resident.year = registered.year - 1
        and prior_resident.indicator_code = 'resident_population_10k'
    where registered.indicator_code = 'registered_population_10k'
        and abs(registered.value / resident.value - 1) * 100 <= 0.5
        and abs(prior_registered.value / prior_resident.value - 1) * 100 > 5
        and abs(registered.value / prior_registered.value - 1) * 100 > 5
),

final as (
    select * from index_form
    union all
    select * from out_of_range
    union all
    select city_code, year, indicator_code, source_id, rule_code, proposed_value, proposed_source_id, evidence, severity
    from decimal_slip
    union all
    select * from copies
    union all
    select * from registered_vs_resident
)

select * from final
