-- Each city with its great-circle distance to Shanghai and to the nearest of the four big
-- eastern hubs, from the cities' own seat coordinates. A hub's distance to itself is 0.
-- Cities without coordinates keep null distances.
with cities as (
    select * from {{ ref('stg_seeds__cities') }}
),

-- The hubs a Hefei-style city competes with for capital and talent: Shanghai, Beijing,
-- Guangzhou and Shenzhen. Codes are the cities' prefecture-slot codes in the city dimension.
hub_codes as (
    select '310100' as hub_code
    union all select '110100'
    union all select '440100'
    union all select '440300'
),

hubs as (
    select
        cities.city_code  as hub_code,
        cities.name_en    as hub_name_en,
        cities.latitude   as hub_latitude,
        cities.longitude  as hub_longitude
    from cities
    inner join hub_codes
        on cities.city_code = hub_codes.hub_code
),

city_hub_distances as (
    select
        cities.city_code,
        hubs.hub_code,
        hubs.hub_name_en,
        {{ great_circle_km('cities.latitude', 'cities.longitude', 'hubs.hub_latitude', 'hubs.hub_longitude') }} as distance_km
    from cities
    cross join hubs
    where cities.latitude is not null
      and cities.longitude is not null
),

-- ties (equal distance to two hubs) go to the lower hub code so the result is deterministic
nearest_hub as (
    select
        city_code,
        hub_code     as nearest_hub_code,
        hub_name_en  as nearest_hub_name_en,
        distance_km  as distance_to_nearest_hub_km
    from (
        select
            city_hub_distances.*,
            row_number() over (partition by city_code order by distance_km, hub_code) as distance_rank
        from city_hub_distances
    ) as ranked
    where distance_rank = 1
),

shanghai as (
    select
        city_code,
        distance_km as distance_to_shanghai_km
    from city_hub_distances
    where hub_code = '310100'
),

final as (
    select
        cities.*,
        nearest_hub.nearest_hub_code,
        nearest_hub.nearest_hub_name_en,
        nearest_hub.distance_to_nearest_hub_km,
        shanghai.distance_to_shanghai_km
    from cities
    left join nearest_hub
        on cities.city_code = nearest_hub.city_code
    left join shanghai
        on cities.city_code = shanghai.city_code
)

select * from final
