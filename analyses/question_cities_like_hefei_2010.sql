-- Analyst question: which inland cities look today the way Hefei looked in 2010, before its
-- bets paid off, and which Hefei ingredients do they lack?
-- Profile: GDP per resident (2023 prices), resident population and the secondary-industry share
-- of GDP. Each city is taken in its latest year with all three figures. Distance to Hefei 2010 =
-- |ln(GDP per resident ratio)| + |ln(population ratio)| + |secondary share gap| / 100, so a 10%
-- gap in either level weighs about as much as a 10-point gap in the share. Hefei's 2010 figures
-- are on its boundary before it absorbed part of Chaohu in 2011. The 15 closest current inland
-- units are listed with their talent, policy and state-capital ingredients as recorded today.
{% set hefei_code = '340100' %}
{% set hefei_year = 2010 %}

with panel as (
    select
        city_code,
        year,
        gdp_per_resident_2023_prices_cny,
        resident_population_10k,
        secondary_share_pct
    from {{ ref('fct_city_year_panel') }}
    where gdp_per_resident_2023_prices_cny > 0
      and resident_population_10k > 0
      and secondary_share_pct is not null
),

hefei_then as (
    select *
    from panel
    where city_code = '{{ hefei_code }}'
      and year = {{ hefei_year }}
),

latest_year as (
    select city_code, max(year) as year
    from panel
    group by city_code
),

candidates as (
    select p.*
    from panel as p
    inner join latest_year as l
        on p.city_code = l.city_code
        and p.year = l.year
    inner join {{ ref('dim_city') }} as d
        on p.city_code = d.city_code
    where d.is_inland
      and d.is_current_unit
      and p.city_code <> '{{ hefei_code }}'
),

distances as (
    select
        c.city_code,
        c.year,
        c.gdp_per_resident_2023_prices_cny,
        c.resident_population_10k,
        c.secondary_share_pct,
        (c.gdp_per_resident_2023_prices_cny / h.gdp_per_resident_2023_prices_cny - 1) * 100 as gdp_per_resident_gap_pct,
        (c.resident_population_10k / h.resident_population_10k - 1) * 100                  as resident_population_gap_pct,
        c.secondary_share_pct - h.secondary_share_pct                                      as secondary_share_gap_pp,
        abs(ln(c.gdp_per_resident_2023_prices_cny / h.gdp_per_resident_2023_prices_cny))
            + abs(ln(c.resident_population_10k / h.resident_population_10k))
            + abs(c.secondary_share_pct - h.secondary_share_pct) / 100                     as profile_distance
    from candidates as c
    cross join hefei_then as h
),

ranked as (
    select
        distances.*,
        row_number() over (order by profile_distance, city_code) as similarity_rank
    from distances
)

select
    r.similarity_rank,
    r.city_code,
    d.name_en,
    d.name_zh,
    d.province_name_en,
    r.year                                   as profile_year,
    r.profile_distance,
    r.gdp_per_resident_gap_pct,
    r.resident_population_gap_pct,
    r.secondary_share_gap_pp,
    d.n_universities,
    d.n_elite_universities,
    d.science_centre_status,
    d.chain_boss_level,
    d.chain_boss_adoption_year,
    coalesce(s.n_bets, 0)                    as n_known_state_bets,
    coalesce(s.n_failures, 0)                as n_failed_state_bets,
    d.distance_to_nearest_coastal_hub_km,
    -- what the record shows missing, next to Hefei's ingredients
    case when d.n_elite_universities = 0 then 'no 985/211 university; ' else '' end
        || case when d.science_centre_status = 'none' then 'no national science centre; ' else '' end
        || case when d.chain_boss_level = 'none_recorded' then 'no chain-boss adoption recorded; ' else '' end
        || case when s.n_bets is null then 'no state-capital bet recorded' else '' end
                                             as missing_ingredients
from ranked as r
inner join {{ ref('dim_city') }} as d
    on r.city_code = d.city_code
left join {{ ref('city_state_capital_summary') }} as s
    on r.city_code = s.city_code
where r.similarity_rank <= 15
order by r.similarity_rank
