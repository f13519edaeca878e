{#- Median of a few values in one row (null ones left out; null when all are null), computed as
    the continuous median aggregate does on each engine, so a row-wise median equals the one a
    group by would give. -#}
{% macro median_of(expressions) -%}
    {{ return(adapter.dispatch('median_of')(expressions)) }}
{%- endmacro %}

{% macro default__median_of(expressions) -%}
    list_median([{{ expressions | join(', ') }}])
{%- endmacro %}

{#- Spark's percentile(x, 0.5) interpolates as 0.5 * lower + 0.5 * upper for an even count. -#}
{% macro spark__median_of(expressions) -%}
    {%- set sorted -%}
        array_sort(filter(array({{ expressions | join(', ') }}), v -> v is not null))
    {%- endset -%}
    case
        when size({{ sorted }}) = 0 then null
        when size({{ sorted }}) % 2 = 1 then element_at({{ sorted }}, cast(size({{ sorted }}) / 2 as int) + 1)
        else 0.5 * element_at({{ sorted }}, cast(size({{ sorted }}) / 2 as int))
            + 0.5 * element_at({{ sorted }}, cast(size({{ sorted }}) / 2 as int) + 1)
    end
{%- endmacro %}
