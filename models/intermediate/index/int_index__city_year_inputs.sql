-- Every input the indicator catalogue can draw on, one row per city and year: the panel's
-- columns as published, the city's distances, talent and policy facts, and the inputs that
-- need a time window or a date (growth over five years, years a policy has been in force).
-- A fact the curated files do not cover stays null; it is never read as zero.
with panel as (
    select * from {{ ref('fct_city_year_panel') }}
),

city as (
    select city_code, distance_to_nearest_coastal_hub_km, distance_to_shanghai_km
    from {{ ref('dim_city') }}
),

policy as (
    select * from {{ ref('int_city_policy_talent') }}
),

-- Known bets of state capital on firms (failures count as much as successes: both show a
-- city acting as investor). Aggregate rows are national or provincial totals, not bets.
bets as (
    select city_code, start_year as bet_year
    from {{ ref('stg_policy__state_investments') }}
    where city_code is not null
      and start_year is not null
      and coalesce(outcome, '') <> 'aggregate'
),

cities_with_bets as (
    select distinct city_code from bets
),

growth_windows as (
    select
        city_code,
        year,
        -- real growth compounded over the five years ending in this year, only when all five are known
        sum(ln(1 + real_gdp_growth_pct / 100.0)) over five_years as log_real_growth_5y,
        count(real_gdp_growth_pct) over five_years as n_growth_years_5y
    from panel
    window five_years as (partition by city_code order by year range between 4 preceding and current row)
),

population_5y_ago as (
    select city_code, year + 5 as year, resident_population_10k as resident_population_10k_5y_ago
    from panel
)

select
    panel.*,
    city.distance_to_nearest_coastal_hub_km,
    city.distance_to_shanghai_km,
    policy.n_universities,
    policy.n_elite_universities,
    policy.n_double_first_class,
    case
        when policy.science_centre_year is not null and panel.year >= policy.science_centre_year
             and lower(coalesce(policy.science_centre_status, '')) like '%comprehensive%' then 1
        else 0
    end as science_centre_flag,
    case
        when policy.chain_boss_adoption_year is null then null
        when panel.year >= policy.chain_boss_adoption_year then panel.year - policy.chain_boss_adoption_year + 1
        else 0
    end as chain_boss_years_in_force,
    case
        when policy.chain_boss_adoption_year is null then null
        when panel.year >= policy.chain_boss_adoption_year then policy.chain_boss_num_chains
        else 0
    end as chain_boss_num_chains_to_date,
    case
        when cities_with_bets.city_code is null then null
        else (select count(*) from bets where bets.city_code = panel.city_code and bets.bet_year <= panel.year)
    end as known_state_bets_to_date,
    case
        when growth_windows.n_growth_years_5y = 5
            then (exp(growth_windows.log_real_growth_5y / 5.0) - 1) * 100
    end as real_gdp_cagr_5y_pct,
    {{ cagr_pct('population_5y_ago.resident_population_10k_5y_ago', 'panel.resident_population_10k', 5) }}
        as resident_population_cagr_5y_pct
from panel
inner join city on city.city_code = panel.city_code
left join policy on policy.city_code = panel.city_code
left join cities_with_bets on cities_with_bets.city_code = panel.city_code
left join growth_windows on growth_windows.city_code = panel.city_code and growth_windows.year = panel.year
left join population_5y_ago on population_5y_ago.city_code = panel.city_code and population_5y_ago.year = panel.year
