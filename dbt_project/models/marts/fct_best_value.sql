{#- One value per (region, year, metric, level, kind, period): the figure from the most
    authoritative document (lowest authority_rank), then the most recently published,
    then the most recently fetched; within a document an exact figure before an
    approximate one, then the first by offset. Every other source stays counted so a
    disagreement shows as has_conflict instead of disappearing. A reviewer's correction in
    force for the key replaces the value (value_source 'review'), the documents' value kept
    in document_value.

    Incremental by key (macros/incremental_by_document.sql): only the keys that documents
    loaded or removed since the last build state now or stated then are recomputed, found
    by equality joins on fct_best_value_sources (key → document). A recomputed key left
    without any figure is deleted by the post-hook. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='best_value_id',
    on_schema_change='fail',
    post_hook="{{ delete_best_values_without_figure() }}",
) }}
-- depends_on: {{ ref('stg_documents') }}
{%- set string = dbt.type_string() %}
with facts as (
    {%- for fact in best_value_facts() %}
    select * from {{ ref(fact) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

keyed as (
    select
        facts.*,
        {{ dbt.concat([
            "facts.region_code", "'|'",
            "cast(facts.year as " ~ string ~ ")", "'|'",
            "facts.metric", "'|'",
            "facts.level", "'|'",
            "facts.kind", "'|'",
            "coalesce(cast(facts.period_start as " ~ string ~ "), '')",
        ]) }} as value_key
    from facts
    where facts.region_code is not null
        and facts.year is not null
        and facts.scope is null
),

{%- set sources = best_value_sources_relation() %}
{%- set by_key = is_incremental() and sources %}
{%- if by_key %}

changed_documents as (
    {{ documents_changed_since(sources) }}
),

touched_keys as (
    select keyed.value_key
    from keyed
    where keyed.doc_id in (select doc_id from changed_documents)
    union
    select sources.value_key
    from {{ sources }} as sources
    where sources.doc_id in (select doc_id from changed_documents)
),

{%- endif %}

candidates as (
    select
        keyed.*,
        documents.authority_rank,
        documents.fetched_at
    from keyed
    inner join {{ ref('dim_document') }} as documents
        on documents.doc_id = keyed.doc_id
    {%- if by_key %}
    where keyed.value_key in (select value_key from touched_keys)
    {%- endif %}
),

ranked as (
    select
        candidates.*,
        row_number() over (
            partition by value_key
            order by
                authority_rank,
                published_date desc nulls last,
                fetched_at desc nulls last,
                doc_id,
                case when qualifier = 'exact' then 0 else 1 end,
                start_offset nulls last,
                figure_id
        ) as preference
    from candidates
),

distinct_values as (
    select distinct value_key, value
    from candidates
),

value_lists as (
    select
        value_key,
        {{ dbt.listagg("cast(value as " ~ string ~ ")", "' | '", "order by value") }} as distinct_values
    from distinct_values
    group by value_key
),

distinct_sources as (
    select distinct value_key, doc_id
    from candidates
),

source_lists as (
    select
        value_key,
        {{ dbt.concat(["'|'", dbt.listagg("doc_id", "'|'", "order by doc_id"), "'|'"]) }} as source_doc_ids
    from distinct_sources
    group by value_key
),

corrections as (
    select region_code, year, metric, level, kind, corrected_value, correction_source,
        reviewer, decided_at
    from (
        select
            decisions.*,
            row_number() over (
                partition by region_code, year, metric, level, kind
                order by decision_id desc
            ) as correction_rank
        from {{ ref('int_review_decisions_in_force') }} as decisions
        where action = 'correct'
    ) as latest
    where correction_rank = 1
),

stats as (
    select
        value_key,
        count(distinct doc_id) as n_sources,
        count(*) as n_figures,
        count(distinct value) as n_distinct_values,
        min(value) as min_value,
        max(value) as max_value,
        max(loaded_at) as sources_loaded_at
    from candidates
    group by value_key
)

select
    {{ dbt.hash('ranked.value_key') }} as best_value_id,
    ranked.value_key,
    ranked.region_code,
    ranked.region_name,
    ranked.province_code,
    ranked.province_name,
    ranked.year,
    ranked.period_start,
    ranked.metric,
    ranked.domain,
    ranked.level,
    ranked.kind,
    coalesce(corrections.corrected_value, ranked.value) as value,
    ranked.unit,
    ranked.qualifier,
    ranked.figure_id,
    ranked.doc_id,
    ranked.authority_rank,
    ranked.published_date,
    ranked.evidence_text,
    ranked.doc_url,
    cast(stats.n_sources as integer) as n_sources,
    cast(stats.n_figures as integer) as n_figures,
    cast(stats.n_distinct_values as integer) as n_distinct_values,
    stats.min_value,
    stats.max_value,
    value_lists.distinct_values,
    stats.n_distinct_values > 1 as has_conflict,
    source_lists.source_doc_ids,
    stats.sources_loaded_at,
    cast('{{ invocation_id }}' as {{ string }}) as dbt_invocation_id,
    case when corrections.corrected_value is null then 'document' else 'review' end as value_source,
    ranked.value as document_value,
    corrections.reviewer as reviewed_by,
    cast(corrections.decided_at as date) as reviewed_on,
    corrections.correction_source
from ranked
inner join stats
    on stats.value_key = ranked.value_key
inner join value_lists
    on value_lists.value_key = ranked.value_key
inner join source_lists
    on source_lists.value_key = ranked.value_key
left join corrections
    on corrections.region_code = ranked.region_code
    and corrections.year = ranked.year
    and corrections.metric = ranked.metric
    and corrections.level = ranked.level
    and corrections.kind = ranked.kind
where ranked.preference = 1
