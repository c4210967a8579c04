{#- Key → document pairs of fct_best_value, with the loaded_at each document had when the
    key was computed: the state the next incremental fct_best_value build compares with. -#}
with sources as (
    select
        value_key,
        unnest(string_to_array(source_doc_ids, '|')) as doc_id
    from {{ ref('fct_best_value') }}
)

select
    sources.value_key,
    sources.doc_id,
    documents.loaded_at
from sources
inner join {{ ref('stg_documents') }} as documents
    on documents.doc_id = sources.doc_id
