{{ config(materialized='view', enabled=(target.type == 'duckdb')) }}
{#- Conflicting values for one quantity: same region, metric, level, year, kind and period.
    Each figure stands for an interval (dq_figure_facts: value_lo, value_hi); figures
    conflict when their intervals share no point.
    A document's table row against its own text is an error; two prose statements of one
    document (which may describe a sub-population, 其中应届生…) and different documents are a
    warning, the latter judged on each document's overall interval so a self-contradicting
    document is not flagged twice. Only quantities that have one true value are compared: rates, ratios,
    per-student money, budget totals and head or school counts, not flows such as aid paid
    out or teachers recruited, which a report legitimately lists several times. -#}

with facts as (
    select
        *,
        coalesce(period_start, -1) as period_key,
        coalesce(evidence_text like '%|%', false) as from_table,
        value_lo as lo,
        value_hi as hi
    from {{ ref('dq_figures_to_check') }}
    where year is not null
        and (
            unit in ('percent', 'ratio')
            or metric like 'per\_student\_%' escape '\'
            or metric in (
                'edu_total_investment', 'edu_fiscal_investment', 'edu_general_budget_expenditure',
                'fiscal_expenditure_total', 'teacher_avg_income', 'students_enrolled', 'schools',
                'full_time_teachers', 'staff_total'
            )
        )
),

within_document as (
    select
        'doc' as scope,
        doc_id as scope_key,
        coalesce(region_code, '') as region_key, metric, level_key, year, kind, period_key,
        max(lo) as max_lo,
        min(hi) as min_hi,
        bool_or(from_table) and not bool_and(from_table) as text_against_table,
        list(figure_id order by figure_id) as figure_ids,
        list(distinct value order by value) as distinct_values,
        any_value(region_code) as region_code, any_value(region_name) as region_name,
        any_value(province) as province, any_value(metric_name_zh) as metric_name_zh,
        any_value(unit) as unit
    from facts
    group by all
),

per_document as (
    select
        doc_id, region_code, metric, level_key, year, kind, period_key,
        min(lo) as lo, max(hi) as hi, list(figure_id) as figure_ids, list(value) as doc_values,
        any_value(region_name) as region_name, any_value(province) as province,
        any_value(metric_name_zh) as metric_name_zh, any_value(unit) as unit
    from facts
    where region_code is not null
    group by all
),

across_documents as (
    select
        'region' as scope,
        region_code as scope_key,
        region_code as region_key, metric, level_key, year, kind, period_key,
        max(lo) as max_lo,
        min(hi) as min_hi,
        false as text_against_table,
        list_sort(flatten(list(figure_ids))) as figure_ids,
        list_sort(list_distinct(flatten(list(doc_values)))) as distinct_values,
        any_value(region_code) as region_code, any_value(region_name) as region_name,
        any_value(province) as province, any_value(metric_name_zh) as metric_name_zh,
        any_value(unit) as unit
    from per_document
    group by all
    having count(*) > 1
),

groups as (
    select * from within_document where len(figure_ids) > 1
    union all
    select * from across_documents
)

select
    'conflicts' as check_name,
    scope || ':' || scope_key || ':' || region_key || ':' || metric || ':' || level_key || ':'
    || year || ':' || kind || ':' || period_key as row_id,
    region_code, region_name, province, metric, metric_name_zh,
    level_key as level, year, kind,
    figure_ids,
    max_lo - min_hi as measure,
    cast(null as double) as soft_min,
    0.0 as soft_max,
    cast(null as double) as hard_min,
    case when text_against_table then 0.0 end as hard_max,
    json_object(
        'values', distinct_values, 'unit', unit,
        'scope', case when scope = 'doc' then 'one document' else 'across documents' end,
        'period_start', nullif(period_key, -1)
    ) as values_json
from groups
