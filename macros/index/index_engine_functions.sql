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

{#- List helpers for the uncertainty analysis. Scores and weights travel as lists (one
    inner list per pillar, indicators in catalogue order), so a scenario is scored row by
    row instead of joining and regrouping units x scenarios x indicators. -#}

{#- An ordered list aggregate: the values of x, ordered by order_by. -#}
{% macro index_list_agg(x, order_by) -%}
    {{ return(adapter.dispatch('index_list_agg')(x, order_by)) }}
{%- endmacro %}
{% macro default__index_list_agg(x, order_by) -%}
    list({{ x }} order by {{ order_by }})
{%- endmacro %}

{#- Per pillar, the weighted mean of the included indicator scores: dot(weights, scores) /
    dot(weights, included), where scores hold 0 and included holds 0 for an indicator left
    out (missing, no score, or imputed when imputation is off). No included indicator gives NULL. -#}
{% macro index_list_pillar_scores(weights, scores, included) -%}
    {{ return(adapter.dispatch('index_list_pillar_scores')(weights, scores, included)) }}
{%- endmacro %}
{% macro default__index_list_pillar_scores(weights, scores, included) -%}
    list_transform(list_zip({{ weights }}, {{ scores }}, {{ included }}),
        lambda p: list_dot_product(p[1], p[2]) / nullif(list_dot_product(p[1], p[3]), 0))
{%- endmacro %}

{#- Weighted arithmetic and geometric means (floor of 1 point, as index_weighted_geometric_mean)
    of a list of values with a list of weights, ignoring missing values. -#}
{% macro index_list_weighted_mean(values, weights) -%}
    {{ return(adapter.dispatch('index_list_weighted_mean')(values, weights)) }}
{%- endmacro %}
{% macro default__index_list_weighted_mean(values, weights) -%}
    (list_sum(list_transform(list_zip({{ weights }}, {{ values }}), lambda e: e[1] * e[2]))
        / nullif(list_sum(list_transform(list_zip({{ weights }}, {{ values }}), lambda e: case when e[2] is not null then e[1] end)), 0))
{%- endmacro %}

{% macro index_list_weighted_geometric_mean(values, weights, floor=1) -%}
    {{ return(adapter.dispatch('index_list_weighted_geometric_mean')(values, weights, floor)) }}
{%- endmacro %}
{% macro default__index_list_weighted_geometric_mean(values, weights, floor=1) -%}
    exp(list_sum(list_transform(list_zip({{ weights }}, {{ values }}), lambda e: e[1] * ln(greatest(e[2], {{ floor }}))))
        / nullif(list_sum(list_transform(list_zip({{ weights }}, {{ values }}), lambda e: case when e[2] is not null then e[1] end)), 0))
{%- endmacro %}

{#- The number of non-missing values in a list. -#}
{% macro index_list_count(values) -%}
    {{ return(adapter.dispatch('index_list_count')(values)) }}
{%- endmacro %}
{% macro default__index_list_count(values) -%}
    len(list_filter({{ values }}, lambda v: v is not null))
{%- endmacro %}
