-- The adoption view: per city and year, which parts of the Hefei recipe are known to be in
-- place, each with its source, and unknown kept apart from "not adopted". These facts are
-- collected unevenly, so they are reported beside the replicability index, not inside it.
--   chain boss: from the 2026 census. The city's own row counts first; a city covered by
--     its province's system is in force at province level. A census row without evidence,
--     a row without a year, or a year that is only the first sighting (the system may be
--     older) gives unknown; not_in_force needs a formally dated start after the year, for
--     the city's own row and its province's row alike (a city the census did not search
--     is never known not to have one).
--   science centre: the census list of comprehensive national science centres is complete,
--     so a city not on it has none (a known no); an approval without a year is unknown.
--   state bets and guidance funds: the curated ledgers name only some cities; a city with
--     none recorded is unknown, not zero.
with city_years as (
    select city_code, year, province_code, is_inland, name_en
    from {{ ref('fct_city_year_panel') }}
),

census as (
    select * from {{ ref('stg_policy__chain_boss_census') }}
),

-- the status one census row gives for one year
chain_rows as (
    select
        city_years.city_code,
        city_years.year,
        census.admin_level,
        census.adoption_year,
        census.date_basis,
        census.num_chains,
        census.source_id,
        census.source_url,
        case
            when census.status <> 'adopted' or census.adoption_year is null then 'unknown'
            when city_years.year >= census.adoption_year then 'in_force'
            when census.date_basis = 'formal' then 'not_in_force'
            else 'unknown'
        end as row_status
    from city_years
    inner join census
        on (census.admin_level = 'city' and census.area_code = city_years.city_code)
        or (census.admin_level = 'province' and census.area_code = city_years.province_code)
),

chain_status as (
    select
        city_years.city_code,
        city_years.year,
        case
            when max(case when chain_rows.row_status = 'in_force' then 1 else 0 end) = 1 then 'in_force'
            -- both the city's own row and its province's row formally not yet in force
            when sum(case when chain_rows.row_status = 'not_in_force' then 1 else 0 end) = 2 then 'not_in_force'
            else 'unknown'
        end as chain_boss_status
    from city_years
    left join chain_rows on chain_rows.city_code = city_years.city_code and chain_rows.year = city_years.year
    group by city_years.city_code, city_years.year
),

-- the row the status is read from: the city's own row first, then the province's
chain_pick as (
    select *
    from (
        select
            chain_rows.*,
            row_number() over (
                partition by chain_rows.city_code, chain_rows.year
                order by case when chain_rows.row_status = 'in_force' then 0 else 1 end,
                         case when chain_rows.admin_level = 'city' then 0 else 1 end
            ) as pick
        from chain_rows
    ) as ranked
    where pick = 1
),

centres as (
    select * from {{ ref('stg_talent__science_centre_census') }}
    where item_type in ('comprehensive_national_science_centre', 'regional_comprehensive_science_centre')
      and status = 'approved'
),

centre_status as (
    select
        city_years.city_code,
        city_years.year,
        case
            when max(case when centres.approval_year <= city_years.year then 1 else 0 end) = 1 then 'approved'
            when max(case when centres.city_code is not null and centres.approval_year is null then 1 else 0 end) = 1 then 'unknown'
            else 'none'
        end as science_centre_status,
        max(centres.item_type) as science_centre_type,
        min(centres.approval_year) as science_centre_approval_year,
        max(centres.source_url) as science_centre_source_url
    from city_years
    left join centres on centres.city_code = city_years.city_code
    group by city_years.city_code, city_years.year
),

bets as (
    select city_code, start_year, source_id
    from {{ ref('stg_policy__state_investments') }}
    where city_code is not null and coalesce(outcome, '') <> 'aggregate'
),

