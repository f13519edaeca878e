-- Golden figure: Hefei's resident population in 2022 is 963.4 (10k persons).
with expected as (
    select '340100' as city_code, 2022 as year, cast(963.4 as double) as resident_population_10k
),

final as (
    select
        expected.*,
        panel.resident_population_10k as actual_resident_population_10k
    from expected
    left join {{ ref('fct_city_year_panel') }} as panel
        on expected.city_code = panel.city_code
        and expected.year = panel.year
    where panel.resident_population_10k is null
       or panel.resident_population_10k <> expected.resident_population_10k
)

select * from final
