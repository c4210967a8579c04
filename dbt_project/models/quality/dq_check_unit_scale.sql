{{ config(materialized='view', enabled=(target.type == 'duckdb')) }}
{#- Values a unit slip explains (万元 read as 元, 亿 dropped; a rate written as a fraction).
    Two ways to see one: the value is outside the hard plausible range of its metric but
    inside the soft range once rescaled by 10^4 or 10^8 (or 100 for a rate); or, for money
    with no national range (aid paid, investment by level), it is over 1000 times away from
    the same document's figures of that metric for the other levels and within 10 times of
    them once rescaled. One flag per figure; the range comparison wins. -#}

with facts as (
    -- only the columns used: read three times, this CTE is materialized
    select
        figure_id, doc_id, region_code, region_name, province, metric, metric_name_zh,
        level, level_key, year, kind, value, unit
    from {{ ref('dq_figures_to_check') }}
),

by_range as (
    select
        f.figure_id, f.value, f.unit, r.scale_factor,
        f.value as measure, r.hard_min, r.hard_max,
        r.soft_min as ref_low, r.soft_max as ref_high, r.source_title,
        1 as priority
    from facts as f
    inner join {{ ref('dq_figure_ranges') }} as r on r.figure_id = f.figure_id
    where r.scale_factor is not null
),

-- the median as a window aggregate, partition by partition on sorted rows that spill: as a
-- group-by aggregate its state held every sibling value in memory and ran out of a 1 GB
-- ceiling at 4 M figures
sibling_medians as (
    select
        f.figure_id, f.value, f.unit,
        median(o.value) over siblings as sibling_median,
        count(*) over siblings as sibling_count
    from facts as f
    inner join facts as o
        on o.doc_id = f.doc_id and o.metric = f.metric and o.year = f.year
        and o.kind = f.kind and o.figure_id <> f.figure_id and o.level_key <> f.level_key
        and o.level_key <> 'all' and o.value > 0
    where f.unit = 'yuan' and f.level_key <> 'all' and f.value > 0
    window siblings as (partition by f.figure_id)
),

siblings as (
    select figure_id, value, unit, any_value(sibling_median) as sibling_median
    from sibling_medians
    where sibling_count >= 2
    group by figure_id, value, unit
),

by_siblings as (
    select
        s.figure_id, s.value, s.unit, x.factor as scale_factor,
        s.value / s.sibling_median as measure, 1e-3 as hard_min, 1e3 as hard_max,
        s.sibling_median as ref_low, s.sibling_median as ref_high,
        cast(null as varchar) as source_title,
        2 as priority
    from siblings as s
    cross join (values (1e4), (1e8), (1e-4), (1e-8)) as x (factor)
    where abs(ln(s.value / s.sibling_median)) > ln(1000)
        and abs(ln(s.value * x.factor / s.sibling_median)) < ln(10)
),

-- each side has at most one row per figure (one chosen range; sibling factors are 10^4
-- apart); an anti-join, as a window over their union spilled 70 GB at 15 M figures
found as (
    select * from by_range
    union all
    select * from by_siblings where figure_id not in (select figure_id from by_range)
)

select
    'unit_scale' as check_name,
    f.figure_id as row_id,
    f.region_code, f.region_name, f.province, f.metric, f.metric_name_zh, f.level, f.year, f.kind,
    [f.figure_id] as figure_ids,
    u.measure,
    cast(null as double) as soft_min,
    cast(null as double) as soft_max,
    u.hard_min,
    u.hard_max,
    json_object(
        'value', f.value, 'unit', f.unit, 'scale_factor', u.scale_factor,
        'rescaled', f.value * u.scale_factor, 'ref_low', u.ref_low, 'ref_high', u.ref_high,
        'source_title', u.source_title,
        'detected_by', case when u.priority = 1 then 'range' else 'siblings' end
    ) as values_json
from facts as f
inner join found as u on u.figure_id = f.figure_id
