-- Spearman rank correlations between the real-time base-year index and each target, per
-- sample: raw; partial, holding the base year's GDP per resident fixed (first-order partial
-- of the rank correlations); and within provinces (ranks demeaned by province, provinces
-- with at least two cities), which takes out everything provinces share. Average ranks
-- (ties share their mean rank): the mean of a tied group's first and last position.
with pairs as (
    select * from {{ ref('int_index__backtest_pairs') }}
    where initial_gdp_per_resident_cny is not null
),

ranked as (
    select
        sample,
        target,
        city_code,
        province_code,
        (rank() over (partition by sample, target order by index_score)
            + count(*) over (partition by sample, target order by index_score)) / 2.0 as index_avg_rank,
        (rank() over (partition by sample, target order by target_value)
            + count(*) over (partition by sample, target order by target_value)) / 2.0 as target_avg_rank,
        (rank() over (partition by sample, target order by initial_gdp_per_resident_cny)
            + count(*) over (partition by sample, target order by initial_gdp_per_resident_cny)) / 2.0 as income_avg_rank
    from pairs
),

raw as (
    select
        sample,
        target,
        count(*) as n_cities,
        corr(index_avg_rank, target_avg_rank) as r_xy,
        corr(index_avg_rank, income_avg_rank) as r_xz,
        corr(target_avg_rank, income_avg_rank) as r_yz
    from ranked
    group by sample, target
),

demeaned as (
    select
        sample,
        target,
        province_code,
        index_avg_rank - avg(index_avg_rank) over (partition by sample, target, province_code) as index_within,
        target_avg_rank - avg(target_avg_rank) over (partition by sample, target, province_code) as target_within,
        count(*) over (partition by sample, target, province_code) as n_in_province
    from ranked
),

within_province as (
    select
        sample,
        target,
        corr(index_within, target_within) as rho_within_province,
        count(distinct province_code) as n_provinces,
        count(*) as n_cities_within
    from demeaned
    where n_in_province >= 2
    group by sample, target
)

select
    raw.sample,
    raw.target,
    raw.n_cities,
    raw.r_xy as spearman_rho,
    raw.r_xz as rho_index_initial_income,
    raw.r_yz as rho_target_initial_income,
    (raw.r_xy - raw.r_xz * raw.r_yz) / sqrt((1 - raw.r_xz * raw.r_xz) * (1 - raw.r_yz * raw.r_yz))
        as partial_rho_initial_income,
    within_province.rho_within_province,
    within_province.n_provinces,
    within_province.n_cities_within
from raw
left join within_province on within_province.sample = raw.sample and within_province.target = raw.target
