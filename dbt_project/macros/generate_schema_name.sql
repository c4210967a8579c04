{#- DuckDB gets the layer names as they are (staging, intermediate, marts, seeds, dq), so
    readers query marts.fct_funding; on any other warehouse the layers are prefixed with
    the target schema so several builds can share one database. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ edufig_schema(custom_schema_name) }}
{%- endmacro %}

{% macro edufig_schema(layer) -%}
    {%- if layer is none -%}
        {{ target.schema }}
    {%- elif target.type == 'duckdb' -%}
        {{ layer | trim }}
    {%- else -%}
        {{ target.schema }}_{{ layer | trim }}
    {%- endif -%}
{%- endmacro %}
