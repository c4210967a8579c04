{#- dbt's own macro for a test's `where` config, overridden for one placeholder (dbt's
    documented way to make `where` dynamic). In a `dbt build`, `__rows_this_run_wrote__`
    becomes `dbt_invocation_id = '<this invocation>'`: a test on an incremental fact checks
    the rows the build just wrote; the rows kept from earlier builds were tested when they
    were written, and a full refresh writes, and so tests, every row. Any other command (a
    `dbt test` on its own, as Cosmos runs after a model) tests every row. -#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where') -%}
    {%- if where -%}
        {%- set written = "dbt_invocation_id = '" ~ invocation_id ~ "'"
            if flags.WHICH == 'build' else 'true' -%}
        {%- set where = where | replace('__rows_this_run_wrote__', written) -%}
        (select * from {{ relation }} where {{ where }}) dbt_subquery
    {%- else -%}
        {{ relation }}
    {%- endif -%}
{%- endmacro %}
