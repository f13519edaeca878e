{#- How far a value lies above (+) or below (-) a reference, in percent of the reference;
    null when the reference is zero or either side is missing. -#}
{% macro pct_gap(value, reference) -%}
    ((({{ value }}) / nullif(({{ reference }}), 0) - 1) * 100)
{%- endmacro %}
