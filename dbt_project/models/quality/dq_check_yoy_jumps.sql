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

-- one row per region, metric, level and year. The medians are window aggregates, computed
-- partition by partition on sorted rows that spill; as group-by aggregates their states
-- held every value in memory (~700 MB at 4 M figures). The figure lists are gathered at the
-- end, for the rows asked for: carried through the joins for every row they took 60 s and
-- ~15 GB of spill at 15 M figures.
yearly_medians as (
    select
        region_code, metric, level_key, year, region_name, province, metric_name_zh, level,
        unit,
        median(value) over yearly as value,
        median(yoy_growth_pct) over yearly as stated_growth_pct,
        median(yoy_change) over yearly as stated_change
    from facts
    window yearly as (partition by region_code, metric, level_key, year)
),

yearly as (
    select
        region_code, metric, level_key, year,
        any_value(value) as value,
        any_value(region_name) as region_name, any_value(province) as province,
        any_value(metric_name_zh) as metric_name_zh, any_value(level) as level,
        any_value(unit) as unit,
        any_value(stated_growth_pct) as stated_growth_pct,
        any_value(stated_change) as stated_change
    from yearly_medians
    group by region_code, metric, level_key, year
),

-- the range a metric and level's jumps are held to: picked on the few (metric, level)
-- pairs, since a window over the yearly rows (then carrying figure lists) spilled tens of
-- GB at 15 M figures
ranges as (
    select
        pairs.metric, pairs.level_key, r.* exclude (metric),
        row_number() over (
            partition by pairs.metric, pairs.level_key
            order by (r.level <> '*') desc, r.measure, r.region_level, r.year nulls first, r.unit
        ) as specificity
    from (select distinct metric, level_key from yearly) as pairs
    inner join {{ ref('dq_plausibility_ranges') }} as r
        on r.metric = pairs.metric and r.level in (pairs.level_key, '*')
    where r.measure in ('yoy_growth_pct', 'yoy_change_pp')
),

jumps as (
    select
        c.*,
        r.measure as jump_measure,
        p.value as previous_value,
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

-- grouped by every column of a jump, so a filter on the measure (the failing rows of
-- macros/failing_check_rows.sql) reaches the jumps before any list is built
select
    'yoy_jumps' as check_name,
    j.region_code || ':' || j.metric || ':' || j.level_key || ':' || j.year as row_id,
    j.region_code, j.region_name, j.province, j.metric, j.metric_name_zh,
    j.level_key as level, j.year,
    'actual' as kind,
    list(f.figure_id order by f.year, f.figure_id) as figure_ids,
    j.jump as measure,
    j.soft_min, j.soft_max, j.hard_min, j.hard_max,
    json_object(
        'value', j.value, 'previous_value', j.previous_value, 'unit', j.unit,
        'jump', round(j.jump, 4), 'jump_measure', j.jump_measure, 'jump_source', j.jump_source,
        'soft_min', j.soft_min, 'soft_max', j.soft_max, 'hard_min', j.hard_min,
        'hard_max', j.hard_max, 'basis', j.basis, 'source_title', j.source_title
    ) as values_json
from jumps as j
inner join facts as f
    on f.region_code = j.region_code and f.metric = j.metric and f.level_key = j.level_key
    and (f.year = j.year or (f.year = j.year - 1 and j.previous_value is not null))
where j.jump is not null
group by all
