{#- Distance between two values in the screening tolerance's unit: for 'points' the absolute
    difference, for 'relative_pct' the difference in percent of the mean of the two absolute
    values (symmetric, so it does not matter which value is the reference). Null when either
    value is missing; zero when both are zero. -#}
{% macro screen_gap(a, b, tolerance_unit) -%}
    (case
        when ({{ a }}) is null or ({{ b }}) is null then null
        when {{ tolerance_unit }} = 'points' then abs(({{ a }}) - ({{ b }}))
        when ({{ a }}) = ({{ b }}) then 0
        else abs(({{ a }}) - ({{ b }})) / ((abs({{ a }}) + abs({{ b }})) / 2) * 100
    end)
{%- endmacro %}
