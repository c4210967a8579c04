{{ config(materialized='table', enabled=(target.type == 'duckdb')) }}
{#- The regions the failing check rows must be recomputed for: those the documents loaded or
    removed since the last check state now (dq_figure_facts) and stated when last checked
    (dq_checked_documents: built after the checks, so during a build it still holds the
    previous state; read as a plain relation, a ref would be a cycle). Every region on a
    full refresh or without that record (first build, or one interrupted before it). -#}
-- depends_on: {{ ref('stg_documents') }}
{%- set checked = adapter.get_relation(database=this.database, schema=this.schema,
    identifier='dq_checked_documents') %}
{%- if checked and not flags.FULL_REFRESH %}
with changed as (
    {{ documents_changed_since(checked) }}
)

select region_key from {{ checked }}
where region_key is not null and doc_id in (select doc_id from changed)
union
select coalesce(region_code, '') as region_key from {{ ref('dq_figure_facts') }}
where doc_id in (select doc_id from changed)
{%- else %}
select distinct coalesce(region_code, '') as region_key from {{ ref('dq_figure_facts') }}
{%- endif %}
