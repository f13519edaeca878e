{#- Table and column comments on DuckDB, as dbt's persist_docs writes them, without asking
    DuckDB for the relation's columns twice. dbt's implementation and dbt-duckdb's each run a
    DESCRIBE and turn its rows into a Python table, which costs more than the comments do.
    The columns are known already where the build checked them:
      - a model whose contract is enforced has exactly its documented columns (dbt compared
        the query's columns with the YAML before creating the table);
      - a seed has exactly the columns of its `column_types` (macros/duckdb/seed_from_csv.sql
        stops when the file's header differs from them).
    Anything else asks DuckDB once. A documented column the relation lacks is left out with
    dbt's warning, as before. The table comment and the column comments go to DuckDB as one
    statement list: each statement dbt runs costs it more bookkeeping than DuckDB's work. -#}
{% macro duckdb__persist_docs(relation, model, for_relation, for_columns) -%}
  {%- set statements = [] -%}
  {%- if for_relation and config.persist_relation_docs() and model.description -%}
    {%- do statements.append((alter_relation_comment(relation, model.description) | trim).rstrip(';')) -%}
  {%- endif -%}
  {%- if for_columns and config.persist_column_docs() and model.columns -%}
    {%- if config.get('contract', {}).enforced -%}
      {%- set existing = model.columns.keys() | list -%}
    {%- elif model.resource_type == 'seed' -%}
      {%- set existing = config.get('column_types', {}).keys() | list -%}
    {%- else -%}
      {%- set existing = adapter.get_columns_in_relation(relation) | map(attribute='name') | list -%}
    {%- endif -%}
    {%- set documented = validate_doc_columns(relation, model.columns, existing) -%}
    {%- for name, column in documented.items() -%}
      {%- do statements.append('comment on column ' ~ relation ~ '.' ~ (adapter.quote(name) if column['quote'] else name)
                               ~ ' is ' ~ duckdb_escape_comment(column['description'])) -%}
    {%- endfor -%}
  {%- endif -%}
  {%- if statements -%}
    {%- do run_query(statements | join(';\n') ~ ';') -%}
  {%- endif -%}
{%- endmacro %}
