{{ config(materialized='view', enabled=(target.type == 'duckdb')) }}
{#- A target of a higher-is-better metric below its baseline: the latest actual value of the
    same region, metric and level before the target year (at most ten years before; the
    lowest, when documents disagree, so a conflict is not mistaken for a lowered target).
    Floors such as 保持90%以上 (qualifier at_least) are not targets to improve on and are
    left out, and so are yearly flows (new school places: a smaller programme next year is no
    step back). -#}

with facts as (
    select * from {{ ref('dq_figures_to_check') }}
    where period_start is null and year is not null and region_code is not null
),

targets as (
    select * from facts
    where kind = 'target' and direction = 'higher_better' and qualifier in ('exact', 'approx')
        and metric <> 'new_school_places'
),

baselines as (
    select
        t.figure_id,
        b.year as baseline_year,
        b.value as baseline_value,
        b.figure_id as baseline_figure_id,
        b.value_half_unit as baseline_half_unit,
        row_number() over (
            partition by t.figure_id order by b.year desc, b.value, b.figure_id
        ) as pick
    from targets as t
    inner join facts as b
        on b.region_code = t.region_code and b.metric = t.metric and b.level_key = t.level_key
        and b.kind = 'actual' and b.qualifier in ('exact', 'approx', 'at_least')
        and b.year < t.year and b.year >= t.year - 10
)

select
    'targets_baseline' as check_name,
    t.figure_id as row_id,
    t.region_code, t.region_name, t.province, t.metric, t.metric_name_zh, t.level, t.year,
    t.kind,
    [b.baseline_figure_id, t.figure_id] as figure_ids,
    t.value - b.baseline_value as measure,
    -(t.value_half_unit + b.baseline_half_unit) as soft_min,
    cast(null as double) as soft_max,
    cast(null as double) as hard_min,
    cast(null as double) as hard_max,
    json_object(
        'target', t.value, 'target_year', t.year, 'baseline', b.baseline_value,
        'baseline_year', b.baseline_year, 'unit', t.unit
    ) as values_json
from targets as t
inner join baselines as b on b.figure_id = t.figure_id and b.pick = 1
