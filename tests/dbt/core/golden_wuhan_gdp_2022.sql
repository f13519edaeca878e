-- Golden figure: Wuhan's GDP in 2022 is 18,866 (100m CNY), within 1.
with expected as (
    select '420100' as city_code, 2022 as year, cast(18866 as double) as gdp_cny_100m
),

final as (
    select
        expected.*,
        panel.gdp_cny_100m as actual_gdp_cny_100m
    from expected
    left join {{ ref('fct_city_year_panel') }} as panel
        on expected.city_code = panel.city_code
        and expected.year = panel.year
    where panel.gdp_cny_100m is null
       or abs(panel.gdp_cny_100m - expected.gdp_cny_100m) > 1
)

select * from final
