{#- Incremental by document. A document is rebuilt when the fact table holds no row
    stamped with its current landing loaded_at: new, reloaded (re-extracted or changed
    text) or without rows in this table. The pre-hook deletes the rebuilt and the vanished
    documents' old rows first, so a figure that moved to another domain or disappeared
    leaves no stale row behind; the model then inserts the documents' current rows. -#}
{% macro documents_to_rebuild(relation) -%}
    select documents.doc_id
    from {{ ref('stg_documents') }} as documents
    where not exists (
        select 1
        from {{ relation }} as built
        where built.doc_id = documents.doc_id
            and built.loaded_at = documents.loaded_at
    )
{%- endmacro %}

{% macro delete_rebuilt_documents() -%}
    {%- if is_incremental() -%}
    delete from {{ this }}
    where doc_id in ({{ documents_to_rebuild(this) }})
        or doc_id not in (select doc_id from {{ ref('stg_documents') }})
    {%- endif -%}
{%- endmacro %}
