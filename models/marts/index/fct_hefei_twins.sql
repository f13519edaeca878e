-- Hefei's twins: how close each inland city's latest profile is to Hefei's profile at
-- take-off. Distance is the root mean square of the z-score gaps over the indicators both
-- have (at least two thirds of the indicators in Hefei's take-off profile must be comparable);
-- nearness_rank 1 is the closest city.
with gaps as (
    select * from {{ ref('fct_hefei_twin_gaps') }}
),

-- the indicators Hefei's take-off profile defines (an indicator with no spread across
-- cities in those years, such as a policy nobody had yet, has no z-score and drops out)
n_features as (
    select count(distinct indicator_code) as n_features from gaps
),

per_city as (
    select
        city_code,
        year,
        sqrt(avg(z_gap * z_gap)) as twin_distance,
        count(*) as n_indicators_compared,
        sum(case when lacks_vs_hefei then 1 else 0 end) as n_indicators_lacking
    from gaps
    group by city_code, year
),

largest_gap as (
    select city_code, indicator_code as largest_shortfall_indicator, z_gap as largest_shortfall_z_gap
    from (
        select gaps.*, row_number() over (partition by city_code order by z_gap, indicator_code) as pick
        from gaps
    ) as ordered
    where pick = 1 and z_gap < 0
),

eligible as (
    select per_city.*
    from per_city cross join n_features
    where per_city.n_indicators_compared * 3 >= n_features.n_features * 2
)

select
    cast(eligible.city_code as {{ dbt.type_string() }}) as city_code,
    cast(city.name_en as {{ dbt.type_string() }}) as name_en,
    cast(city.name_zh as {{ dbt.type_string() }}) as name_zh,
    cast(eligible.year as integer) as year,
    cast(eligible.twin_distance as double) as twin_distance,
    cast(row_number() over (order by eligible.twin_distance, eligible.city_code) as integer) as nearness_rank,
    cast(eligible.n_indicators_compared as integer) as n_indicators_compared,
    cast(eligible.n_indicators_lacking as integer) as n_indicators_lacking,
    cast(largest_gap.largest_shortfall_indicator as {{ dbt.type_string() }}) as largest_shortfall_indicator,
    cast(largest_gap.largest_shortfall_z_gap as double) as largest_shortfall_z_gap
from eligible
left join largest_gap on largest_gap.city_code = eligible.city_code
left join {{ ref('dim_city') }} as city on city.city_code = eligible.city_code
