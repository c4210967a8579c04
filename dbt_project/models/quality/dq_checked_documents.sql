{{ config(materialized='table', enabled=(target.type == 'duckdb')) }}
{#- Which documents, at which load, dq_check_rows has checked, and in which regions (region
    key as there: the region code, '' for figures without one; null for a document without
    figures to check). Built after dq_check_rows, so during a build it still holds what the
    previous check saw: the regions a reloaded or removed document used to touch. -#}
-- depends_on: {{ ref('dq_check_rows') }}
with document_regions as (
    select distinct doc_id, coalesce(region_code, '') as region_key
    from {{ ref('dq_figure_facts') }}
)

select
    documents.doc_id,
    documents.loaded_at,
    document_regions.region_key
from {{ ref('stg_documents') }} as documents
left join document_regions
    on document_regions.doc_id = documents.doc_id
