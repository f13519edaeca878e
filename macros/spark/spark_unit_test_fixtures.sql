{#- A unit test's input fixture. dbt writes one SELECT per fixture row, joined by UNION ALL.
    Spark inlines a CTE wherever the model reads it, so a model that reads its input in
    several CTEs has every branch of that union analysed and optimised several times: one
    unit test spent 59 s only creating its view. On Spark the same rows, with the same casts
    and the same NULLs for columns a row leaves out, are one inline table (VALUES) instead.
    Every other engine keeps dbt's own fixture SQL. -#}
{% macro get_fixture_sql(rows, column_name_to_data_types) %}
    {{ return(adapter.dispatch('get_fixture_sql', 'hefei_warehouse')(rows, column_name_to_data_types)) }}
{% endmacro %}

{% macro default__get_fixture_sql(rows, column_name_to_data_types) %}
    {{ return(dbt.get_fixture_sql(rows, column_name_to_data_types)) }}
{% endmacro %}

{% macro spark__get_fixture_sql(rows, column_name_to_data_types) %}
{%- if (rows | length) == 0 -%}
    {{ return(dbt.get_fixture_sql(rows, column_name_to_data_types)) }}
{%- endif -%}
{%- if not column_name_to_data_types -%}
{#-- dbt passes no types: the columns and types of the relation the fixture stands for --#}
{%-   set this_or_defer_relation = defer_relation if (defer_relation and not load_relation(this)) else this -%}
{%-   set column_name_to_data_types = {} -%}
{%-   for column in adapter.get_columns_in_relation(this_or_defer_relation) -%}
{%-     do column_name_to_data_types.update({column.name | lower: column.data_type}) -%}
{%-   endfor -%}
{%- endif -%}
{%- if not column_name_to_data_types -%}
    {{ exceptions.raise_compiler_error("Not able to get columns for unit test '" ~ model.name ~ "' from relation " ~ this ~ " because the relation doesn't exist") }}
{%- endif -%}
{%- set default_row = {} -%}
{%- for column_name, column_type in column_name_to_data_types.items() -%}
{%-   do default_row.update({column_name: (safe_cast("null", column_type) | trim)}) -%}
{%- endfor -%}
{{ dbt.validate_fixture_rows(rows, none) }}
-- Fixture for {{ model.name }}
select * from values
{%- for row in rows %}
{%-   set full_row = default_row.copy() -%}
{%-   do full_row.update(dbt.format_row(row, column_name_to_data_types)) %}
    ({% for column_name in default_row %}{{ full_row[column_name] }}{% if not loop.last %}, {% endif %}{% endfor %}){% if not loop.last %},{% endif %}
{%- endfor %}
    as fixture({% for column_name in default_row %}{{ adapter.quote(column_name) }}{% if not loop.last %}, {% endif %}{% endfor %})
{% endmacro %}
