-- The index per scenario, year and eligible city, and its rank among the inland cities
-- ranked in that scenario and year. Nominal aggregation is the weighted geometric mean of
-- the pillar scores (a missing ingredient cannot be bought with a surplus of another);
-- the alternative is the weighted arithmetic mean. A pillar left empty by "imputation off"
-- is skipped and the remaining pillar weights count in full. Computed row by row from the
-- pillar-score lists, so nothing of size units x scenarios x pillars is stored or regrouped.
with city_years as (
    select * from {{ ref('int_index__scenario_city_years') }}
),

aggregated as (
    select
        scenario_id,
        year,
        city_code,
        case aggregation
            when 'arithmetic' then {{ index_list_weighted_mean('pillar_scores', 'pillar_weights') }}
            else {{ index_list_weighted_geometric_mean('pillar_scores', 'pillar_weights') }}
        end as index_score,
        {{ index_list_count('pillar_scores') }} as n_pillars_used
    from city_years
),

-- Ranked before the cities without a score are dropped, so that the filter cannot be pushed
-- below the window: DuckDB would then compute the whole score expression a second time for the
-- filter (about 20 s for the 21m rows of county scale). A city without a score sorts last, so
-- the ranks of the others are 1..n all the same, and it is not counted.
ranked as (
    select
        scenario_id,
        year,
        city_code,
        -- rounded far below any meaningful difference, so floating-point noise of exp(ln(x))
        -- cannot reorder cities or differ between machines
        round(index_score, 9) as index_score,
        n_pillars_used,
        -- ties (rare with continuous scores) are broken by city code so ranks are exactly 1..n
        row_number() over (
            partition by scenario_id, year
            order by case when index_score is null then 1 else 0 end, round(index_score, 9) desc, city_code
        ) as index_rank,
        count(index_score) over (partition by scenario_id, year) as n_ranked
    from aggregated
)

select
    scenario_id,
    year,
    city_code,
    index_score,
    n_pillars_used,
    index_rank,
    n_ranked
from ranked
where index_score is not null
