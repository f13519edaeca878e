{#- Tables and views on DuckDB, built in place inside one transaction. dbt's own
    materializations build `<name>__dbt_tmp`, rename it, and then drop a backup name. The
    build writes every model into a new database file, so there is nothing to swap, and each
    rename or drop costs dbt more time than DuckDB spends on it. Here: begin, drop the old
    relation if there is one (a rebuild of warehouse/build from the command line), create,
    write the comments, commit. DuckDB's DDL is transactional, so a failed create leaves the
    old relation as it was. Contracts are enforced by the same create_table_as as before. -#}
{% materialization table, adapter='duckdb' %}
  {{ return(duckdb_build_in_place('table')) }}
{% endmaterialization %}

{% materialization view, adapter='duckdb' %}
  {{ return(duckdb_build_in_place('view')) }}
{% endmaterialization %}

{% macro duckdb_build_in_place(kind) %}
  {%- if model['language'] != 'sql' -%}
    {{ exceptions.raise_compiler_error("model '" ~ model.name ~ "': only SQL models are built here") }}
  {%- endif -%}
  {%- set existing_relation = load_cached_relation(this) -%}
  {%- set target_relation = this.incorporate(type=kind) -%}

  {{ run_hooks(pre_hooks, inside_transaction=False) }}
  {{ run_hooks(pre_hooks, inside_transaction=True) }}

  {%- if existing_relation is not none -%}
    {#- A statement of the model's transaction (dbt's drop_relation would run outside it, in
        autocommit), so that a failed create below undoes the drop too. -#}
    {% call statement('drop_existing') -%}
      drop {{ existing_relation.type }} if exists {{ existing_relation }} cascade
    {%- endcall %}
    {% do adapter.cache_dropped(existing_relation) %}
  {%- endif -%}
  {% call statement('main') -%}
    {%- if kind == 'table' -%}
      {{ create_table_as(False, target_relation, compiled_code) }}
    {%- else -%}
      {{ get_create_view_as_sql(target_relation, compiled_code) }}
    {%- endif -%}
  {%- endcall %}

  {{ run_hooks(post_hooks, inside_transaction=True) }}
  {% do persist_docs(target_relation, model) %}
  {{ adapter.commit() }}
  {{ run_hooks(post_hooks, inside_transaction=False) }}

  {{ return({'relations': [target_relation]}) }}
{% endmacro %}
