{{ config(materialized='view', enabled=(target.type == 'duckdb')) }}
{#- Students per full-time teacher over all levels, derived from the all-level students and
    teachers one document states for a year (derived_ratios covers each level). An
    all-level ratio is the teacher-weighted mean of the level ratios, so it must lie within
    the envelope of the level ranges of seed dq_plausibility_ranges (preschool to secondary
    vocational; special and higher education are too small to move it). A document that
    states two values for one of the counts is left to the conflicts check. -#}

with stated as (
    select
        doc_id, coalesce(region_code, '') as region_key, year, metric,
        min(figure_id) as figure_id, min(value) as value,
        any_value(region_code) as region_code, any_value(region_name) as region_name,
        any_value(province) as province
    from {{ ref('dq_figures_to_check') }}
    where level_key = 'all' and period_start is null and qualifier = 'exact'
        and year is not null and kind = 'actual'
        and metric in ('students_enrolled', 'full_time_teachers')
    group by all
    having count(distinct value) = 1
),

envelope as (
    select
        min(soft_min) as soft_min, max(soft_max) as soft_max,
        min(hard_min) as hard_min, max(hard_max) as hard_max,
        string_agg(distinct source_title, '; ' order by source_title) as source_title
    from {{ ref('dq_plausibility_ranges') }}
    where measure = 'value' and metric = 'student_teacher_ratio' and level in (
        'preschool', 'primary', 'junior_secondary', 'general_senior_secondary',
        'secondary_vocational'
    )
)

select
    'all_levels_ratio' as check_name,
    s.doc_id || ':' || s.year as row_id,
    s.region_code, s.region_name, s.province,
    'student_teacher_ratio' as metric,
    '生师比' as metric_name_zh,
    'all' as level,
    s.year,
    'actual' as kind,
    [s.figure_id, t.figure_id] as figure_ids,
    s.value / t.value as measure,
    e.soft_min, e.soft_max, e.hard_min, e.hard_max,
    json_object(
        'derived', round(s.value / t.value, 4), 'numerator', s.value, 'denominator', t.value,
        'soft_min', e.soft_min, 'soft_max', e.soft_max, 'hard_min', e.hard_min,
        'hard_max', e.hard_max, 'source_title', e.source_title
    ) as values_json
from stated as s
inner join stated as t
    on t.doc_id = s.doc_id and t.region_key = s.region_key and t.year = s.year
    and t.metric = 'full_time_teachers'
cross join envelope as e
where s.metric = 'students_enrolled' and t.value > 0
