-- Each deduplicated, resolved figure is in exactly one fact table, whatever mix of full
-- and incremental builds produced them; a missing or doubled figure means the
-- incremental bookkeeping lost or repeated a document.
with facts as (
    {%- for fact in ['fct_funding', 'fct_staffing', 'fct_attainment', 'fct_enrollment', 'fct_targets'] %}
    select figure_id from {{ ref(fact) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

expected as (
    select figure_id
    from {{ ref('int_figures_deduplicated') }}
    where is_metric_known and is_level_known and is_kind_known
),

fact_counts as (
    select figure_id, count(*) as n_rows
    from facts
    group by figure_id
)

select expected.figure_id, coalesce(fact_counts.n_rows, 0) as n_rows
from expected
left join fact_counts
    on fact_counts.figure_id = expected.figure_id
where coalesce(fact_counts.n_rows, 0) <> 1
union all
select fact_counts.figure_id, fact_counts.n_rows
from fact_counts
left join expected
    on expected.figure_id = fact_counts.figure_id
where expected.figure_id is null
