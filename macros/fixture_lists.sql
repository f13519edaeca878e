{#- Unit-test fixtures may give list columns as YAML lists ([1.0, 2.0], [[1.0], [2.0]]).
    dbt passes such a value to safe_cast as a Python list; these render it as each engine's
    list literal (DuckDB [a, b], Spark array(a, b)), NULLs included, before the cast. Any
    other value is cast as dbt does by default. -#}
{% macro hefei_list_literal(value, open, close) -%}
    {%- set items = [] -%}
    {%- for item in value -%}
        {%- if item is none -%}{%- do items.append('null') -%}
        {%- elif item is string -%}{%- do items.append(dbt.string_literal(dbt.escape_single_quotes(item))) -%}
        {%- elif item is iterable -%}{%- do items.append(hefei_list_literal(item, open, close)) -%}
        {%- else -%}{%- do items.append(item | string) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(open ~ (items | join(', ')) ~ close) }}
{%- endmacro %}

{% macro duckdb__safe_cast(field, type) -%}
    {%- if field is iterable and field is not string and field is not mapping -%}
        cast({{ hefei_list_literal(field, '[', ']') }} as {{ type }})
    {%- else -%}
        cast({{ field }} as {{ type }})
    {%- endif -%}
{%- endmacro %}

{% macro spark__safe_cast(field, type) -%}
    {%- if field is iterable and field is not string and field is not mapping -%}
        cast({{ hefei_list_literal(field, 'array(', ')') }} as {{ type }})
    {%- elif field is string and cast_from_string_unsupported_for(type) -%}
        cast({{ field.strip('"').strip("'") }} as {{ type }})
    {%- else -%}
        cast({{ field }} as {{ type }})
    {%- endif -%}
{%- endmacro %}
