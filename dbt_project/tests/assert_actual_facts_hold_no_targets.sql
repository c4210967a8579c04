-- Targets live in fct_targets only: a planned value in an actual fact would be summed
-- with reported values. Returns offending rows.
{%- set actual_facts = ['fct_funding', 'fct_staffing', 'fct_attainment', 'fct_enrollment'] %}
{%- for fact in actual_facts %}
select '{{ fact }}' as fact_table, figure_id, kind
from {{ ref(fact) }}
where kind <> 'actual'
union all
{%- endfor %}
select 'fct_targets' as fact_table, figure_id, kind
from {{ ref('fct_targets') }}
where kind <> 'target'
