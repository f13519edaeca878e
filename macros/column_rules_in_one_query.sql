{#- The column_rules tests, checked in one query after the run (on-run-end) instead of one test
    node each, when var('column_rules_in_one_query') is true. hefei-warehouse build sets it
    and leaves the column_rules test nodes out of its selection: dbt spends about 50 ms on
    each test node and its query takes a few, so 78 nodes cost seconds that one query does not.

    The checks are the tests' own: the same macro (tests/dbt/generic/column_rules.sql) with
    the same arguments, on the same relations. Every column_rules test that did not run as its
    own node is checked, so the variable is for runs that build every node: a test that reads
    a node this run did not build stops the run. Nothing is checked after a run that had a
    failure (its first error is the one to read). Every broken rule is named with its test,
    model and column, and the run fails. Plain `dbt build` runs the tests one node each. -#}
{% macro column_rules_in_one_query() %}
    {%- if execute and var('column_rules_in_one_query', false) -%}
        {%- set outcome = {'built': [], 'ran': [], 'failed': false} -%}
        {%- for result in results -%}
            {%- if result.status in ('error', 'fail', 'skipped', 'runtime error') -%}
                {%- do outcome.update({'failed': true}) -%}
            {%- elif result.status in ('success', 'pass', 'warn') -%}
                {%- do outcome.built.append(result.node.unique_id) -%}
            {%- endif -%}
            {%- do outcome.ran.append(result.node.unique_id) -%}
        {%- endfor -%}
        {%- if not outcome.failed -%}
            {%- set tests = [] -%}
            {%- set unbuilt = [] -%}
            {%- for node in column_rules_tests() if node.unique_id not in outcome.ran -%}
                {%- if node.depends_on.nodes | reject('in', outcome.built) | list -%}
                    {%- do unbuilt.append(node.name) -%}
                {%- else -%}
                    {%- do tests.append(node) -%}
                {%- endif -%}
            {%- endfor -%}
            {#- A problem is raised by the hook's statement, so dbt records the hook as an error
                and ends its run as after any failed node (a compiler error here would end it
                as if interrupted, with exit code 2). -#}
            {%- if unbuilt -%}
                {{ fail_with_message("column_rules_in_one_query is for runs that build every node: "
                    ~ unbuilt | length ~ " column_rules test(s) read nodes this run did not build, e.g. "
                    ~ unbuilt[:3] | join(', ') ~ "; leave out var column_rules_in_one_query when selecting") }}
            {%- else -%}
                {%- set broken = column_rules_broken(tests) -%}
                {%- if broken -%}
                    {{ fail_with_message(broken) }}
                {%- endif -%}
            {%- endif -%}
        {%- endif -%}
    {%- endif -%}
{% endmacro %}


{#- `dbt run-operation check_column_rules`: every column_rules test, in one query, on the
    warehouse as it is (every model must exist). -#}
{% macro check_column_rules() %}
    {%- set broken = column_rules_broken(column_rules_tests()) -%}
    {%- if broken -%}
        {{ exceptions.raise_compiler_error(broken) }}
    {%- endif -%}
{% endmacro %}


{#- The project's column_rules test nodes, by name. -#}
{% macro column_rules_tests() %}
    {%- set tests = [] -%}
    {%- for node in graph.nodes.values() | sort(attribute='name')
          if node.resource_type == 'test' and (node.test_metadata or {}).get('name') == 'column_rules' -%}
        {%- do tests.append(node) -%}
    {%- endfor -%}
    {{- return(tests) -}}
{% endmacro %}


{#- Run the tests' checks as one query. Returns a message naming every broken rule, or an
    empty string after saying how many tests passed. -#}
{% macro column_rules_broken(tests) %}
    {%- if not tests -%}
        {{- return('') -}}
    {%- endif -%}
    {%- set checks = [] -%}
    {%- for node in tests -%}
        {%- do checks.append(column_rules_check_of(node)) -%}
    {%- endfor -%}
    {%- set found = run_query(checks | join('\nunion all\n')) -%}
    {%- if found.rows | length == 0 -%}
        {{ log(tests | length ~ " column_rules tests checked in one query: all passed", info=true) }}
        {{- return('') -}}
    {%- endif -%}
    {%- set lines = [] -%}
    {%- for row in found.rows -%}
        {%- do lines.append(row['test_name'] ~ ': model=' ~ row['model_name'] ~ ', column_name='
            ~ row['column_name'] ~ ', rule=' ~ row['rule'] ~ ', failing_rows=' ~ row['failing_rows']
            ~ ', example_value=' ~ row['example_value']) -%}
    {%- endfor -%}
    {{- return("Failure in column_rules (checked in one query): " ~ lines | length ~ " broken rule(s): "
        ~ lines | sort | join(' | ')) -}}
{% endmacro %}


{#- A statement that fails with this message when it runs. -#}
{% macro fail_with_message(message) %}
    {{- return(adapter.dispatch('fail_with_message', 'hefei_warehouse')(message)) -}}
{% endmacro %}

{% macro default__fail_with_message(message) %}
    {{- exceptions.raise_compiler_error(message) -}}
{% endmacro %}

{% macro duckdb__fail_with_message(message) -%}
    select error('{{ dbt.escape_single_quotes(message) }}')
{%- endmacro %}

{% macro spark__fail_with_message(message) -%}
    select raise_error('{{ dbt.escape_single_quotes(message) }}')
{%- endmacro %}


{#- One column_rules test node as a query: its rows are the test's own rows, with the test's and
    the model's names in front. The test's references ("ref('x')") are resolved to the nodes
    dbt resolved when it parsed the test. Settings that change what a test reports (where,
    limit, severity, fail_calc, ...) are not applied here, so a test with any of them stops
    the run instead of being checked differently. -#}
{% macro column_rules_check_of(node) %}
    {%- set config = node.config -%}
    {%- if config.where or config.limit or config.store_failures or (config.severity | lower) != 'error'
          or config.fail_calc != 'count(*)' or config.warn_if != '!= 0' or config.error_if != '!= 0' -%}
        {{ exceptions.raise_compiler_error(node.name ~ ": column_rules_in_one_query checks tests with dbt's default "
            ~ "test settings only; run it as its own test node (leave out var column_rules_in_one_query)") }}
    {%- endif -%}
    {%- set relations = {} -%}
    {%- for unique_id in node.depends_on.nodes -%}
        {%- do relations.update({graph.nodes[unique_id].name: graph.nodes[unique_id].relation_name}) -%}
    {%- endfor -%}
    {%- set model_name = graph.nodes[node.attached_node].name -%}
    {%- set arguments = {} -%}
    {%- for key, value in node.test_metadata.kwargs.items() if key != 'model' -%}
        {%- do arguments.update({key: value}) -%}
    {%- endfor -%}
    {%- set parents = [] -%}
    {%- for parent in arguments.get('relationships', []) -%}
        {%- set named = modules.re.fullmatch("\\s*ref\\(\\s*['\"]([^'\"]+)['\"]\\s*\\)\\s*", parent['to']) -%}
        {%- if not named or named.group(1) not in relations -%}
            {{ exceptions.raise_compiler_error(node.name ~ ": relationships target " ~ parent['to']
                ~ " is not a ref() to a node the test reads") }}
        {%- endif -%}
        {%- do parents.append({'column': parent['column'], 'to': relations[named.group(1)], 'field': parent['field']}) -%}
    {%- endfor -%}
    {%- if parents -%}
        {%- do arguments.update({'relationships': parents}) -%}
    {%- endif %}
    select '{{ node.name }}' as test_name, '{{ model_name }}' as model_name, found.*
    from (
        {{ test_column_rules(model=relations[model_name], **arguments) }}
    ) as found
{%- endmacro %}

