{{ config(materialized='view', enabled=(target.type == 'duckdb')) }}
{#- Values outside the hard plausible range by a power of ten that a unit slip explains:
    rescaled by 10^4 or 10^8 (or 100 for a rate written as a fraction) they land inside the
    soft range. -#}

select
    'unit_scale' as check_name,
    f.figure_id as row_id,
    f.region_code, f.region_name, f.province, f.metric, f.metric_name_zh, f.level, f.year, f.kind,
    [f.figure_id] as figure_ids,
    f.value as measure,
    cast(null as double) as soft_min,
    cast(null as double) as soft_max,
    r.hard_min,
    r.hard_max,
    json_object(
        'value', f.value, 'unit', f.unit, 'scale_factor', r.scale_factor,
        'rescaled', f.value * r.scale_factor, 'soft_min', r.soft_min, 'soft_max', r.soft_max,
        'hard_min', r.hard_min, 'hard_max', r.hard_max, 'source_title', r.source_title
    ) as values_json
from {{ ref('dq_figure_facts') }} as f
inner join {{ ref('dq_figure_ranges') }} as r on r.figure_id = f.figure_id
where r.scale_factor is not null
