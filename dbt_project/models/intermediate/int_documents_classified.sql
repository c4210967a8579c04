{#- A document's region is its stated code when dim_region knows it, else the region its
    figures name most often (reports without a header often state no region of their own);
    its authority rank is the best (lowest) rank whose pattern occurs in its type or
    title, 9 when none does. -#}
with documents as (
    select * from {{ ref('stg_documents') }}
),

regions as (
    select * from {{ ref('gbt2260_divisions') }}
),

figure_regions as (
    select
        figures.doc_id,
        regions.code,
        count(*) as n_figures
    from {{ ref('stg_figures') }} as figures
    inner join regions
        on regions.code = figures.stated_region_code
    group by figures.doc_id, regions.code
),

dominant_regions as (
    select doc_id, code
    from (
        select
            figure_regions.*,
            row_number() over (partition by doc_id order by n_figures desc, code) as region_rank
        from figure_regions
    ) as ranked
    where region_rank = 1
),

authority as (
    select * from {{ ref('document_authority') }}
),

authority_classes as (
    select distinct authority_rank, authority_class_zh, authority_class_en
    from authority
),

matched_authority as (
    select
        documents.doc_id,
        min(authority.authority_rank) as authority_rank
    from documents
    inner join authority
        on {{ dbt.concat(["coalesce(documents.doc_type, '')", "' '", "coalesce(documents.title, '')"]) }}
            like {{ dbt.concat(["'%'", "authority.pattern", "'%'"]) }}
    group by documents.doc_id
)

select
    documents.*,
    regions.code as region_code,
    case
        when stated_regions.code is not null then 'document'
        when dominant_regions.code is not null then 'figures'
    end as region_source,
    coalesce(regions.name, documents.stated_region_name) as region_name,
    regions.province_code,
    coalesce(regions.province_name, documents.stated_province) as province_name,
    cast(coalesce(matched_authority.authority_rank, 9) as integer) as authority_rank,
    coalesce(authority_classes.authority_class_zh, '未分类') as authority_class_zh,
    coalesce(authority_classes.authority_class_en, 'unclassified') as authority_class_en
from documents
left join regions as stated_regions
    on stated_regions.code = documents.stated_region_code
left join dominant_regions
    on dominant_regions.doc_id = documents.doc_id
left join regions
    on regions.code = coalesce(stated_regions.code, dominant_regions.code)
left join matched_authority
    on matched_authority.doc_id = documents.doc_id
left join authority_classes
    on authority_classes.authority_rank = matched_authority.authority_rank
