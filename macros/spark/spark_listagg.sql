{#- dbt.listagg on Spark, keeping the ORDER BY that dbt-spark's own version ignores (it
    joins collect_list in whatever order the rows arrive). Structs of (sort keys, value) are
    collected, sorted and joined; NULL values are skipped, and a group with none gives NULL,
    as on DuckDB. Ascending sort keys only (one or more, compared in order). -#}
{% macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- if limit_num -%}
        {{ exceptions.raise_compiler_error("listagg on Spark: limit_num is not supported") }}
    {%- endif -%}
    {%- if order_by_clause -%}
        {%- set keys = order_by_clause | trim -%}
        {%- if keys[:8] | lower == 'order by' -%}{%- set keys = keys[8:] | trim -%}{%- endif -%}
        {%- set fields = [] -%}
        {%- for key in keys.split(',') -%}
            {%- if key.split() | length != 1 -%}
                {{ exceptions.raise_compiler_error("listagg on Spark: ascending sort keys only, got '" ~ order_by_clause ~ "'") }}
            {%- endif -%}
            {%- do fields.append("'k" ~ loop.index ~ "', " ~ (key | trim)) -%}
        {%- endfor %}
    case when count({{ measure }}) > 0 then
        array_join(transform(array_sort(collect_list(named_struct({{ fields | join(', ') }}, 'v', {{ measure }}))), e -> e.v), {{ delimiter_text }})
    end
    {%- else -%}
    case when count({{ measure }}) > 0 then array_join(collect_list({{ measure }}), {{ delimiter_text }}) end
    {%- endif -%}
{%- endmacro %}
