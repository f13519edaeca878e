-- Profiles for the "Hefei's twins" comparison: every time-varying indicator standardised
-- within each year across all cities (z-scores, direction applied so higher is better), with
-- nominal imputation. Indicators that are one-off snapshots (university lists, distances)
-- are left out: they cannot describe a city as it was in an earlier year.
with grid as (
    select imputed.*
    from {{ ref('int_index__imputed') }} as imputed
    inner join {{ ref('int_index__catalogue') }} as catalogue
        on catalogue.indicator_code = imputed.indicator_code
    where not catalogue.is_static_snapshot
      and imputed.indicator_value is not null
),

year_stats as (
    select year, indicator_code, avg(indicator_value) as year_mean, stddev_samp(indicator_value) as year_sd
    from grid
    group by year, indicator_code
)

select
    grid.city_code,
    grid.year,
    grid.indicator_code,
    grid.pillar,
    grid.indicator_value,
    grid.is_imputed,
    catalogue.direction * (grid.indicator_value - year_stats.year_mean) / year_stats.year_sd as z_score
from grid
inner join year_stats on year_stats.year = grid.year and year_stats.indicator_code = grid.indicator_code
inner join {{ ref('int_index__catalogue') }} as catalogue on catalogue.indicator_code = grid.indicator_code
where year_stats.year_sd > 0
