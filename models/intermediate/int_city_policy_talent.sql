-- One row per city of the city dimension with its talent and policy ingredients: universities,
-- science-centre status and chain-boss adoption. Counts are of what the seeds list; a city
-- with no listed institution gets 0, while unknown dates and chain counts stay null.
with cities as (
    select city_code, province_code
    from {{ ref('stg_seeds__cities') }}
),

universities as (
    select
        city_code,
        cast(count(*) as integer)                                  as n_universities,
        cast(sum(case when education_level = 'undergraduate' then 1 else 0 end) as integer) as n_undergraduate_institutions,
        cast(sum(case when is_elite then 1 else 0 end) as integer)                  as n_elite_universities,
        cast(sum(case when is_project_985 then 1 else 0 end) as integer)            as n_project_985,
        cast(sum(case when is_project_211 then 1 else 0 end) as integer)            as n_project_211,
        cast(sum(case when is_double_first_class then 1 else 0 end) as integer)     as n_double_first_class
    from {{ ref('stg_talent__universities') }}
    where city_code is not null
    group by city_code
),

-- The seed keeps the row naming the Chengdu-Chongqing and Wuhan innovation centres as one
-- multi-city row without a code; this lists the cities that row names.
multi_city_members as (
    select 'SC006' as record_id, '510100' as city_code
    union all select 'SC006', '500100'
    union all select 'SC006', '420100'
),

centre_items as (
    select
        coalesce(sc.city_code, m.city_code) as city_code,
        case
            -- Xi'an's 2023 approval covers a comprehensive science centre and an innovation centre
            when sc.item_type in ('comprehensive_science_centre', 'science_and_innovation_centre')
                then 'comprehensive_national_science_centre'
            when sc.item_type = 'innovation_centre' then 'innovation_centre'
        end as centre_status,
        case
            when sc.item_type in ('comprehensive_science_centre', 'science_and_innovation_centre') then 1
            else 2
        end as status_rank,
        sc.approval_year,
        sc.record_id
    from {{ ref('stg_talent__science_centres') }} as sc
    left join multi_city_members as m
        on sc.record_id = m.record_id
    where sc.item_type in ('comprehensive_science_centre', 'science_and_innovation_centre', 'innovation_centre')
      and sc.status = 'approved'
),

best_centre as (
    select city_code, centre_status, approval_year
    from (
        select
            centre_items.*,
            row_number() over (
                partition by city_code
                order by status_rank, case when approval_year is null then 1 else 0 end, approval_year, record_id
            ) as pick
        from centre_items
        where city_code is not null
    ) as ranked
    where pick = 1
),

-- A city's own adoption: the earliest city-level record (district rows do not count).
city_adoption as (
    select city_code, adoption_year, adoption_year_is_upper_bound, num_chains
    from (
        select
            a.*,
            row_number() over (
                partition by city_code
                order by case when adoption_year is null then 1 else 0 end, adoption_year, record_id
            ) as pick
        from {{ ref('stg_policy__chain_boss_adoption') }} as a
        where admin_level = 'city'
    ) as ranked
    where pick = 1
),

province_adoption as (
    select province_code, adoption_year, adoption_year_is_upper_bound, num_chains
    from (
        select
            a.*,
            row_number() over (
                partition by province_code
                order by case when adoption_year is null then 1 else 0 end, adoption_year, record_id
            ) as pick
        from {{ ref('stg_policy__chain_boss_adoption') }} as a
        where admin_level = 'province'
    ) as ranked
    where pick = 1
)

select
    c.city_code,
    coalesce(u.n_universities, 0)               as n_universities,
    coalesce(u.n_undergraduate_institutions, 0) as n_undergraduate_institutions,
    coalesce(u.n_elite_universities, 0)         as n_elite_universities,
    coalesce(u.n_project_985, 0)                as n_project_985,
    coalesce(u.n_project_211, 0)                as n_project_211,
    coalesce(u.n_double_first_class, 0)         as n_double_first_class,
    coalesce(bc.centre_status, 'none')          as science_centre_status,
    bc.approval_year                            as science_centre_year,
    case
        when ca.city_code is not null then 'city'
        when pa.province_code is not null then 'province_only'
        else 'none_recorded'
    end                                         as chain_boss_level,
    -- the city's own year; a city covered only by its province takes the province's year
    case
        when ca.city_code is not null then ca.adoption_year
        else pa.adoption_year
    end                                         as chain_boss_adoption_year,
    case
        when ca.city_code is not null then ca.adoption_year_is_upper_bound
        else pa.adoption_year_is_upper_bound
    end                                         as chain_boss_adoption_year_is_upper_bound,
    -- chains the city itself runs; a province's count is not the city's and is kept apart
    ca.num_chains                               as chain_boss_num_chains,
    pa.adoption_year                            as province_chain_boss_adoption_year,
    pa.num_chains                               as province_chain_boss_num_chains
from cities as c
left join universities as u on c.city_code = u.city_code
left join best_centre as bc on c.city_code = bc.city_code
left join city_adoption as ca on c.city_code = ca.city_code
left join province_adoption as pa on c.province_code = pa.province_code
