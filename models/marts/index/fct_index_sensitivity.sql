-- How much each assumption moves ranks in the latest rankable year: for each factor varied
-- alone (others nominal), the mean and largest absolute rank shift against the nominal
-- rank over all ranked cities and that factor's scenarios; the row 'all' is the Monte Carlo
-- run with every factor varied together.
with latest as (
    select distinct year from {{ ref('int_index__coverage') }} where is_latest_rankable_year
),

ranks as (
    select scenario_index.*
    from {{ ref('int_index__scenario_index') }} as scenario_index
    where scenario_index.year in (select year from latest)
),

nominal as (
    select city_code, index_rank from ranks where scenario_id = 0
),

shifts as (
    select
        scenarios.varied_factor,
        ranks.scenario_id,
        abs(ranks.index_rank - nominal.index_rank) as abs_rank_shift
    from ranks
    inner join nominal on nominal.city_code = ranks.city_code
    inner join {{ ref('int_index__scenarios') }} as scenarios on scenarios.scenario_id = ranks.scenario_id
    where scenarios.design <> 'nominal'
)

select
    cast(varied_factor as {{ dbt.type_string() }}) as varied_factor,
    cast((select max(year) from latest) as integer) as year,
    cast(count(distinct scenario_id) as integer) as n_scenarios,
    cast(avg(abs_rank_shift) as double) as mean_abs_rank_shift,
    cast({{ index_quantile('abs_rank_shift', 0.5) }} as double) as median_abs_rank_shift,
    cast(max(abs_rank_shift) as integer) as max_abs_rank_shift,
    cast(100.0 * avg(case when abs_rank_shift >= 10 then 1 else 0 end) as double) as share_shifts_10plus_pct
from shifts
group by varied_factor
