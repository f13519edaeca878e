{#- Long form of every numeric column of a relation: one row per key and column, with
    the column's name in input_column and its value (as double) in input_value. Built from
    the relation's columns at compile time with plain UNION ALL, so any engine runs it and a
    new numeric column upstream becomes available to the catalogue without SQL changes. -#}
{% macro index_unpivot_numeric(relation, key_columns) -%}
    {%- set numeric_columns = [] -%}
    {%- if execute -%}
        {%- for column in adapter.get_columns_in_relation(relation) -%}
            {%- if column.name | lower not in key_columns and (column.is_numeric() or column.is_float() or column.is_integer()) -%}
                {%- do numeric_columns.append(column.name) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if numeric_columns | length == 0 %}
    select {% for key in key_columns %}{{ key }}, {% endfor %}cast(null as varchar) as input_column, cast(null as double) as input_value
    from {{ relation }} where 1 = 0
    {%- else -%}
    {%- for name in numeric_columns %}
    select {% for key in key_columns %}{{ key }}, {% endfor %}'{{ name | lower }}' as input_column, cast({{ adapter.quote(name) }} as double) as input_value
    from {{ relation }}
    where {{ adapter.quote(name) }} is not null
    {% if not loop.last %}union all{% endif %}
    {%- endfor -%}
    {%- endif -%}
{%- endmacro %}
