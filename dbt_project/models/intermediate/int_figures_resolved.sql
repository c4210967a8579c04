{#- Resolves each figure's metric (catalog), level and region, and counts how often its
    document states the same figure. The region is the figure's own code when dim_region
    knows it, else its document's region. A figure a reviewer marked as misread goes no
    further (no fact, no quality check): fct_extraction_corrections lists it.

    A table, incremental by document: everything here depends on the figure's own document
    (a review decision re-stamps its documents' loaded_at), so a run resolves only the
    documents loaded since, and the facts and checks downstream read rows, not a view
    that windows over every figure. The mentions are counted over the key columns alone and
    joined back by figure_id: windows over the whole wide row sorted the evidence text too
    (81 s of a 15 M-figure build). -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_rebuilt_documents('doc_loaded_at') }}",
) }}
-- depends_on: {{ ref('stg_documents') }}
with figures as (
    select * from {{ ref('stg_figures') }}
    where figure_id not in (
        select figure_id from {{ ref('int_review_decisions_in_force') }}
        where is_misread
    )
    {%- if is_incremental() %}
        and doc_id in ({{ documents_to_rebuild(this, 'doc_loaded_at') }})
    {%- endif %}
),

documents as (
    select * from {{ ref('int_documents_classified') }}
),

metrics as (
    select * from {{ ref('metrics') }}
),

levels as (
    select * from {{ ref('education_levels') }}
),

regions as (
    select * from {{ ref('gbt2260_divisions') }}
),

located as (
    select
        figures.*,
        coalesce(figure_regions.code, documents.region_code) as region_code,
        documents.url as doc_url,
        documents.title as doc_title,
        documents.published_date,
        documents.loaded_at as doc_loaded_at
    from figures
    inner join documents
        on documents.doc_id = figures.doc_id
    left join regions as figure_regions
        on figure_regions.code = figures.stated_region_code
),

mentions as (
    select
        figure_id,
        cast(count(*) over same_figure as integer) as n_mentions,
        row_number() over (
            same_figure order by start_offset nulls last, ordinal, figure_id
        ) = 1 as is_first_mention
    from figures
    window same_figure as (
        partition by doc_id, metric, level, year, kind, period_start, scope, value
    )
)

select
    located.*,
    coalesce(regions.name, located.stated_region_name) as region_name,
    regions.level as region_level,
    regions.province_code,
    regions.province_name,
    regions.prefecture_code,
    regions.prefecture_name,
    metrics.domain,
    metrics.unit as catalog_unit,
    metrics.code is not null as is_metric_known,
    levels.code is not null as is_level_known,
    located.kind in ('actual', 'target') as is_kind_known,
    mentions.n_mentions,
    mentions.is_first_mention
from located
inner join mentions
    on mentions.figure_id = located.figure_id
left join regions
    on regions.code = located.region_code
left join metrics
    on metrics.code = located.metric
left join levels
    on levels.code = located.level
