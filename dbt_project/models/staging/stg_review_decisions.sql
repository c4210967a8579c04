{#- Reviewers' decisions on flags, typed. Append-only: a later decision on the same flag
    replaces an earlier one (int_review_decisions_in_force). A landing schema written before
    the review loop existed has no such table: then there are no decisions. -#}
{%- set landing = source('landing', 'review_decisions') %}
{%- set landed = execute and adapter.get_relation(
    database=landing.database, schema=landing.schema, identifier=landing.identifier) %}
with source as (
    {%- if landed or not execute %}
    select * from {{ landing }}
    {%- else %}
    select
        cast(null as bigint) as decision_id,
        cast(null as {{ dbt.type_string() }}) as flag_id,
        cast(null as {{ dbt.type_string() }}) as action,
        cast(null as {{ dbt.type_string() }}) as reason,
        cast(null as {{ dbt.type_string() }}) as note,
        cast(null as {{ dbt.type_string() }}) as figure_id,
        cast(null as {{ dbt.type_string() }}) as doc_id,
        cast(null as double precision) as corrected_value,
        cast(null as {{ dbt.type_string() }}) as correction_source,
        cast(null as {{ dbt.type_string() }}) as reviewer,
        cast(null as {{ dbt.type_string() }}) as province_code,
        cast(null as {{ dbt.type_string() }}) as region_code,
        cast(null as {{ dbt.type_string() }}) as metric,
        cast(null as {{ dbt.type_string() }}) as level,
        cast(null as integer) as year,
        cast(null as {{ dbt.type_string() }}) as kind,
        cast(null as {{ dbt.type_string() }}) as unit,
        cast(null as {{ dbt.type_string() }}) as flag_doc_ids,
        cast(null as {{ dbt.type_string() }}) as values_json,
        cast(null as {{ dbt.type_timestamp() }}) as decided_at,
        cast(null as {{ dbt.type_timestamp() }}) as loaded_at
    where 1 = 0
    {%- endif %}
)

select
    cast(decision_id as bigint) as decision_id,
    cast(flag_id as {{ dbt.type_string() }}) as flag_id,
    cast(action as {{ dbt.type_string() }}) as action,
    cast(reason as {{ dbt.type_string() }}) as reason,
    action = 'dismiss' and reason = 'misread' as is_misread,
    cast(note as {{ dbt.type_string() }}) as note,
    cast(figure_id as {{ dbt.type_string() }}) as figure_id,
    cast(doc_id as {{ dbt.type_string() }}) as doc_id,
    cast(corrected_value as double precision) as corrected_value,
    cast(correction_source as {{ dbt.type_string() }}) as correction_source,
    cast(reviewer as {{ dbt.type_string() }}) as reviewer,
    cast(province_code as {{ dbt.type_string() }}) as province_code,
    cast(region_code as {{ dbt.type_string() }}) as region_code,
    cast(metric as {{ dbt.type_string() }}) as metric,
    cast(level as {{ dbt.type_string() }}) as level,
    cast(year as integer) as year,
    cast(kind as {{ dbt.type_string() }}) as kind,
    cast(unit as {{ dbt.type_string() }}) as unit,
    cast(flag_doc_ids as {{ dbt.type_string() }}) as flag_doc_ids,
    cast(values_json as {{ dbt.type_string() }}) as values_json,
    cast(decided_at as {{ dbt.type_timestamp() }}) as decided_at,
    cast(loaded_at as {{ dbt.type_timestamp() }}) as decision_loaded_at
from source
