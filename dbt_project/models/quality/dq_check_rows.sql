{{ config(materialized='table', enabled=(target.type == 'duckdb')) }}
{#- Every candidate row of every check in one shape, which is what the Great Expectations
    suite validates: a `measure` and the bounds it must respect (hard bounds: error, soft
    bounds: warning; a null bound is not checked), the figures involved and the first one's
    sentence for Data Docs. The quality stage reads the full evidence (documents, urls,
    sentences) of the rows the checkpoint fails only. -#}

{% set checks = [
    'dq_check_hard_bounds', 'dq_check_plausibility', 'dq_check_unit_scale',
    'dq_check_stated_growth', 'dq_check_parts_totals', 'dq_check_conflicts',
    'dq_check_yoy_jumps', 'dq_check_derived_ratios', 'dq_check_targets_baseline',
    'dq_check_pp_amounts'
] %}

with candidates as (
    {% for check in checks %}
    select
        check_name, row_id, region_code, region_name, province, metric, metric_name_zh,
        level, year, kind, figure_ids,
        cast(measure as double) as measure,
        cast(soft_min as double) as soft_min,
        cast(soft_max as double) as soft_max,
        cast(hard_min as double) as hard_min,
        cast(hard_max as double) as hard_max,
        cast(values_json as varchar) as values_json
    from {{ ref(check) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

first_figure as (
    select c.check_name, c.row_id, left(f.evidence_text, 200) as evidence_text
    from candidates as c
    inner join {{ ref('dq_figure_facts') }} as f on f.figure_id = c.figure_ids[1]
)

select
    c.check_name || ':' || c.row_id as check_row_id,
    c.* exclude (figure_ids),
    array_to_string(c.figure_ids, ',') as figure_ids,
    e.evidence_text
from candidates as c
left join first_figure as e on e.check_name = c.check_name and e.row_id = c.row_id
