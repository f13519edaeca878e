{#- Weighted arithmetic mean (aggregate) of value with weight w, ignoring missing values. -#}
{% macro index_weighted_mean(value, w) -%}
    (sum(({{ w }}) * ({{ value }})) / nullif(sum(case when ({{ value }}) is not null then ({{ w }}) end), 0))
{%- endmacro %}

{#- Weighted geometric mean (aggregate). Scores are on a 0-100 scale; a score below the floor
    (default 1 point) counts as the floor, so a single zero does not turn the whole mean
    into zero while a weak pillar still pulls the result down hard. -#}
{% macro index_weighted_geometric_mean(value, w, floor=1) -%}
    exp(sum(({{ w }}) * ln(greatest(({{ value }}), {{ floor }})))
        / nullif(sum(case when ({{ value }}) is not null then ({{ w }}) end), 0))
{%- endmacro %}

{#- The catalogue's transform of one input value: none, log (natural log of 1 + x, so
    counts of zero stay defined), per_capita (per 1m residents, denominator in 10k persons)
    or share (percent of the denominator). -#}
{% macro index_apply_transform(transform, value, denominator) -%}
    case {{ transform }}
        when 'none' then {{ value }}
        when 'log' then case when {{ value }} > -1 then ln(1 + {{ value }}) end
        when 'per_capita' then {{ value }} * 100.0 / nullif({{ denominator }}, 0)
        when 'share' then {{ value }} * 100.0 / nullif({{ denominator }}, 0)
    end
{%- endmacro %}

{#- The outlier treatment chosen for an indicator applied to one value: log (ln(1 + x),
    for non-negative indicators), winsorise (clip to the given low and high percentiles) or none. -#}
{% macro index_treat_outlier(treatment, value, low, high) -%}
    case {{ treatment }}
        when 'log' then ln(1 + {{ value }})
        when 'winsorise' then least(greatest({{ value }}, {{ low }}), {{ high }})
        else {{ value }}
    end
{%- endmacro %}

{#- True when a distribution breaks the outlier rule: |skewness| > 2 and excess kurtosis > 3.5. -#}
{% macro index_fails_outlier_rule(skewness, kurtosis) -%}
    (abs(coalesce({{ skewness }}, 0)) > 2 and coalesce({{ kurtosis }}, 0) > 3.5)
{%- endmacro %}
