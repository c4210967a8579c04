{{ config(materialized='view', enabled=(target.type == 'duckdb')) }}
{#- Stated growth against stated values. Within one clause, value, change and growth % must
    agree: growth = value / (value - change) - 1. Against the warehouse, the stated change or
    growth must agree with last year's value for the same region, metric and level (the
    closest one, when several documents give it). The allowed gap is 0.1 percentage point
    plus what the rounding of the stated digits can explain. A clause that contradicts
    itself is an error; disagreeing with another year's figure is a warning (revisions and
    同口径 restatements happen). -#}

with facts as (
    select * from {{ ref('dq_figures_to_check') }}
),

within_clause as (
    select
        f.*,
        100.0 * (f.value / (f.value - f.yoy_change) - 1) as implied_growth_pct,
        0.1 + f.growth_half_unit
        + 100.0 * (abs(f.yoy_change) * f.value_half_unit + abs(f.value) * f.change_half_unit)
        / pow(f.value - f.yoy_change, 2) as tolerance_pp
    from facts as f
    where f.yoy_change is not null
        and f.yoy_growth_pct is not null
        and f.value - f.yoy_change > 0
),

previous as (
    select
        f.figure_id,
        p.figure_id as previous_figure_id,
        p.value as previous_value,
        p.value_half_unit as previous_half_unit,
        100.0 * (f.value / p.value - 1) as implied_growth_pct,
        f.value - p.value as implied_change
    from facts as f
    inner join facts as p
        on p.region_code = f.region_code
        and p.metric = f.metric
        and p.level_key = f.level_key
        and p.year = f.year - 1
        and p.kind = 'actual'
        and p.qualifier = 'exact'
        and p.period_start is null
        and p.value > 0
    where f.kind = 'actual'
        and f.period_start is null
        and (f.yoy_growth_pct is not null or f.yoy_change is not null)
),

growth_vs_previous as (
    select
        f.*,
        p.previous_figure_id,
        p.previous_value,
        p.implied_growth_pct,
        0.1 + f.growth_half_unit
        + 100.0 * (f.value_half_unit + abs(f.value) * p.previous_half_unit / p.previous_value)
        / p.previous_value as tolerance_pp,
        row_number() over (
            partition by f.figure_id
            -- the same previous value stated twice (text and table): the lower id, every run
            order by abs(p.implied_growth_pct - f.yoy_growth_pct), p.previous_figure_id
        ) as closeness
    from facts as f
    inner join previous as p on p.figure_id = f.figure_id
    where f.yoy_growth_pct is not null
),

change_vs_previous as (
    select
        f.*,
        p.previous_figure_id,
        p.previous_value,
        p.implied_change,
        f.value_half_unit + p.previous_half_unit + f.change_half_unit as tolerance,
        row_number() over (
            partition by f.figure_id
            order by abs(p.implied_change - f.yoy_change), p.previous_figure_id
        ) as closeness
    from facts as f
    inner join previous as p on p.figure_id = f.figure_id
    where f.yoy_change is not null
)

select
    'stated_growth' as check_name,
    figure_id || ':clause' as row_id,
    region_code, region_name, province, metric, metric_name_zh, level, year, kind,
    [figure_id] as figure_ids,
    implied_growth_pct - yoy_growth_pct as measure,
    cast(null as double) as soft_min,
    cast(null as double) as soft_max,
    -tolerance_pp as hard_min,
    tolerance_pp as hard_max,
    json_object(
        'comparison', 'clause', 'value', value, 'unit', unit, 'yoy_change', yoy_change,
        'yoy_growth_pct', yoy_growth_pct, 'implied_growth_pct', round(implied_growth_pct, 4),
        'tolerance_pp', round(tolerance_pp, 4)
    ) as values_json
from within_clause

union all

select
    'stated_growth',
    figure_id || ':previous_growth',
    region_code, region_name, province, metric, metric_name_zh, level, year, kind,
    [figure_id, previous_figure_id],
    implied_growth_pct - yoy_growth_pct,
    -tolerance_pp,
    tolerance_pp,
    null,
    null,
    json_object(
        'comparison', 'previous_growth', 'value', value, 'unit', unit,
        'previous_value', previous_value, 'yoy_growth_pct', yoy_growth_pct,
        'implied_growth_pct', round(implied_growth_pct, 4), 'tolerance_pp', round(tolerance_pp, 4)
    )
from growth_vs_previous
where closeness = 1

union all

select
    'stated_growth',
    figure_id || ':previous_change',
    region_code, region_name, province, metric, metric_name_zh, level, year, kind,
    [figure_id, previous_figure_id],
    implied_change - yoy_change,
    -tolerance,
    tolerance,
    null,
    null,
    json_object(
        'comparison', 'previous_change', 'value', value, 'unit', unit,
        'previous_value', previous_value, 'yoy_change', yoy_change,
        'implied_change', implied_change, 'tolerance', tolerance
    )
from change_vs_previous
where closeness = 1
