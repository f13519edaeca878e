{#- Compound annual growth rate in percent between a start and an end value over n years;
    null when either value is missing or not positive (growth of a non-positive base is undefined). -#}
{% macro cagr_pct(start_value, end_value, years) -%}
    case
        when ({{ start_value }}) > 0 and ({{ end_value }}) > 0 and ({{ years }}) > 0
            then (power(({{ end_value }}) / ({{ start_value }}), 1.0 / ({{ years }})) - 1) * 100
    end
{%- endmacro %}
