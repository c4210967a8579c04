{#- One select for every figure fact table: the domain facts hold actual values only,
    fct_targets holds planned values of all domains, so nobody sums the two. -#}
{% macro fact_figures(kind, domain=none) -%}
-- depends_on: {{ ref('stg_documents') }}
select
    figure_id,
    doc_id,
    doc_sha256,
    ordinal,
    region_code,
    region_name,
    region_level,
    province_code,
    province_name,
    prefecture_code,
    prefecture_name,
    year,
    period_start,
    metric,
    domain,
    level,
    kind,
    value,
    unit,
    qualifier,
    scope,
    confidence,
    yoy_change,
    yoy_growth_pct,
    evidence_text,
    start_offset,
    end_offset,
    n_mentions,
    doc_url,
    doc_title,
    published_date,
    doc_loaded_at as loaded_at,
    cast('{{ invocation_id }}' as {{ dbt.type_string() }}) as dbt_invocation_id
from {{ ref('int_figures_deduplicated') }}
where kind = '{{ kind }}'
    and is_metric_known
    and is_level_known
    {%- if domain %}
    and domain = '{{ domain }}'
    {%- endif %}
    {%- if is_incremental() %}
    and doc_id in ({{ documents_to_rebuild(this) }})
    {%- endif %}
{%- endmacro %}
