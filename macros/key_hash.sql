{#- A 64-bit hash of one or more columns, for finding repeated keys in large tables: equal keys
    give equal hashes, so a key that repeats has a hash that repeats. Grouping one number per
    row needs far less memory than grouping the key's text. Different keys can share a hash, so
    callers check the keys of a repeated hash exactly (column_rules' unique rule). For keys of
    text, whole numbers and dates, as every unique rule here: for a floating-point key, an
    engine's hash need not treat -0.0 and 0.0 as equal the way its GROUP BY does. -#}
{% macro key_hash(columns) -%}
    {{ return(adapter.dispatch('key_hash')(columns)) }}
{%- endmacro %}

{% macro default__key_hash(columns) -%}
    hash({{ columns | join(', ') }})
{%- endmacro %}

{% macro spark__key_hash(columns) -%}
    xxhash64({{ columns | join(', ') }})
{%- endmacro %}
