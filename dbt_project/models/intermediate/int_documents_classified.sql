{#- A document's region is its stated code when dim_region knows it; its authority rank
    is the best (lowest) rank whose pattern occurs in its type or title, 9 when none does. -#}
with documents as (
    select * from {{ ref('stg_documents') }}
),

regions as (
    select * from {{ ref('gbt2260_divisions') }}
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
    coalesce(regions.name, documents.stated_region_name) as region_name,
    regions.province_code,
    coalesce(regions.province_name, documents.stated_province) as province_name,
    cast(coalesce(matched_authority.authority_rank, 9) as integer) as authority_rank,
    coalesce(authority_classes.authority_class_zh, '未分类') as authority_class_zh,
    coalesce(authority_classes.authority_class_en, 'unclassified') as authority_class_en
from documents
left join regions
    on regions.code = documents.stated_region_code
left join matched_authority
    on matched_authority.doc_id = documents.doc_id
left join authority_classes
    on authority_classes.authority_rank = matched_authority.authority_rank
