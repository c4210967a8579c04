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

-- Lists are built for the groups that conflict only (max(lo) > min(hi)): a group whose
-- intervals share a point can never fail, and aggregating lists and scalars together for
-- every group spilled and took 100 s at 15 M figures.
within_document as (
    select
        doc_id, coalesce(region_code, '') as region_key, metric, level_key, year, kind,
        period_key,
        max(lo) as max_lo,
        min(hi) as min_hi,
        bool_or(from_table) and not bool_and(from_table) as text_against_table,
        any_value(region_code) as region_code, any_value(region_name) as region_name,
        any_value(province) as province, any_value(metric_name_zh) as metric_name_zh,
        any_value(unit) as unit
    from facts
    group by doc_id, coalesce(region_code, ''), metric, level_key, year, kind, period_key
    having count(*) > 1 and max(lo) > min(hi)
),

within_document_lists as (
    select
        f.doc_id, coalesce(f.region_code, '') as region_key, f.metric, f.level_key, f.year,
        f.kind, f.period_key,
        list(f.figure_id order by f.figure_id) as figure_ids,
        list(distinct f.value order by f.value) as distinct_values
    from facts as f
    semi join within_document as g
        on g.doc_id = f.doc_id and g.region_key = coalesce(f.region_code, '')
        and {{ same_quantity('f', 'g') }}
    group by all
),

per_document as (
    select
        doc_id, region_code, metric, level_key, year, kind, period_key,
        min(lo) as lo, max(hi) as hi,
        any_value(region_name) as region_name, any_value(province) as province,
        any_value(metric_name_zh) as metric_name_zh, any_value(unit) as unit
    from facts
    where region_code is not null
    group by all
),

across_documents as (
    select
        region_code, metric, level_key, year, kind, period_key,
        max(lo) as max_lo,
        min(hi) as min_hi,
        any_value(region_name) as region_name, any_value(province) as province,
        any_value(metric_name_zh) as metric_name_zh, any_value(unit) as unit
    from per_document
    group by all
    having count(*) > 1 and max(lo) > min(hi)
),

across_documents_lists as (
    select
        f.region_code, f.metric, f.level_key, f.year, f.kind, f.period_key,
        list_sort(list(f.figure_id)) as figure_ids,
        list_sort(list_distinct(list(f.value))) as distinct_values
    from facts as f
    semi join across_documents as g
        on g.region_code = f.region_code
        and {{ same_quantity('f', 'g') }}
    group by all
),

groups as (
    select
        'doc' as scope, g.doc_id as scope_key, g.region_key, g.metric, g.level_key, g.year,
        g.kind, g.period_key, g.max_lo, g.min_hi, g.text_against_table, l.figure_ids,
        l.distinct_values, g.region_code, g.region_name, g.province, g.metric_name_zh, g.unit
    from within_document as g
    inner join within_document_lists as l
        on l.doc_id = g.doc_id and l.region_key = g.region_key
        and {{ same_quantity('l', 'g') }}
    union all
    select
        'region' as scope, g.region_code as scope_key, g.region_code as region_key, g.metric,
        g.level_key, g.year, g.kind, g.period_key, g.max_lo, g.min_hi,
        false as text_against_table, l.figure_ids, l.distinct_values, g.region_code,
        g.region_name, g.province, g.metric_name_zh, g.unit
    from across_documents as g
    inner join across_documents_lists as l
        on l.region_code = g.region_code
        and {{ same_quantity('l', 'g') }}
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
