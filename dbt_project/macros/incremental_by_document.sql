{#- Incremental by document. A document is rebuilt when the table holds no row stamped
    with its current landing loaded_at (in `column`): new, reloaded (re-extracted or changed
    text, or a new review decision) or without rows in this table. The pre-hook deletes the
    rebuilt and the vanished documents' old rows first, so a figure that moved to another
    domain or disappeared leaves no stale row behind; the model then inserts the documents'
    current rows. -#}
{% macro documents_to_rebuild(relation, column='loaded_at') -%}
    select documents.doc_id
    from {{ ref('stg_documents') }} as documents
    where not exists (
        select 1
        from {{ relation }} as built
        where built.doc_id = documents.doc_id
            and built.{{ column }} = documents.loaded_at
    )
{%- endmacro %}

{% macro delete_rebuilt_documents(column='loaded_at') -%}
    {%- if is_incremental() -%}
    delete from {{ this }}
    where doc_id in ({{ documents_to_rebuild(this, column) }})
        or doc_id not in (select doc_id from {{ ref('stg_documents') }})
    {%- endif -%}
{%- endmacro %}

{% macro best_value_facts() -%}
    {{ return(['fct_funding', 'fct_staffing', 'fct_attainment', 'fct_enrollment', 'fct_targets']) }}
{%- endmacro %}

{#- fct_best_value is incremental by key. fct_best_value_sources (built after it, so during
    a build it still holds the previous state; read as a plain relation, a ref would be a
    cycle) pairs each key with the documents it was chosen from and their loaded_at. A
    document is changed when it is loaded at another time than that, or removed; the keys
    to recompute are the ones changed documents state now and the ones they stated. -#}
{% macro best_value_sources_relation() -%}
    {{ return(adapter.get_relation(database=this.database, schema=this.schema,
        identifier='fct_best_value_sources')) }}
{%- endmacro %}

{#- Documents loaded at another time than `recorded` (a relation with doc_id and loaded_at)
    says, or removed since: what changed since that record was written. -#}
{% macro documents_changed_since(recorded) -%}
    select doc_id, loaded_at from {{ ref('stg_documents') }}
    except
    select doc_id, loaded_at from {{ recorded }}
    union all
    select doc_id, loaded_at from {{ recorded }}
    where doc_id not in (select doc_id from {{ ref('stg_documents') }})
{%- endmacro %}

{#- A recomputed key whose figures are all gone got no new row: its old row (written by an
    earlier run) goes. -#}
{% macro delete_best_values_without_figure() -%}
    {%- set sources = best_value_sources_relation() -%}
    {%- if is_incremental() and sources -%}
    delete from {{ this }}
    where dbt_invocation_id <> '{{ invocation_id }}'
        and value_key in (
            select value_key from {{ sources }}
            where doc_id in (select doc_id from ({{ documents_changed_since(sources) }}) as changed)
        )
    {%- endif -%}
{%- endmacro %}
