{#- Seeds on Spark: read the committed CSV with Spark's own CSV reader and the column types
    declared in seeds/*.yml, and write the seed as a Parquet table in one statement.
    dbt-spark's loader sends rows as INSERT ... VALUES batches instead: it breaks on
    apostrophes, stores a gap as the text 'None' and takes minutes for the large seed.
    FAILFAST makes a value that does not parse as its declared type stop the load with
    Spark's error rather than turn into NULL. The files are read from the project's seed
    folder; on a cluster whose executors cannot see it, copy the CSVs to shared storage and
    pass --vars '{spark_seed_path: "s3://bucket/seeds"}' (see docs/spark.md). -#}
{% macro spark__create_csv_table(model, agate_table) %}
  {%- set column_types = model['config'].get('column_types', {}) -%}
  {%- set base = var('spark_seed_path', none) -%}
  {%- if base -%}
    {%- set csv_path = base.rstrip('/') ~ '/' ~ (model.original_file_path.split('/') | last) -%}
  {%- else -%}
    {%- set csv_path = model.root_path ~ '/' ~ model.original_file_path -%}
  {%- endif -%}
  {%- set csv_view = 'csv_' ~ model.name -%}
  {%- set columns = [] -%}
  {%- for name in agate_table.column_names -%}
    {%- if name not in column_types -%}
      {{ exceptions.raise_compiler_error("seed '" ~ model.name ~ "': column '" ~ name ~ "' has no declared type in column_types (seeds/*.yml)") }}
    {%- endif -%}
    {%- do columns.append('`' ~ name ~ '` ' ~ column_types[name]) -%}
  {%- endfor -%}

  {% call statement('_') -%}
    create or replace temporary view {{ csv_view }} ({{ columns | join(', ') }})
    using csv
    options (path '{{ csv_path }}', header 'true', multiLine 'true', quote '"', escape '"',
             nullValue '', emptyValue '', encoding 'UTF-8', mode 'FAILFAST')
  {%- endcall %}

  {% set sql %}
    create table {{ this.render() }}
    {{ file_format_clause() }}
    {{ location_clause() }}
    {{ comment_clause() }}
    as select * from {{ csv_view }}
  {% endset %}
  {% call statement('_') -%}
    {{ sql }}
  {%- endcall %}
  {% call statement('_') -%}
    drop view if exists {{ csv_view }}
  {%- endcall %}
  {{ return(sql) }}
{% endmacro %}

{#- The rows were written by spark__create_csv_table; nothing left to insert. -#}
{% macro spark__load_csv_rows(model, agate_table) %}
  {{ return('-- rows loaded from ' ~ model.original_file_path ~ ' by the CSV reader') }}
{% endmacro %}
