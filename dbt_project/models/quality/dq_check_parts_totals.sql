{{ config(materialized='view', enabled=(target.type == 'duckdb')) }}
{#- Parts against totals, only where one document states both clearly: exactly one exact
    value per metric and level for that region, year and kind, and no multi-year period.
    小学 + 初中 must equal 义务教育 (and may not exceed an all-levels total); 普通高中 + 中职
    must equal 高中阶段; aid paid by level (all programmes of a level summed) and students
    aided by level (the largest programme of a level: one pupil may get several) may not add
    up to more than the stated total; schools of every level but
    kindergartens should not add up to more than an all-schools total (a warning: some
    reports leave special or vocational schools out of 中小学); money that is part of a larger total may not exceed it (财政性经费 ≤
    总投入, 一般公共预算 ≤ 财政性; 公用经费 ≤ 事业费 ≤ 生均一般公共预算教育经费). The slack is
    the rounding of the stated digits. -#}

with facts as (
    select * from {{ ref('dq_figures_to_check') }}
    where period_start is null and qualifier = 'exact' and year is not null
),

stated as (
    select
        doc_id, coalesce(region_code, '') as region_key, year, kind, metric, level_key,
        min(figure_id) as figure_id,
        min(value) as value,
        max(value_half_unit) as half_unit,
        any_value(region_code) as region_code, any_value(region_name) as region_name,
        any_value(province) as province, any_value(metric_name_zh) as metric_name_zh,
        any_value(unit) as unit
    from facts
    group by all
    having count(distinct value) = 1
),

level_sums as (
    select * from (values
        ('compulsory', 'primary', 'junior_secondary', 'equal'),
        ('all', 'primary', 'junior_secondary', 'at_most'),
        ('senior_secondary', 'general_senior_secondary', 'secondary_vocational', 'equal')
    ) as t (total_level, part_a, part_b, relation)
),

level_checks as (
    select
        t.doc_id, t.region_code, t.region_name, t.province, t.metric, t.metric_name_zh,
        t.level_key as level, t.year, t.kind, t.unit,
        [t.figure_id, a.figure_id, b.figure_id] as figure_ids,
        t.value as total, a.value + b.value as parts_sum,
        t.half_unit + a.half_unit + b.half_unit as tolerance,
        s.relation,
        s.part_a || '+' || s.part_b as parts
    from level_sums as s
    inner join stated as t on t.level_key = s.total_level
    inner join stated as a
        on a.level_key = s.part_a and a.doc_id = t.doc_id and a.region_key = t.region_key
        and a.year = t.year and a.kind = t.kind and a.metric = t.metric
    inner join stated as b
        on b.level_key = s.part_b and b.doc_id = t.doc_id and b.region_key = t.region_key
        and b.year = t.year and b.kind = t.kind and b.metric = t.metric
    where t.metric in ('students_enrolled', 'schools', 'full_time_teachers', 'staff_total')
),

metric_parts as (
    select * from (values
        ('edu_total_investment', 'edu_fiscal_investment'),
        ('edu_fiscal_investment', 'edu_general_budget_expenditure'),
        ('per_student_general_budget_expenditure', 'per_student_operating_expenditure'),
        ('per_student_operating_expenditure', 'per_student_public_funds')
    ) as t (total_metric, part_metric)
),

metric_checks as (
    select
        t.doc_id, t.region_code, t.region_name, t.province, t.metric, t.metric_name_zh,
        t.level_key as level, t.year, t.kind, t.unit,
        [t.figure_id, p.figure_id] as figure_ids,
        t.value as total, p.value as parts_sum,
        t.half_unit + p.half_unit as tolerance,
        'at_most' as relation,
        p.metric as parts
    from metric_parts as m
    inner join stated as t on t.metric = m.total_metric
    inner join stated as p
        on p.metric = m.part_metric and p.doc_id = t.doc_id and p.region_key = t.region_key
        and p.year = t.year and p.kind = t.kind and p.level_key = t.level_key
),

flows as (
    select
        doc_id, coalesce(region_code, '') as region_key, year, kind, metric, level_key,
        -- money of a level's programmes adds up; pupils aided may get several programmes
        -- (助学金 and 免学费), so the largest programme is what a level certainly adds
        case when any_value(metric) = 'students_aided' then max(value)
            else sum(distinct value) end as value,
        max(value_half_unit) as half_unit,
        list(figure_id order by figure_id) as figure_ids,
        any_value(region_code) as region_code, any_value(region_name) as region_name,
        any_value(province) as province, any_value(metric_name_zh) as metric_name_zh,
        any_value(unit) as unit
    from facts
    where metric in ('students_aided', 'student_aid_funds', 'schools')
    group by all
),

by_level as (
    select
        doc_id, region_key, year, kind, metric,
        any_value(region_code) as region_code, any_value(region_name) as region_name,
        any_value(province) as province, any_value(metric_name_zh) as metric_name_zh,
        any_value(unit) as unit,
        -- the total's figures first ('all' sorts first): its sentence is the flag's evidence
        flatten(list(figure_ids order by level_key)) as figure_ids,
        max(value) filter (where level_key = 'all') as total,
        max(half_unit) filter (where level_key = 'all') as total_half_unit,
        count(*) filter (where level_key <> 'all') as n_parts,
        sum(half_unit) filter (where level_key <> 'all') as parts_half_units,
        coalesce(max(value) filter (where level_key = 'preschool'), 0)
        * (metric <> 'schools')::int
        + coalesce(
            max(value) filter (where level_key = 'primary')
            + max(value) filter (where level_key = 'junior_secondary'),
            max(value) filter (where level_key = 'compulsory'),
            max(value) filter (where level_key = 'primary'),
            max(value) filter (where level_key = 'junior_secondary'), 0)
        + coalesce(
            max(value) filter (where level_key = 'general_senior_secondary')
            + max(value) filter (where level_key = 'secondary_vocational'),
            max(value) filter (where level_key = 'senior_secondary'),
            max(value) filter (where level_key = 'general_senior_secondary'),
            max(value) filter (where level_key = 'secondary_vocational'), 0)
        + coalesce(max(value) filter (where level_key = 'special'), 0)
        + coalesce(max(value) filter (where level_key = 'higher'), 0) as parts_sum
    from flows
    group by doc_id, region_key, year, kind, metric
),

flow_checks as (
    select
        doc_id, region_code, region_name, province, metric, metric_name_zh,
        'all' as level, year, kind, unit, figure_ids, total, parts_sum,
        total_half_unit + parts_half_units as tolerance,
        case when metric = 'schools' then 'at_most_warning' else 'at_most' end as relation,
        'levels' as parts
    from by_level
    where total is not null and n_parts >= 2
),

checks as (
    select * from level_checks
    union all
    select * from metric_checks
    union all
    select * from flow_checks
)

select
    'parts_totals' as check_name,
    doc_id || ':' || metric || ':' || level || ':' || year || ':' || kind || ':' || parts as row_id,
    region_code, region_name, province, metric, metric_name_zh, level, year, kind,
    figure_ids,
    total - parts_sum as measure,
    case when relation = 'at_most_warning' then -tolerance end as soft_min,
    cast(null as double) as soft_max,
    case when relation <> 'at_most_warning' then -tolerance end as hard_min,
    case when relation = 'equal' then tolerance end as hard_max,
    json_object(
        'total', total, 'parts_sum', parts_sum, 'parts', parts,
        'relation', replace(relation, '_warning', ''),
        'unit', unit, 'tolerance', tolerance
    ) as values_json
from checks
