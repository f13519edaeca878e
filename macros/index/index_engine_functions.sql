{#- Engine-specific functions used by the replicability index, kept here so the models stay
    portable SQL. Each macro dispatches, so another adapter only needs its own
    implementation (e.g. postgres__index_uniform). -#}

{#- A pseudo-random number in [0, 1) that depends only on the key and the factor name:
    the same scenario and factor always draw the same number, so builds reproduce. -#}
{% macro index_uniform(key, factor) -%}
    {{ return(adapter.dispatch('index_uniform')(key, factor)) }}
{%- endmacro %}
{% macro default__index_uniform(key, factor) -%}
    (cast(hash(cast({{ key }} as varchar) || '|' || cast({{ factor }} as varchar)) % 1000003 as double) / 1000003.0)
{%- endmacro %}

{#- A one-column table (column n) of the integers start..stop. -#}
{% macro index_integer_series(start, stop) -%}
    {{ return(adapter.dispatch('index_integer_series')(start, stop)) }}
{%- endmacro %}
{% macro default__index_integer_series(start, stop) -%}
    (select cast(generate_series as integer) as n from generate_series({{ start }}, {{ stop }}))
{%- endmacro %}

{#- Sample skewness of a column (aggregate). -#}
{% macro index_skewness(x) -%}
    {{ return(adapter.dispatch('index_skewness')(x)) }}
{%- endmacro %}
{% macro default__index_skewness(x) -%}
    skewness({{ x }})
{%- endmacro %}

{#- Sample excess kurtosis (0 for a normal distribution), the measure the 3.5 threshold of
    the COINr outlier rule is stated in. -#}
{% macro index_kurtosis(x) -%}
    {{ return(adapter.dispatch('index_kurtosis')(x)) }}
{%- endmacro %}
{% macro default__index_kurtosis(x) -%}
    kurtosis({{ x }})
{%- endmacro %}

{#- Continuous (interpolated) quantile of a column (aggregate); p in [0, 1]. -#}
{% macro index_quantile(x, p) -%}
    {{ return(adapter.dispatch('index_quantile')(x, p)) }}
{%- endmacro %}
{% macro default__index_quantile(x, p) -%}
    quantile_cont({{ x }}, {{ p }})
{%- endmacro %}

{#- Discrete quantile (an actual value of the column) of a column (aggregate). -#}
{% macro index_quantile_disc(x, p) -%}
    {{ return(adapter.dispatch('index_quantile_disc')(x, p)) }}
{%- endmacro %}
{% macro default__index_quantile_disc(x, p) -%}
    quantile_disc({{ x }}, {{ p }})
{%- endmacro %}
