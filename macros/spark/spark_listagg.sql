{#- dbt.listagg on Spark, keeping the ORDER BY that dbt-spark's own version ignores (it
    joins collect_list in whatever order the rows arrive). Pairs of (sort key, value) are
    collected, sorted and joined; NULL values are skipped, and a group with none gives NULL,
    as on DuckDB. One ascending sort key is supported. -#}
{% macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- if limit_num -%}
        {{ exceptions.raise_compiler_error("listagg on Spark: limit_num is not supported") }}
    {%- endif -%}
    {%- if order_by_clause -%}
        {%- set key = order_by_clause | trim -%}
        {%- if key[:8] | lower == 'order by' -%}{%- set key = key[8:] | trim -%}{%- endif -%}
        {%- if ',' in key or key.split() | length > 1 -%}
            {{ exceptions.raise_compiler_error("listagg on Spark: one ascending sort key only, got '" ~ order_by_clause ~ "'") }}
        {%- endif -%}
    case when count({{ measure }}) > 0 then
        array_join(transform(array_sort(collect_list(named_struct('k', {{ key }}, 'v', {{ measure }}))), e -> e.v), {{ delimiter_text }})
    end
    {%- else -%}
    case when count({{ measure }}) > 0 then array_join(collect_list({{ measure }}), {{ delimiter_text }}) end
    {%- endif -%}
{%- endmacro %}
