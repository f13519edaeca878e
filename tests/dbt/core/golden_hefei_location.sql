-- Golden facts about Hefei's place: in Anhui, central region, inland, 400-470 km from Shanghai
-- as the crow flies (the article says about 470 km). Returns Hefei's row if any fact is off,
-- or a placeholder row if Hefei is missing.
with hefei as (
    select *
    from {{ ref('dim_city') }}
    where city_code = '340100'
),

checked as (
    select
        count(*) as n_rows,
        max(case
            when province_code = '340000'
                and province_name_en = 'Anhui'
                and region = 'central'
                and is_inland
                and distance_to_shanghai_km between 400 and 470
            then 1 else 0
        end) as all_facts_hold,
        max(distance_to_shanghai_km) as distance_to_shanghai_km
    from hefei
),

final as (
    select *
    from checked
    where n_rows <> 1 or all_facts_hold <> 1
)

select * from final
