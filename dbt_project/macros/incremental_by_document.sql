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

{% macro best_value_facts() -%}
    {{ return(['fct_funding', 'fct_staffing', 'fct_attainment', 'fct_enrollment', 'fct_targets']) }}
{%- endmacro %}

{#- After an incremental fct_best_value build: a key whose chosen figure is gone had all
    its remaining candidates recomputed, so a row still pointing at a vanished figure is a
    key with no figure left. -#}
{% macro delete_best_values_without_figure() -%}
    {%- if is_incremental() -%}
    delete from {{ this }}
    where figure_id not in (
        {%- for fact in best_value_facts() %}
        select figure_id from {{ ref(fact) }}
        {%- if not loop.last %}
        union all
        {%- endif %}
        {%- endfor %}
    )
    {%- endif -%}
{%- endmacro %}
