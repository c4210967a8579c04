{{ config(materialized='view', enabled=(target.type == 'duckdb')) }}
{#- A 其中 breakdown by level that explains well under its total: in one sentence with 其中,
    a count or amount at one level (在校学生67786人) and the same metric at two or more of
    its sub-levels (其中:幼儿…、小学生…). The share of the total the parts explain is the
    measure; the registry sets how low it may go. A level listed with its own sub-levels
    counts once (义务教育 or 小学 + 初中, not both). Parts that exceed the total are
    parts_totals' business, and so is a total it holds to equality (义务教育 = 小学 + 初中),
    so one wrong number raises one flag. A single 其中 part (其中专任教师…, 其中公办园…) is
    a subset, not a breakdown, and is not compared. -#}

with facts as (
    select * from {{ ref('dq_figures_to_check') }}
    where evidence_text like '%其中%' and year is not null and period_start is null
        and qualifier = 'exact' and unit not in ('percent', 'ratio')
        and metric not like 'per\_student\_%' escape '\'
),

levels as (
    select code, parent_code, name_zh, sort_order from {{ ref('education_levels') }}
),

parts as (
    select t.figure_id as total_id, p.level, l.parent_code, l.name_zh, l.sort_order,
        max(p.value) as value, min(p.figure_id) as figure_id
    from facts as t
    inner join facts as p
        on p.doc_id = t.doc_id and p.evidence_text = t.evidence_text and p.metric = t.metric
        and p.year = t.year and p.kind = t.kind
        and coalesce(p.region_code, '') = coalesce(t.region_code, '')
    inner join levels as l on l.code = p.level
    where (t.level = 'all' and p.level <> 'all') or l.parent_code = t.level
    group by all
),

counted as (
    select * from parts as c
    where not exists (
        select 1 from parts as o where o.total_id = c.total_id and o.level = c.parent_code
    )
),

breakdowns as (
    select
        total_id,
        sum(value) as parts_sum,
        list(figure_id order by sort_order) as part_ids,
        string_agg(name_zh, '、' order by sort_order) as part_names_zh,
        string_agg(level, ', ' order by sort_order) as part_levels
    from counted
    group by total_id
    having count(*) >= 2
)

select
    'breakdowns' as check_name,
    t.figure_id as row_id,
    t.region_code, t.region_name, t.province, t.metric, t.metric_name_zh, t.level, t.year,
    t.kind,
    list_prepend(t.figure_id, b.part_ids) as figure_ids,
    b.parts_sum / t.value as measure,
    json_object(
        'total', t.value, 'parts_sum', b.parts_sum, 'unit', t.unit,
        'share_pct', round(100 * b.parts_sum / t.value, 1),
        'part_names_zh', b.part_names_zh, 'part_levels', b.part_levels
    ) as values_json
from facts as t
inner join breakdowns as b on b.total_id = t.figure_id
where t.value > 0
    and not exists (
        select 1 from {{ ref('dq_check_parts_totals') }} as equal
        where equal.figure_ids[1] = t.figure_id and equal.values_json ->> 'relation' = 'equal'
    )
