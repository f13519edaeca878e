{#- Long form of every numeric column of a relation: one row per key and column, with
    the column's name in input_column and its value (as double) in input_value. Built from
    the relation's columns at compile time with plain UNION ALL, so any engine runs it and a
    new numeric column upstream becomes available to the catalogue without SQL changes. -#}
{% macro index_unpivot_numeric(relation, key_columns) -%}
    {%- set numeric_columns = [] -%}
    {%- if execute -%}
        {%- set columns = adapter.get_columns_in_relation(relation) -%}
        {%- for column in columns -%}
            {%- if column.name | lower not in key_columns and index_is_numeric_type(column.dtype) -%}
                {%- do numeric_columns.append(column.name) -%}
            {%- endif -%}
        {%- endfor -%}
        {#- A relation with columns but none numeric means a type name this macro does not know:
            stop rather than return no rows (every index mart would come out empty). -#}
        {%- if columns | length > 0 and numeric_columns | length == 0 -%}
            {{ exceptions.raise_compiler_error("index_unpivot_numeric: no numeric column recognised in " ~ relation ~ " (types: " ~ (columns | map(attribute='dtype') | join(', ')) ~ ")") }}
        {%- endif -%}
    {%- endif -%}
    {%- if numeric_columns | length == 0 %}
    select {% for key in key_columns %}{{ key }}, {% endfor %}cast(null as {{ dbt.type_string() }}) as input_column, cast(null as double) as input_value
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

{#- True for a numeric type name of any engine the project runs on (DuckDB, Spark, ...):
    adapter column classes disagree (dbt's is_integer() does not know Spark's 'int'), so the
    names are listed here once; parameters such as decimal(18,2) are ignored. -#}
{% macro index_is_numeric_type(data_type) -%}
    {%- set base = (data_type | lower).split('(')[0] | trim -%}
    {{ return(base in ['tinyint', 'smallint', 'int', 'integer', 'bigint', 'hugeint', 'int1', 'int2', 'int4', 'int8',
                       'utinyint', 'usmallint', 'uinteger', 'ubigint', 'uhugeint', 'long', 'short', 'byte',
                       'float', 'float4', 'float8', 'real', 'double', 'double precision', 'decimal', 'numeric']) }}
{%- endmacro %}
