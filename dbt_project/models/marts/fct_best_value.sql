{#- One value per (region, year, metric, level, kind, period): the figure from the most
    authoritative document (lowest authority_rank), then the most recently published,
    then the most recently fetched; within a document an exact figure before an
    approximate one, then the first by offset. Every other source stays counted so a
    disagreement shows as has_conflict instead of disappearing. -#}
{%- set facts = ['fct_funding', 'fct_staffing', 'fct_attainment', 'fct_enrollment', 'fct_targets'] -%}
with facts as (
    {%- for fact in facts %}
    select * from {{ ref(fact) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

candidates as (
    select
        facts.*,
        documents.authority_rank,
        documents.fetched_at,
        {{ dbt.concat([
            "facts.region_code", "'|'",
            "cast(facts.year as " ~ dbt.type_string() ~ ")", "'|'",
            "facts.metric", "'|'",
            "facts.level", "'|'",
            "facts.kind", "'|'",
            "coalesce(cast(facts.period_start as " ~ dbt.type_string() ~ "), '')",
        ]) }} as value_key
    from facts
    inner join {{ ref('dim_document') }} as documents
        on documents.doc_id = facts.doc_id
    where facts.region_code is not null
        and facts.year is not null
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
        {{ dbt.listagg("cast(value as " ~ dbt.type_string() ~ ")", "' | '", "order by value") }} as distinct_values
    from distinct_values
    group by value_key
),

stats as (
    select
        value_key,
        count(distinct doc_id) as n_sources,
        count(*) as n_figures,
        count(distinct value) as n_distinct_values,
        min(value) as min_value,
        max(value) as max_value
    from candidates
    group by value_key
)

select
    {{ dbt.hash('ranked.value_key') }} as best_value_id,
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
    ranked.value,
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
    stats.n_distinct_values > 1 as has_conflict
from ranked
inner join stats
    on stats.value_key = ranked.value_key
inner join value_lists
    on value_lists.value_key = ranked.value_key
where ranked.preference = 1
