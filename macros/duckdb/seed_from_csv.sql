{#- Seeds on DuckDB without the Python round trip. dbt's own seed materialization first reads
    every CSV into an agate table in Python (about 8 s for these seeds, 30 s at ten times the
    data), although dbt-duckdb then loads the rows with DuckDB's COPY anyway. This one asks
    DuckDB for the header, creates the table with the types declared in seeds/*.yml (every
    column must have one) and runs the same COPY, so the table, its types and its values are
    what the default path gives (tests/test_materializations.py compares the two). -#}
{% materialization seed, adapter='duckdb' %}
  {%- set identifier = model['alias'] -%}
  {%- set full_refresh_mode = should_full_refresh() -%}
  {%- set old_relation = adapter.get_relation(database=database, schema=schema, identifier=identifier) -%}
  {%- set grant_config = config.get('grants') -%}
  {%- set column_types = config.get('column_types', {}) -%}
  {%- set delimiter = config.get('delimiter', ',') -%}
  {%- set csv_path = adapter.get_seed_file_path(model) | replace("'", "''") -%}

  {%- if old_relation is not none and old_relation.is_view -%}
    {{ exceptions.raise_compiler_error("Cannot seed to '{}', it is a view".format(old_relation.render())) }}
  {%- endif -%}

  {{ run_hooks(pre_hooks, inside_transaction=False) }}
  {{ run_hooks(pre_hooks, inside_transaction=True) }}

  {#- The header, in file order, as DuckDB's CSV reader sees it. Partitioning off: a folder
      named like `year=1999` in the project's path would add a column that is not in the file. -#}
  {%- set header = run_query("select * from read_csv('" ~ csv_path ~ "', header = true, all_varchar = true, delim = '" ~ delimiter ~ "', hive_partitioning = false) limit 0").column_names -%}
  {%- set columns = [] -%}
  {%- for name in header -%}
    {%- if name not in column_types -%}
      {{ exceptions.raise_compiler_error("seed '" ~ model.name ~ "': column '" ~ name ~ "' has no declared type in column_types (seeds/*.yml)") }}
    {%- endif -%}
    {%- do columns.append(adapter.quote_seed_column(name, config.get('quote_columns', None)) ~ ' ' ~ column_types[name]) -%}
  {%- endfor -%}
  {#- and every declared column must be in the file: the column comments rely on it -#}
  {%- for name in column_types if name not in header -%}
    {{ exceptions.raise_compiler_error("seed '" ~ model.name ~ "': column '" ~ name ~ "' is declared in column_types (seeds/*.yml) but not in the file's header") }}
  {%- endfor -%}

  {%- if old_relation is not none -%}
    {{ adapter.drop_relation(old_relation) }}
  {%- endif -%}
  {%- set create_sql = 'create table ' ~ this.render() ~ ' (' ~ (columns | join(', ')) ~ ')' -%}
  {%- set copy_sql = "COPY " ~ this.render() ~ " FROM '" ~ csv_path ~ "' (FORMAT CSV, HEADER TRUE, DELIMITER '" ~ delimiter ~ "')" -%}
  {% call statement('_') -%}
    {{ create_sql }}
  {%- endcall %}
  {% call statement('main', fetch_result=true) -%}
    {{ copy_sql }}
  {%- endcall %}
  {%- set rows_affected = load_result('main')['data'][0][0] -%}
  {%- do store_raw_result('main', message='CREATE ' ~ rows_affected, code='CREATE', rows_affected=rows_affected) -%}
  {#- dbt's seed runner expects this result; it stays empty (no rows in Python, so `dbt seed --show` shows none) -#}
  {%- do store_raw_result('agate_table', message='OK', code='OK', rows_affected=rows_affected) -%}

  {% set target_relation = this.incorporate(type='table') %}
  {% do apply_grants(target_relation, grant_config, should_revoke=should_revoke(old_relation, full_refresh_mode)) %}
  {% do persist_docs(target_relation, model) %}

  {{ run_hooks(post_hooks, inside_transaction=True) }}
  {{ adapter.commit() }}
  {{ run_hooks(post_hooks, inside_transaction=False) }}

  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
