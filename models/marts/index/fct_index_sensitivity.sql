-- How much each assumption moves ranks in the headline year: for each factor varied alone
-- (others nominal), the mean and largest absolute rank shift against the nominal rank over
-- all ranked cities and that factor's scenarios; the row 'all' is the Monte Carlo run with
-- every factor varied together, 'drop_indicator' the scenarios that each drop one
-- indicator. The largest share of ranked cities left without a pillar in any one scenario
-- shows that no scenario empties a pillar for most cities.
with latest as (
    select distinct year from {{ ref('int_index__coverage') }} where is_headline_year
),

ranks as (
    select scenario_index.*
    from {{ ref('int_index__scenario_index') }} as scenario_index
    where scenario_index.year in (select year from latest)
),

nominal as (
    select city_code, index_rank from ranks where scenario_id = 0
),

n_pillars as (
    select count(distinct pillar) as n_pillars from {{ ref('int_index__catalogue') }}
),

shifts as (
    select
        scenarios.varied_factor,
        ranks.scenario_id,
        abs(ranks.index_rank - nominal.index_rank) as abs_rank_shift,
        case when ranks.n_pillars_used < (select n_pillars from n_pillars) then cast(1 as double) else 0 end as lacks_a_pillar
    from ranks
    inner join nominal on nominal.city_code = ranks.city_code
    inner join {{ ref('int_index__scenarios') }} as scenarios on scenarios.scenario_id = ranks.scenario_id
    where scenarios.design <> 'nominal'
),

per_scenario as (
    select varied_factor, scenario_id, avg(lacks_a_pillar) as share_lacking
    from shifts
    group by varied_factor, scenario_id
),

worst as (
    select varied_factor, max(share_lacking) as max_share_lacking
    from per_scenario
    group by varied_factor
)

select
    cast(shifts.varied_factor as {{ dbt.type_string() }}) as varied_factor,
    cast((select max(year) from latest) as integer) as year,
    cast(count(distinct shifts.scenario_id) as integer) as n_scenarios,
    cast(avg(abs_rank_shift) as double) as mean_abs_rank_shift,
    cast({{ index_quantile('abs_rank_shift', 0.5) }} as double) as median_abs_rank_shift,
    cast(max(abs_rank_shift) as integer) as max_abs_rank_shift,
    cast(100.0 * avg(case when abs_rank_shift >= 10 then 1 else 0 end) as double) as share_shifts_10plus_pct,
    cast(100.0 * max(worst.max_share_lacking) as double) as max_share_cities_missing_pillar_pct
from shifts
inner join worst on worst.varied_factor = shifts.varied_factor
group by shifts.varied_factor
