{{ config(materialized='view', enabled=(target.type == 'duckdb')) }}
{#- 个百分点 is the unit of a change in a rate; an amount (money, people, schools) grows by a
    per cent. Flagged when the number written before 个百分点 in the figure's clause is the
    growth or change stated for an amount, which is how the extractor records "增长3.2个百分点"
    attached to 教育经费. -#}

with facts as (
    select
        *,
        list_transform(
            regexp_extract_all(evidence_text, '([0-9]+(?:\.[0-9]+)?)\s*个百分点', 1),
            lambda x: cast(x as double)
        ) as pp_numbers
    from {{ ref('dq_figures_to_check') }}
    where unit not in ('percent', 'ratio')
        and (yoy_growth_pct is not null or yoy_change is not null)
)

select
    'pp_amounts' as check_name,
    figure_id as row_id,
    region_code, region_name, province, metric, metric_name_zh, level, year, kind,
    [figure_id] as figure_ids,
    case
        when list_contains(pp_numbers, abs(yoy_growth_pct))
            or list_contains(pp_numbers, abs(yoy_change)) then 1.0
        else 0.0
    end as measure,
    cast(null as double) as soft_min,
    0.0 as soft_max,
    cast(null as double) as hard_min,
    cast(null as double) as hard_max,
    json_object(
        'value', value, 'unit', unit, 'yoy_growth_pct', yoy_growth_pct, 'yoy_change', yoy_change
    ) as values_json
from facts
