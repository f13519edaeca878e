-- Measured influence of each pillar and indicator on the headline-year index, beside its
-- nominal share (Paruolo, Saisana & Saltelli 2013; Becker et al. 2017). The first-order
-- sensitivity index S is estimated as the correlation ratio eta^2 of the index on the item:
-- cities are put in ten bins by the item's score (tied scores share a bin) and S is the
-- share of the index's variance explained by the bin means. influence_share normalises S
-- over the items of the same level; ratio_to_nominal compares it with the nominal share
-- (pillar weight share; for an indicator, pillar share times its share inside the pillar).
-- For pillars the spread of ln(pillar score), its pull in a geometric mean, is given too.
with scores as (
    select * from {{ ref('int_index__headline_scores') }}
),

items as (
    select distinct city_code, index_score, 'pillar' as level, pillar as item_code, pillar, pillar_score as item_score
    from scores
    union all
    select city_code, index_score, 'indicator', indicator_code, pillar, min_max_score
    from scores
),

binned as (
    select
        items.*,
        1 + floor(10.0 * (rank() over (partition by level, item_code order by item_score) - 1)
            / count(*) over (partition by level, item_code)) as score_bin
    from items
    where item_score is not null
),

index_stats as (
    select level, item_code, avg(index_score) as mean_index, var_pop(index_score) as var_index, count(*) as n_cities
    from binned
    group by level, item_code
),

bin_means as (
    select level, item_code, score_bin, count(*) as n_in_bin, avg(index_score) as bin_mean
    from binned
    group by level, item_code, score_bin
),

first_order as (
    select
        bin_means.level,
        bin_means.item_code,
        sum(bin_means.n_in_bin * (bin_means.bin_mean - index_stats.mean_index) * (bin_means.bin_mean - index_stats.mean_index))
            / (index_stats.n_cities * index_stats.var_index) as first_order_index
    from bin_means
    inner join index_stats on index_stats.level = bin_means.level and index_stats.item_code = bin_means.item_code
    group by bin_means.level, bin_means.item_code, index_stats.n_cities, index_stats.var_index
),

other_stats as (
    select
        level,
        item_code,
        max(pillar) as pillar,
        corr(item_score, index_score) as r_with_index,
        stddev_samp(case when level = 'pillar' then ln(greatest(item_score, 1)) end) as sd_log_score,
        count(*) as n_cities
    from binned
    group by level, item_code
),

catalogue as (
    select indicator_code, pillar, weight, pillar_weight,
        weight / sum(weight) over (partition by pillar) as share_in_pillar
    from {{ ref('int_index__catalogue') }}
),

pillar_nominal as (
    select pillar, max(pillar_weight) as pillar_weight from catalogue group by pillar
),

nominal as (
    select 'pillar' as level, pillar as item_code, pillar_weight / sum(pillar_weight) over () as nominal_share
    from pillar_nominal
    union all
    select 'indicator', catalogue.indicator_code,
        catalogue.share_in_pillar * pillar_nominal.pillar_weight / (select sum(pillar_weight) from pillar_nominal)
    from catalogue
    inner join pillar_nominal on pillar_nominal.pillar = catalogue.pillar
),

combined as (
    select
        other_stats.level,
        other_stats.item_code,
        other_stats.pillar,
        other_stats.n_cities,
        nominal.nominal_share,
        other_stats.r_with_index,
        first_order.first_order_index,
        first_order.first_order_index / sum(first_order.first_order_index) over (partition by other_stats.level) as influence_share,
        other_stats.sd_log_score
    from other_stats
    inner join first_order on first_order.level = other_stats.level and first_order.item_code = other_stats.item_code
    inner join nominal on nominal.level = other_stats.level and nominal.item_code = other_stats.item_code
)

select
    cast((select max(year) from scores) as integer) as year,
    cast(level as {{ dbt.type_string() }}) as level,
    cast(item_code as {{ dbt.type_string() }}) as item_code,
    cast(pillar as {{ dbt.type_string() }}) as pillar,
    cast(n_cities as integer) as n_cities,
    cast(nominal_share as double) as nominal_share,
    cast(r_with_index as double) as r_with_index,
    cast(first_order_index as double) as first_order_index,
    cast(influence_share as double) as influence_share,
    cast(influence_share / nominal_share as double) as ratio_to_nominal,
    cast(influence_share / nominal_share between {{ var('index_influence_low_ratio', 0.5) }}
        and {{ var('index_influence_high_ratio', 2.0) }} as boolean) as is_within_influence_bounds,
    cast(sd_log_score as double) as sd_log_score
from combined
