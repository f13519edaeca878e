{#- Engine-specific functions used by the replicability index, kept here so the models stay
    portable SQL. Each macro dispatches, so another adapter only needs its own
    implementation (e.g. postgres__index_uniform). -#}

{#- A pseudo-random number in [0, 1) that depends only on the key and the factor name:
    the same scenario and factor always draw the same number, so builds reproduce. The
    first 13 hex digits (52 bits) of the MD5 of 'key|factor', divided by 2^52: every engine
    computes MD5 and this division exactly, so DuckDB and Spark draw identical numbers
    (an engine's own hash() differs from engine to engine). -#}
{% macro index_uniform(key, factor) -%}
    {{ return(adapter.dispatch('index_uniform')(key, factor)) }}
{%- endmacro %}
{% macro default__index_uniform(key, factor) -%}
    (cast({{ index_hex_to_bigint("substring(md5(cast(" ~ key ~ " as " ~ dbt.type_string() ~ ") || '|' || cast(" ~ factor ~ " as " ~ dbt.type_string() ~ ")), 1, 13)") }} as double) / 4503599627370496.0)
{%- endmacro %}

{#- A hexadecimal string (up to 15 digits) as a bigint. -#}
{% macro index_hex_to_bigint(hex) -%}
    {{ return(adapter.dispatch('index_hex_to_bigint')(hex)) }}
{%- endmacro %}
{% macro default__index_hex_to_bigint(hex) -%}
    cast('0x' || ({{ hex }}) as bigint)
{%- endmacro %}
{% macro spark__index_hex_to_bigint(hex) -%}
    cast(conv({{ hex }}, 16, 10) as bigint)
{%- endmacro %}

{#- A one-column table (column n) of the integers start..stop. -#}
{% macro index_integer_series(start, stop) -%}
    {{ return(adapter.dispatch('index_integer_series')(start, stop)) }}
{%- endmacro %}
{% macro default__index_integer_series(start, stop) -%}
    (select cast(generate_series as integer) as n from generate_series({{ start }}, {{ stop }}))
{%- endmacro %}
{% macro spark__index_integer_series(start, stop) -%}
    (select cast(n as integer) as n from (select explode(sequence({{ start }}, {{ stop }})) as n) as series)
{%- endmacro %}

{#- Sample skewness of a column (aggregate): the adjusted Fisher-Pearson coefficient
    G1 = sqrt(n(n-1))/(n-2) * g1, where g1 = m3 / m2^1.5 from the central moments (divisor n).
    DuckDB's skewness() is G1; Spark's skewness() is g1, so Spark applies the correction.
    Null for fewer than 3 values or no spread, on both engines. -#}
{% macro index_skewness(x) -%}
    {{ return(adapter.dispatch('index_skewness')(x)) }}
{%- endmacro %}
{% macro default__index_skewness(x) -%}
    skewness({{ x }})
{%- endmacro %}
{% macro spark__index_skewness(x) -%}
    case when count({{ x }}) > 2 then
        skewness({{ x }}) * sqrt(cast(count({{ x }}) as double) * (count({{ x }}) - 1)) / (count({{ x }}) - 2)
    end
{%- endmacro %}

{#- Sample excess kurtosis (0 for a normal distribution), the measure the 3.5 threshold of
    the COINr outlier rule is stated in: G2 = (n-1)/((n-2)(n-3)) * ((n+1) g2 + 6), where
    g2 = m4 / m2^2 - 3. DuckDB's kurtosis() is G2; Spark's kurtosis() is g2, so Spark
    applies the correction. Null for fewer than 4 values or no spread. -#}
{% macro index_kurtosis(x) -%}
    {{ return(adapter.dispatch('index_kurtosis')(x)) }}
{%- endmacro %}
{% macro default__index_kurtosis(x) -%}
    kurtosis({{ x }})
{%- endmacro %}
{% macro spark__index_kurtosis(x) -%}
    case when count({{ x }}) > 3 then
        (cast(count({{ x }}) as double) - 1) * ((count({{ x }}) + 1) * kurtosis({{ x }}) + 6)
        / ((count({{ x }}) - 2) * (count({{ x }}) - 3))
    end
{%- endmacro %}

{#- Continuous (interpolated) quantile of a column (aggregate); p in [0, 1]. -#}
{% macro index_quantile(x, p) -%}
    {{ return(adapter.dispatch('index_quantile')(x, p)) }}
{%- endmacro %}
{% macro default__index_quantile(x, p) -%}
    quantile_cont({{ x }}, {{ p }})
{%- endmacro %}
{% macro spark__index_quantile(x, p) -%}
    percentile({{ x }}, {{ p }})
{%- endmacro %}

{#- Discrete quantile (an actual value of the column) of a column (aggregate). -#}
{% macro index_quantile_disc(x, p) -%}
    {{ return(adapter.dispatch('index_quantile_disc')(x, p)) }}
{%- endmacro %}
{% macro default__index_quantile_disc(x, p) -%}
    quantile_disc({{ x }}, {{ p }})
{%- endmacro %}
{% macro spark__index_quantile_disc(x, p) -%}
    percentile_disc({{ p }}) within group (order by {{ x }})
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
{#- collect_list has no ORDER BY and drops NULLs: collect (key, value) pairs, which are
    never NULL themselves, sort them by key and keep the values. -#}
{% macro spark__index_list_agg(x, order_by) -%}
    {{ spark__index_records_field(spark__index_sorted_records(order_by, {'v': x}), 'v') }}
{%- endmacro %}

{#- Several lists of one group in the same order, sorted once: a list of records, each the sort
    key (k) and the named fields (a dict of name -> expression, kept in its order), sorted by
    the key. index_records_field reads one field's list back. Sorting one list of records per
    group costs a fraction of one ordered aggregate per list: at county scale, 20 ordered lists
    took six times as long as the same lists unordered. The key must be unique in the group. -#}
{% macro index_sorted_records(order_by, fields) -%}
    {{ return(adapter.dispatch('index_sorted_records')(order_by, fields)) }}
{%- endmacro %}
{% macro default__index_sorted_records(order_by, fields) -%}
    list_sort(list({'k': {{ order_by }}
    {%- for name, x in fields.items() %}, '{{ name }}': {{ x }}{% endfor %}}))
{%- endmacro %}
{% macro spark__index_sorted_records(order_by, fields) -%}
    array_sort(collect_list(named_struct('k', {{ order_by }}
    {%- for name, x in fields.items() %}, '{{ name }}', {{ x }}{% endfor %})))
{%- endmacro %}

{% macro index_records_field(records, name) -%}
    {{ return(adapter.dispatch('index_records_field')(records, name)) }}
{%- endmacro %}
{% macro default__index_records_field(records, name) -%}
    list_transform({{ records }}, lambda e: e.{{ name }})
{%- endmacro %}
{% macro spark__index_records_field(records, name) -%}
    transform({{ records }}, e -> e.{{ name }})
{%- endmacro %}

{#- The element at a 1-based position of a list (NULL past its end). -#}
{% macro index_list_element(values, position) -%}
    {{ return(adapter.dispatch('index_list_element')(values, position)) }}
{%- endmacro %}
{% macro default__index_list_element(values, position) -%}
    ({{ values }})[{{ position }}]
{%- endmacro %}
{% macro spark__index_list_element(values, position) -%}
    element_at({{ values }}, {{ position }})
{%- endmacro %}

{#- Sum of the products of two equally long lists of numbers (Spark helper). -#}
{% macro spark__index_list_dot(a, b) -%}
    aggregate(zip_with({{ a }}, {{ b }}, (x, y) -> x * y), cast(0 as double), (acc, v) -> acc + v)
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
{% macro spark__index_list_pillar_scores(weights, scores, included) -%}
    zip_with({{ weights }}, zip_with({{ scores }}, {{ included }}, (s, i) -> named_struct('s', s, 'i', i)),
        (w, si) -> {{ spark__index_list_dot('w', 'si.s') }} / nullif({{ spark__index_list_dot('w', 'si.i') }}, 0))
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
{#- Spark: the same sums, skipping missing values as list_sum does. -#}
{% macro spark__index_list_sum(values) -%}
    aggregate({{ values }}, cast(null as double), (acc, v) -> case when v is null then acc else coalesce(acc, 0) + v end)
{%- endmacro %}
{% macro spark__index_list_weighted_mean(values, weights) -%}
    ({{ spark__index_list_sum('zip_with(' ~ weights ~ ', ' ~ values ~ ', (w, v) -> w * v)') }}
        / nullif({{ spark__index_list_sum('zip_with(' ~ weights ~ ', ' ~ values ~ ', (w, v) -> case when v is not null then w end)') }}, 0))
{%- endmacro %}

{% macro index_list_weighted_geometric_mean(values, weights, floor=1) -%}
    {{ return(adapter.dispatch('index_list_weighted_geometric_mean')(values, weights, floor)) }}
{%- endmacro %}
{% macro default__index_list_weighted_geometric_mean(values, weights, floor=1) -%}
    exp(list_sum(list_transform(list_zip({{ weights }}, {{ values }}), lambda e: e[1] * ln(greatest(e[2], {{ floor }}))))
        / nullif(list_sum(list_transform(list_zip({{ weights }}, {{ values }}), lambda e: case when e[2] is not null then e[1] end)), 0))
{%- endmacro %}
{% macro spark__index_list_weighted_geometric_mean(values, weights, floor=1) -%}
    exp({{ spark__index_list_sum('zip_with(' ~ weights ~ ', ' ~ values ~ ', (w, v) -> w * ln(greatest(v, ' ~ floor ~ ')))') }}
        / nullif({{ spark__index_list_sum('zip_with(' ~ weights ~ ', ' ~ values ~ ', (w, v) -> case when v is not null then w end)') }}, 0))
{%- endmacro %}

{#- The number of non-missing values in a list. -#}
{% macro index_list_count(values) -%}
    {{ return(adapter.dispatch('index_list_count')(values)) }}
{%- endmacro %}
{% macro default__index_list_count(values) -%}
    len(list_filter({{ values }}, lambda v: v is not null))
{%- endmacro %}
{% macro spark__index_list_count(values) -%}
    size(filter({{ values }}, v -> v is not null))
{%- endmacro %}
