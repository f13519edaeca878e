{#- The column_rules tests, checked in one query after the run (on-run-end) instead of one test
    node each, when var('column_rules_in_one_query') is true. hefei-warehouse build sets it
    and leaves the column_rules test nodes out of its selection: dbt spends about 50 ms on
    each test node and its query takes a few, so 78 nodes cost seconds that one query does not.

    The checks are the tests' own: the same macro (tests/dbt/generic/column_rules.sql) with
    the same arguments, on the same relations. Every column_rules test that did not run as its
    own node is checked, so the variable is for runs that build every node: a test that reads
    a node this run did not build stops the run. After a run that had a failure, the tests
    whose nodes were built are still checked, so a broken rule is named even when it is what
    made a later node fail. Every broken rule is named with its test, model and column, and
    the run fails. Plain `dbt build` runs the tests one node each. -#}
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
        {%- set tests = [] -%}
        {%- set unbuilt = [] -%}
        {%- for node in column_rules_tests() if node.unique_id not in outcome.ran -%}
            {%- if node.depends_on.nodes | reject('in', outcome.built) | list -%}
                {%- do unbuilt.append(node.name) -%}
            {%- else -%}
                {%- do tests.append(node) -%}
            {%- endif -%}
        {%- endfor -%}
        {#- A problem is raised by the hook's statement, so dbt records the hook as an error and
            ends its run as after any failed node (a compiler error here would end it as if
            interrupted, with exit code 2). -#}
        {%- set refused = column_rules_refused(tests) -%}
        {%- if refused -%}
            {{ fail_with_message(refused) }}
        {%- elif unbuilt and not outcome.failed -%}
            {{ fail_with_message("Failure in column_rules (checked in one query): it is for runs that build "
                ~ "every node, and " ~ unbuilt | length ~ " column_rules test(s) read nodes this run did not build, e.g. "
                ~ unbuilt[:3] | join(', ') ~ "; leave out var column_rules_in_one_query when selecting") }}
        {%- else -%}
            {%- set broken = column_rules_broken(tests) -%}
            {%- if broken -%}
                {{ fail_with_message(broken) }}
            {%- endif -%}
        {%- endif -%}
    {%- endif -%}
{% endmacro %}


{#- `dbt run-operation check_column_rules`: every column_rules test, in one query, on the
    warehouse as it is (every model must exist). -#}
{% macro check_column_rules() %}
    {%- set tests = column_rules_tests() -%}
    {%- set problem = column_rules_refused(tests) or column_rules_broken(tests) -%}
    {%- if problem -%}
        {{ exceptions.raise_compiler_error(problem) }}
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


{#- Run the tests' checks as one query. Returns a message naming the broken rules (the first
    25; values cut to 80 characters, on one line), or an empty string after saying how many
    tests passed. -#}
{% macro column_rules_broken(tests) %}
    {%- set lines = [] -%}
    {%- if tests -%}
        {%- set checks = [] -%}
        {%- for node in tests -%}
            {%- do checks.append(column_rules_check_of(node)) -%}
        {%- endfor -%}
        {%- for row in run_query(checks | join('\nunion all\n')).rows -%}
            {%- set example = (row['example_value'] ~ '') | replace('\n', ' ') -%}
            {%- do lines.append(row['test_name'] ~ ': model=' ~ row['model_name'] ~ ', column_name='
                ~ row['column_name'] ~ ', rule=' ~ row['rule'] ~ ', failing_rows=' ~ row['failing_rows']
                ~ ', example_value=' ~ (example if example | length <= 80 else example[:79] ~ '…')) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if not lines -%}
        {{ log(tests | length ~ " column_rules tests checked in one query: all passed", info=true) }}
        {{- return('') -}}
    {%- endif -%}
    {%- set shown = lines | sort -%}
    {{- return("Failure in column_rules (checked in one query): " ~ lines | length ~ " broken rule(s): "
        ~ shown[:25] | join(' | ') ~ (" (and " ~ (lines | length - 25) ~ " more)" if lines | length > 25 else "")) -}}
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


{#- What keeps these tests from being checked in one query, as one message (empty if nothing):
    settings that change what a test reports (where, limit, severity, fail_calc, ...), which
    the one query does not apply, and relationships targets other than ref() to a node the
    test reads. Such a test is refused rather than checked differently. -#}
{% macro column_rules_refused(tests) %}
    {%- set problems = [] -%}
    {%- for node in tests -%}
        {%- set config = node.config -%}
        {%- if config.where or config.limit or config.store_failures or (config.severity | lower) != 'error'
              or config.fail_calc != 'count(*)' or config.warn_if != '!= 0' or config.error_if != '!= 0' -%}
            {%- do problems.append(node.name ~ ": its test settings are not dbt's defaults") -%}
        {%- endif -%}
        {%- set reads = column_rules_reads(node) -%}
        {%- for parent in node.test_metadata.kwargs.get('relationships', []) -%}
            {%- if column_rules_ref_name(parent['to']) not in reads -%}
                {%- do problems.append(node.name ~ ": relationships target " ~ parent['to']
                    ~ " is not a ref() to a node the test reads") -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- if problems -%}
        {{- return("Failure in column_rules (checked in one query): cannot check " ~ problems | join('; ')
            ~ "; plain dbt build runs such tests one node each") -}}
    {%- endif -%}
    {{- return('') -}}
{% endmacro %}


{#- The relations a test reads, by node name. -#}
{% macro column_rules_reads(node) %}
    {%- set relations = {} -%}
    {%- for unique_id in node.depends_on.nodes -%}
        {%- do relations.update({graph.nodes[unique_id].name: graph.nodes[unique_id].relation_name}) -%}
    {%- endfor -%}
    {{- return(relations) -}}
{% endmacro %}


{#- The node name in "ref('x')", or none. -#}
{% macro column_rules_ref_name(text) %}
    {%- set named = modules.re.fullmatch("\\s*ref\\(\\s*['\"]([^'\"]+)['\"]\\s*\\)\\s*", text) -%}
    {{- return(named.group(1) if named else none) -}}
{% endmacro %}


{#- One column_rules test node as a query: its rows are the test's own rows, with the test's and
    the model's names in front; the test's references ("ref('x')") are the nodes dbt resolved
    when it parsed the test (column_rules_refused has checked them). Each line ends with the
    test's name as a comment, so an error DuckDB reports with its line names the test; not
    when a quoted value spans lines, which a comment would change. -#}
{% macro column_rules_check_of(node) %}
    {%- set relations = column_rules_reads(node) -%}
    {%- set model_name = graph.nodes[node.attached_node].name -%}
    {%- set arguments = {} -%}
    {%- for key, value in node.test_metadata.kwargs.items() if key != 'model' -%}
        {%- do arguments.update({key: value}) -%}
    {%- endfor -%}
    {%- set parents = [] -%}
    {%- for parent in arguments.get('relationships', []) -%}
        {%- do parents.append({'column': parent['column'], 'to': relations[column_rules_ref_name(parent['to'])],
            'field': parent['field']}) -%}
    {%- endfor -%}
    {%- if parents -%}
        {%- do arguments.update({'relationships': parents}) -%}
    {%- endif -%}
    {%- set check -%}
    select '{{ node.name }}' as test_name, '{{ model_name }}' as model_name, found.*
    from (
        {{ test_column_rules(model=relations[model_name], **arguments) }}
    ) as found
    {%- endset -%}
    {%- set lines = check.split('\n') -%}
    {%- for line in lines if line.count("'") is odd -%}
        {{- return(check) -}}
    {%- endfor -%}
    {{- return(lines | join(' -- ' ~ node.name ~ '\n') ~ ' -- ' ~ node.name) -}}
{%- endmacro %}
