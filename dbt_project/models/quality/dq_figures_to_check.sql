{{ config(materialized='view', enabled=(target.type == 'duckdb')) }}
{#- The figures the checks read: those of the documents with a figure in a region to re-check
    (dq_regions_to_recheck), i.e. every figure of those regions and every figure of their
    documents (a document's own checks compare its figures across regions). On a full build
    every region is listed, so every figure is read. The failing-row models keep only rows
    of the listed regions; a semi-join here, at the bottom, bounds the checks' work by the
    change, where a filter on their output is not pushed down through their aggregates. -#}
with regions as (
    select region_key from {{ ref('dq_regions_to_recheck') }}
),

documents as (
    select distinct doc_id
    from {{ ref('dq_figure_facts') }}
    where coalesce(region_code, '') in (select region_key from regions)
)

select *
from {{ ref('dq_figure_facts') }}
where doc_id in (select doc_id from documents)