bet_counts as (
    select
        city_years.city_code,
        city_years.year,
        count(bets.city_code) as n_bets_recorded_ever,
        sum(case when bets.start_year <= city_years.year then 1 else 0 end) as n_bets_dated_to_date,
        max(bets.source_id) as bets_source_id
    from city_years
    left join bets on bets.city_code = city_years.city_code
    group by city_years.city_code, city_years.year
),

funds as (
    select city_code, year_established, source_id
    from {{ ref('stg_policy__guidance_funds') }}
    where city_code is not null and scope = 'city'
),

fund_counts as (
    select
        city_years.city_code,
        city_years.year,
        count(funds.city_code) as n_funds_recorded_ever,
        sum(case when funds.year_established <= city_years.year then 1 else 0 end) as n_funds_dated_to_date,
        max(funds.source_id) as funds_source_id
    from city_years
    left join funds on funds.city_code = city_years.city_code
    group by city_years.city_code, city_years.year
)

select
    cast(city_years.city_code as {{ dbt.type_string() }}) as city_code,
    cast(city_years.name_en as {{ dbt.type_string() }}) as name_en,
    cast(city_years.province_code as {{ dbt.type_string() }}) as province_code,
    cast(city_years.year as integer) as year,
    cast(city_years.is_inland as boolean) as is_inland,
    cast(chain_status.chain_boss_status as {{ dbt.type_string() }}) as chain_boss_status,
    cast(case when chain_pick.admin_level is null then 'not_censused' else chain_pick.admin_level end
        as {{ dbt.type_string() }}) as chain_boss_record_level,
    cast(chain_pick.adoption_year as integer) as chain_boss_adoption_year,
    cast(chain_pick.date_basis as {{ dbt.type_string() }}) as chain_boss_date_basis,
    cast(case when chain_status.chain_boss_status = 'in_force' and chain_pick.admin_level = 'city'
        then chain_pick.num_chains end as integer) as chain_boss_num_chains,
    cast(chain_pick.source_id as {{ dbt.type_string() }}) as chain_boss_source_id,
    cast(chain_pick.source_url as {{ dbt.type_string() }}) as chain_boss_source_url,
    cast(centre_status.science_centre_status as {{ dbt.type_string() }}) as science_centre_status,
    cast(centre_status.science_centre_type as {{ dbt.type_string() }}) as science_centre_type,
    cast(centre_status.science_centre_approval_year as integer) as science_centre_approval_year,
    cast('policy_census_2026.science_centres_census' as {{ dbt.type_string() }}) as science_centre_source_id,
    cast(centre_status.science_centre_source_url as {{ dbt.type_string() }}) as science_centre_source_url,
    cast(case when bet_counts.n_bets_recorded_ever > 0 then 'recorded' else 'unknown' end
        as {{ dbt.type_string() }}) as state_bets_status,
    cast(case when bet_counts.n_bets_recorded_ever > 0 then bet_counts.n_bets_dated_to_date end as integer)
        as state_bets_known_to_date,
    cast(bet_counts.bets_source_id as {{ dbt.type_string() }}) as state_bets_source_id,
    cast(case when fund_counts.n_funds_recorded_ever > 0 then 'recorded' else 'unknown' end
        as {{ dbt.type_string() }}) as guidance_funds_status,
    cast(case when fund_counts.n_funds_recorded_ever > 0 then fund_counts.n_funds_dated_to_date end as integer)
        as guidance_funds_known_to_date,
    cast(fund_counts.funds_source_id as {{ dbt.type_string() }}) as guidance_funds_source_id
from city_years
inner join chain_status on chain_status.city_code = city_years.city_code and chain_status.year = city_years.year
left join chain_pick on chain_pick.city_code = city_years.city_code and chain_pick.year = city_years.year
inner join centre_status on centre_status.city_code = city_years.city_code and centre_status.year = city_years.year
inner join bet_counts on bet_counts.city_code = city_years.city_code and bet_counts.year = city_years.year
inner join fund_counts on fund_counts.city_code = city_years.city_code and fund_counts.year = city_years.year
