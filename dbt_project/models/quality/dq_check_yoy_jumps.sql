{{ config(materialized='view', enabled=(target.type == 'duckdb')) }}
{#- Year-on-year jumps of rates (in percentage points) and of money (growth in %), against
    the ranges of seed dq_plausibility_ranges (measures yoy_change_pp / yoy_growth_pct).
    The jump is computed from consecutive years in the warehouse (the median of each year's
    actual figures, so one stray figure does not make a jump); where the previous year is
    not in the warehouse, the change or growth the document states is used. -#}

with facts as (
    select * from {{ ref('dq_figures_to_check') }}
    where kind = 'actual' and period_start is null and year is not null
        and region_code is not null and qualifier in ('exact', 'approx')
),

-- the medians and the figure lists aggregated apart and joined: in one aggregate their
-- states (holistic and list) spilled ~15 GB and took 60 s at 15 M figures, 10 s apart
yearly_values as (
    select
        region_code, metric, level_key, year,
        median(value) as value,
        any_value(region_name) as region_name, any_value(province) as province,
        any_value(metric_name_zh) as metric_name_zh, any_value(level) as level,
        any_value(unit) as unit,
        median(yoy_growth_pct) as stated_growth_pct,
        median(yoy_change) as stated_change
    from facts
    group by region_code, metric, level_key, year
),

yearly_figures as (
    select region_code, metric, level_key, year, list(figure_id order by figure_id) as figure_ids
    from facts
    group by region_code, metric, level_key, year
),

yearly as (
    select v.*, f.figure_ids
    from yearly_values as v
    inner join yearly_figures as f using (region_code, metric, level_key, year)
),

-- the range a metric and level's jumps are held to: picked on the few (metric, level)
-- pairs, since a window over the yearly rows, which carry their figure lists, spilled
-- tens of GB at 15 M figures
ranges as (
    select
        pairs.metric, pairs.level_key, r.* exclude (metric),
        row_number() over (
            partition by pairs.metric, pairs.level_key
            order by (r.level <> '*') desc, r.measure, r.region_level, r.year nulls first, r.unit
        ) as specificity
    from (select distinct metric, level_key from yearly_values) as pairs
    inner join {{ ref('dq_plausibility_ranges') }} as r
        on r.metric = pairs.metric and r.level in (pairs.level_key, '*')
    where r.measure in ('yoy_growth_pct', 'yoy_change_pp')
),

jumps as (
    select
        c.*,
        r.measure as jump_measure,
        p.value as previous_value,
        p.figure_ids as previous_figure_ids,
        case
            when r.measure = 'yoy_change_pp' and p.value is not null then c.value - p.value
            when r.measure = 'yoy_change_pp' then c.stated_change
            when p.value > 0 then 100.0 * (c.value / p.value - 1)
            else c.stated_growth_pct
        end as jump,
        case when p.value is not null then 'warehouse' else 'stated' end as jump_source,
        r.soft_min, r.soft_max, r.hard_min, r.hard_max, r.basis, r.source_title
    from yearly as c
    inner join ranges as r
        on r.metric = c.metric and r.level_key = c.level_key and r.specificity = 1
    left join yearly as p
        on p.region_code = c.region_code and p.metric = c.metric
        and p.level_key = c.level_key and p.year = c.year - 1
)

select
    'yoy_jumps' as check_name,
    region_code || ':' || metric || ':' || level_key || ':' || year as row_id,
    region_code, region_name, province, metric, metric_name_zh, level_key as level, year,
    'actual' as kind,
    list_concat(coalesce(previous_figure_ids, []), figure_ids) as figure_ids,
    jump as measure,
    soft_min, soft_max, hard_min, hard_max,
    json_object(
        'value', value, 'previous_value', previous_value, 'unit', unit,
        'jump', round(jump, 4), 'jump_measure', jump_measure, 'jump_source', jump_source,
        'soft_min', soft_min, 'soft_max', soft_max, 'hard_min', hard_min, 'hard_max', hard_max,
        'basis', basis, 'source_title', source_title
    ) as values_json
from jumps
where jump is not null
