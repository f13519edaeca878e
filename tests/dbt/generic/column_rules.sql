{#- The rules of one model, checked in one query: one dbt test per model
    instead of one per column and rule (dbt spends about 50 ms on every test node, the query
    itself a few). Returns one row per broken rule: the column(s), the rule, how many rows
    (or repeated keys) break it and the smallest offending value as text.
      not_null         list of columns that must have a value in every row
      unique           list of columns whose non-null values occur once each, and of lists of
                       columns whose combination occurs once: [city_code, [city_code, year]]
                       (found through a hash of the key first: macros/key_hash.sql)
      accepted_values  {column: [values]}: the values a column may take; null passes (add the
                       column to not_null to forbid it). Numbers are written unquoted and
                       compared as numbers, so they suit numeric columns only.
      accepted_range   {column: {min_value, max_value}}: inclusive bounds, at least one of
                       them; null passes.
      relationships    list of {column, to: ref('model'), field}: every non-null value of the
                       column is found in that field of the other model (as dbt's relationships
                       test).
      expressions      list of SQL conditions every row must meet; a null result fails (the
                       "column" of a finding is then the condition itself). -#}
{% test column_rules(model, not_null=[], unique=[], accepted_values={}, accepted_range={}, relationships=[], expressions=[]) %}
{%- set text = dbt.type_string() -%}
{%- if not_null is string or unique is string -%}
{{ exceptions.raise_compiler_error("column_rules on " ~ model ~ ": not_null and unique take lists of columns") }}
{%- endif -%}
{%- set checks = [] -%}

{%- for column in not_null -%}
{%- set check -%}
    select '{{ column }}' as column_name, 'not_null' as rule, count(*) as failing_rows,
        cast(null as {{ text }}) as example_value
    from {{ model }}
    where {{ column }} is null
{%- endset -%}
{%- do checks.append(check) -%}
{%- endfor -%}

{%- for key in unique -%}
{%- set columns = [key] if key is string else key -%}
{%- set parts = [] -%}
{%- for column in columns -%}
{%- if not loop.first -%}{%- do parts.append("' | '") -%}{%- endif -%}
{%- do parts.append("coalesce(cast(" ~ column ~ " as " ~ text ~ "), 'null')") -%}
{%- endfor -%}
{%- set check -%}
    select '{{ columns | join(", ") }}' as column_name, 'unique' as rule, count(*) as failing_rows,
        min({{ dbt.concat(parts) }}) as example_value
    from (
        {#- Two passes: the hashes that repeat (one number per row, cheap to group at county
            scale), then the keys behind them, grouped exactly, so two keys that merely share
            a hash are no repeat. One column: nulls are absent values, not repeats (as dbt's
            own unique test). #}
        select {{ columns | join(', ') }}
        from {{ model }}
        where {{ key_hash(columns) }} in (
            select {{ key_hash(columns) }}
            from {{ model }}
            {%- if key is string %}
            where {{ key }} is not null
            {%- endif %}
            group by {{ key_hash(columns) }}
            having count(*) > 1
        )
        {%- if key is string %}
            and {{ key }} is not null
        {%- endif %}
        group by {{ columns | join(', ') }}
        having count(*) > 1
    ) as repeated_keys
{%- endset -%}
{%- do checks.append(check) -%}
{%- endfor -%}

{#- value rules: the column, the rule and the condition a failing value meets -#}
{%- set value_rules = [] -%}
{%- for column, values in accepted_values.items() -%}
{%- set literals = [] -%}
{%- for value in values -%}
{%- do literals.append(value if value is number else "'" ~ dbt.escape_single_quotes(value) ~ "'") -%}
{%- endfor -%}
{%- do value_rules.append((column, 'accepted_values', column ~ " not in (" ~ literals | join(', ') ~ ")")) -%}
{%- endfor -%}

{%- for column, bounds in accepted_range.items() -%}
{%- set limits = [] -%}
{%- if bounds.get('min_value') is not none -%}{%- do limits.append(column ~ " < " ~ bounds['min_value']) -%}{%- endif -%}
{%- if bounds.get('max_value') is not none -%}{%- do limits.append(column ~ " > " ~ bounds['max_value']) -%}{%- endif -%}
{%- if not limits -%}
{{ exceptions.raise_compiler_error("column_rules on " ~ model ~ ": accepted_range of " ~ column ~ " needs min_value or max_value") }}
{%- endif -%}
{%- do value_rules.append((column, 'accepted_range', "(" ~ limits | join(' or ') ~ ")")) -%}
{%- endfor -%}

{%- for column, rule, condition in value_rules -%}
{%- set check -%}
    select '{{ column }}' as column_name, '{{ rule }}' as rule, count(*) as failing_rows,
        cast(min({{ column }}) as {{ text }}) as example_value
    from {{ model }}
    where {{ column }} is not null
        and {{ condition }}
{%- endset -%}
{%- do checks.append(check) -%}
{%- endfor -%}

{%- for parent in relationships -%}
{%- set column = parent['column'] -%}
{%- set check -%}
    select '{{ column }}' as column_name, 'relationships' as rule, count(*) as failing_rows,
        cast(min(child.{{ column }}) as {{ text }}) as example_value
    from {{ model }} as child
    left join (select distinct {{ parent['field'] }} as parent_key from {{ parent['to'] }}) as parent
        on child.{{ column }} = parent.parent_key
    where child.{{ column }} is not null
        and parent.parent_key is null
{%- endset -%}
{%- do checks.append(check) -%}
{%- endfor -%}

{%- for expression in expressions -%}
{%- set check -%}
    select '{{ dbt.escape_single_quotes(expression) }}' as column_name, 'expression_is_true' as rule,
        count(*) as failing_rows, cast(null as {{ text }}) as example_value
    from {{ model }}
    where not coalesce(({{ expression }}), false)
{%- endset -%}
{%- do checks.append(check) -%}
{%- endfor -%}

{%- if not checks -%}
{{ exceptions.raise_compiler_error("column_rules on " ~ model ~ " lists no rule") }}
{%- endif %}

select column_name, rule, failing_rows, example_value
from (
{%- for check in checks %}
{{ check }}
{%- if not loop.last %}
    union all
{%- endif %}
{%- endfor %}
) as rule_checks
where failing_rows > 0
{% endtest %}
