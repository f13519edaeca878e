{#- Placed between a CTE's name and its body (`name as {{ read_again() }} (...)`): each step that
    uses the CTE reads its source again instead of sharing one stored copy. DuckDB stores a CTE
    that is used more than once; for a plain read of a staged table, at county scale that copy
    is millions of rows held beside the joins, and the build spills to disk. Only for CTEs that
    are cheap to compute again: a scan, a filter, a join to a small table. Spark already reads
    a CTE again at each use, and has no such keyword. -#}
{% macro read_again() -%}
    {{ return(adapter.dispatch('read_again')()) }}
{%- endmacro %}

{% macro default__read_again() -%}
    not materialized
{%- endmacro %}

{% macro spark__read_again() -%}
{%- endmacro %}
