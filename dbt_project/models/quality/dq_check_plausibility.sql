{{ config(materialized='view', enabled=(target.type == 'duckdb')) }}
{#- Values against the plausible range for their metric, level and year, built from
    official national statistics (seed dq_plausibility_ranges, with its sources). Figures a
    unit slip explains are left to unit_scale, and figures outside the catalog's own bounds
    to hard_bounds, so one wrong number raises one flag. -#}

select
    'plausibility' as check_name,
    f.figure_id as row_id,
    f.region_code, f.region_name, f.province, f.metric, f.metric_name_zh, f.level, f.year, f.kind,
    [f.figure_id] as figure_ids,
    f.value as measure,
    r.soft_min,
    r.soft_max,
    r.hard_min,
    r.hard_max,
    json_object(
        'value', f.value, 'unit', f.unit, 'soft_min', r.soft_min, 'soft_max', r.soft_max,
        'hard_min', r.hard_min, 'hard_max', r.hard_max, 'national_value', r.national_value,
        'basis', r.basis, 'source_title', r.source_title, 'source_url', r.source_url
    ) as values_json
from {{ ref('dq_figures_to_check') }} as f
inner join {{ ref('dq_figure_ranges') }} as r on r.figure_id = f.figure_id
where r.scale_factor is null
    and f.value >= coalesce(f.hard_min, f.value)
    and f.value <= coalesce(f.hard_max, f.value)
