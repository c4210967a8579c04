{{ config(materialized='view', enabled=(target.type == 'duckdb')) }}
{#- Annual totals of flows at level `all` - student aid paid and students aided, student
    loans, capital, IT and teacher-training funds - that two documents state differently
    for one region and year. The conflicts check leaves flows out because one report lists
    several amounts for a year (one per programme); here each document counts with its
    largest all-level amount for the year, its total, and documents disagree when those
    totals' intervals (dq_figure_facts: rounding, 约, 以上) share no point. A budgeted
    amount (预算) is not an amount paid and is left out. -#}

with facts as (
    select * from {{ ref('dq_figures_to_check') }}
    where level_key = 'all' and year is not null and region_code is not null
        and metric in (
            'student_aid_funds', 'students_aided', 'student_loan_amount', 'capital_investment',
            'edu_it_investment', 'teacher_training_funds'
        )
        and coalesce(evidence_text, '') not like '%预算%'
),

document_totals as (
    select *, coalesce(period_start, -1) as period_key
    from facts
    qualify row_number() over (
        partition by doc_id, region_code, metric, year, kind, coalesce(period_start, -1)
        order by value desc, figure_id
    ) = 1
)

select
    'annual_totals' as check_name,
    region_code || ':' || metric || ':' || year || ':' || kind || ':' || period_key as row_id,
    region_code,
    any_value(region_name) as region_name,
    any_value(province) as province,
    metric,
    any_value(metric_name_zh) as metric_name_zh,
    'all' as level,
    year,
    kind,
    list(figure_id order by doc_id) as figure_ids,
    max(value_lo) - min(value_hi) as measure,
    json_object(
        'values', list_sort(list_distinct(list(value))), 'unit', any_value(unit),
        'documents', count(*), 'period_start', nullif(period_key, -1)
    ) as values_json
from document_totals
group by region_code, metric, year, kind, period_key
having count(*) > 1
