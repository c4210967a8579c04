{{ config(materialized='view', enabled=(target.type == 'duckdb')) }}
{#- Ratios derived from two figures of one document: students per full-time teacher by level
    (not special education, whose enrolment includes pupils taught in regular schools),
    and the education share of general budget expenditure (一般公共预算教育支出 / 一般公共预算
    支出), against the ranges of seed dq_plausibility_ranges; a share the document also
    states must agree with the derived one within 0.5 percentage point plus rounding. -#}

with facts as (
    select * from {{ ref('dq_figures_to_check') }}
    where period_start is null and qualifier = 'exact' and year is not null and kind = 'actual'
),

stated as (
    select
        doc_id, coalesce(region_code, '') as region_key, year, metric, level_key,
        min(figure_id) as figure_id, min(value) as value, max(value_half_unit) as half_unit,
        any_value(region_code) as region_code, any_value(region_name) as region_name,
        any_value(province) as province, any_value(level) as level
    from facts
    group by all
    having count(distinct value) = 1
),

ratios as (
    select * from {{ ref('dq_plausibility_ranges') }}
    where measure = 'value' and metric in ('student_teacher_ratio', 'edu_share_of_fiscal_expenditure')
),

pairs as (
    select
        n.doc_id, n.region_code, n.region_name, n.province, n.year, n.level_key,
        'student_teacher_ratio' as ratio_metric,
        n.value / d.value as derived,
        [n.figure_id, d.figure_id] as figure_ids,
        n.value as numerator, d.value as denominator,
        cast(null as double) as stated_value, cast(null as double) as stated_half_unit
    from stated as n
    inner join stated as d
        on d.doc_id = n.doc_id and d.region_key = n.region_key and d.year = n.year
        and d.level_key = n.level_key and d.metric = 'full_time_teachers'
    where n.metric = 'students_enrolled' and d.value > 0
        -- special-education enrolment counts pupils in regular classes (随班就读) and home
        -- teaching, its teachers only the special schools': the two do not make a ratio
        and n.level_key <> 'special'
    union all
    select
        n.doc_id, n.region_code, n.region_name, n.province, n.year, n.level_key,
        'edu_share_of_fiscal_expenditure',
        100.0 * n.value / d.value,
        list_concat([n.figure_id, d.figure_id], case when s.figure_id is not null then [s.figure_id] else [] end),
        n.value, d.value, s.value, s.half_unit
    from stated as n
    inner join stated as d
        on d.doc_id = n.doc_id and d.region_key = n.region_key and d.year = n.year
        and d.metric = 'fiscal_expenditure_total'
    left join stated as s
        on s.doc_id = n.doc_id and s.region_key = n.region_key and s.year = n.year
        and s.metric = 'edu_share_of_fiscal_expenditure'
    where n.metric = 'edu_general_budget_expenditure' and n.level_key = 'all' and d.value > 0
),

ranged as (
    select
        p.*,
        r.soft_min, r.soft_max, r.hard_min, r.hard_max, r.basis, r.source_title,
        row_number() over (
            partition by p.doc_id, p.region_code, p.year, p.level_key, p.ratio_metric
            order by (r.level <> '*') desc, r.region_level, r.year nulls first, r.unit
        ) as specificity
    from pairs as p
    inner join ratios as r on r.metric = p.ratio_metric and r.level in (p.level_key, '*')
)

select
    'derived_ratios' as check_name,
    doc_id || ':' || ratio_metric || ':' || level_key || ':' || year as row_id,
    region_code, region_name, province, ratio_metric as metric,
    case when ratio_metric = 'student_teacher_ratio' then '生师比' else '教育支出占财政支出比例' end
        as metric_name_zh,
    level_key as level, year, 'actual' as kind,
    figure_ids,
    derived as measure,
    soft_min, soft_max, hard_min, hard_max,
    json_object(
        'derived', round(derived, 4), 'numerator', numerator, 'denominator', denominator,
        'ratio', ratio_metric, 'soft_min', soft_min, 'soft_max', soft_max,
        'hard_min', hard_min, 'hard_max', hard_max, 'basis', basis, 'source_title', source_title
    ) as values_json
from ranged
where specificity = 1

union all

select
    'derived_ratios',
    doc_id || ':stated_share:' || year,
    region_code, region_name, province, 'edu_share_of_fiscal_expenditure',
    '教育支出占财政支出比例', 'all', year, 'actual',
    figure_ids,
    derived - stated_value,
    -(0.5 + stated_half_unit),
    0.5 + stated_half_unit,
    null,
    null,
    json_object(
        'derived', round(derived, 4), 'stated', stated_value, 'numerator', numerator,
        'denominator', denominator, 'ratio', 'stated_share'
    )
from pairs
where ratio_metric = 'edu_share_of_fiscal_expenditure' and stated_value is not null
