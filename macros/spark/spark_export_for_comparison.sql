{#- After a Spark build (on-run-end), write every seed, mart and semantic table as Parquet
    under var('spark_export_dir'), one folder per relation named <schema>.<name>, so the
    engine comparison (hefei-warehouse spark-check) reads them without a second Spark
    session. Does nothing unless the variable is set, and nothing on other engines. -#}
{% macro hefei_export_for_comparison() %}
    {%- set export_dir = var('spark_export_dir', none) -%}
    {%- if execute and export_dir and target.type == 'spark' -%}
        {%- for node in graph.nodes.values()
              if node.resource_type in ('model', 'seed') and node.schema in ('seeds', 'marts', 'semantic') -%}
            {%- set relation = adapter.get_relation(database=node.database, schema=node.schema, identifier=node.alias) -%}
            {%- if relation is not none -%}
                {% call statement('export_' ~ node.alias) -%}
                    insert overwrite directory '{{ export_dir }}/{{ node.schema }}.{{ node.alias }}'
                    using parquet
                    select * from {{ relation }}
                {%- endcall %}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
{% endmacro %}
