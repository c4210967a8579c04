-- Every fact row carries its evidence (non-empty sentence, offsets in order) and a metric
-- of the catalog whose domain is the fact table's domain.
{%- set facts = {
    'fct_funding': 'funding',
    'fct_staffing': 'staffing',
    'fct_attainment': 'attainment',
    'fct_enrollment': 'enrollment',
    'fct_targets': none,
} %}
{%- for fact, domain in facts.items() %}
select '{{ fact }}' as fact_table, facts.figure_id, facts.metric
from {{ ref(fact) }} as facts
left join {{ ref('dim_metric') }} as metrics
    on metrics.code = facts.metric
where metrics.code is null
    or facts.evidence_text is null
    or trim(facts.evidence_text) = ''
    or facts.start_offset is null
    or facts.end_offset < facts.start_offset
    {%- if domain %}
    or metrics.domain <> '{{ domain }}'
    {%- endif %}
{%- if not loop.last %}
union all
{%- endif %}
{%- endfor %}
