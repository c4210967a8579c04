{{ config(materialized='view', enabled=(target.type == 'duckdb')) }}
{#- Bounds the metric's definition sets (metric catalog): a rate in percent within 0–100,
    a gross rate up to 150, no negative amount or count. -#}

select
    'hard_bounds' as check_name,
    figure_id as row_id,
    region_code, region_name, province, metric, metric_name_zh, level, year, kind,
    [figure_id] as figure_ids,
    value as measure,
    cast(null as double) as soft_min,
    cast(null as double) as soft_max,
    hard_min,
    hard_max,
    json_object('value', value, 'unit', unit, 'hard_min', hard_min, 'hard_max', hard_max)
        as values_json
from {{ ref('dq_figures_to_check') }}
where hard_min is not null or hard_max is not null
