{{ config(enabled=(target.type == 'duckdb')) }}
{#- One row per figure with what every check needs: its region (int_figures_resolved), the
    catalog entry, a level key that treats "all" as the level a metric implies (九年义务教育
    巩固率 is always compulsory), and the half unit of the last stated digit of each number:
    the rounding slack two honest statements of one quantity may differ by. A whole-number
    rate counts as stated to one decimal (a table's "100" next to a text's 99.7% disagree);
    whole money amounts and counts from 10,000 up count their trailing zeros (10.29亿元 is
    1029000000 ± 5e5, 5.2万人 is 52000 ± 500); smaller whole counts are exact. The interval
    [value_lo, value_hi] is what the figure claims: its rounding; ±10 % for 约; open above
    for 以上 and below for 以下. Two statements of one quantity conflict when their
    intervals share no point. Only figures about the whole population (scope null) are
    here, so every check compares like with like: a 农村 or 民办 figure is never read as the
    region's total, its range or its breakdown. Incremental by document, like the facts. -#}

-- depends_on: {{ ref('stg_documents') }}
with resolved as (
    select * from {{ ref('int_figures_resolved') }}
    where scope is null
    {%- if is_incremental() %}
        and doc_id in ({{ documents_to_rebuild(this) }})
    {%- endif %}
),

metrics as (
    select * from {{ ref('metrics') }}
),

stated_numbers as (
    select figure_id, 'value' as part, value as x, unit from resolved
    union all
    select figure_id, 'change', yoy_change, unit from resolved where yoy_change is not null
    union all
    select figure_id, 'growth', yoy_growth_pct, 'percent' from resolved
    where yoy_growth_pct is not null
),

normalized as (
    select
        *,
        round(x, cast(greatest(0, 10 - ceil(log10(abs(x) + 1e-9))) as integer)) as n
    from stated_numbers
),

half_units as (
    select
        figure_id,
        max(half_unit) filter (where part = 'value') as value_half_unit,
        max(half_unit) filter (where part = 'change') as change_half_unit,
        max(half_unit) filter (where part = 'growth') as growth_half_unit
    from (
        select
            figure_id,
            part,
            case
                when n <> round(n) then 0.5 * pow(10, -length(split_part(cast(n as varchar), '.', 2)))
                when unit in ('percent', 'ratio') then 0.05
                when unit = 'yuan' or abs(n) >= 10000 then
                    0.5 * pow(10, length(cast(cast(abs(n) as hugeint) as varchar))
                        - length(rtrim(cast(cast(abs(n) as hugeint) as varchar), '0')))
                else 0.0
            end as half_unit
        from normalized
    ) as t
    group by figure_id
)

select
    r.figure_id,
    r.doc_id,
    r.region_code,
    r.region_name,
    r.province_name as province,
    r.region_level,
    r.metric,
    coalesce(m.name_zh, r.metric) as metric_name_zh,
    coalesce(m.name_en, r.metric) as metric_name_en,
    m.unit as metric_unit,
    m.direction,
    m.hard_min,
    m.hard_max,
    r.level,
    case
        when r.level <> 'all' then r.level
        when r.metric in ('preschool_gross_enrollment_rate', 'inclusive_kindergarten_share',
            'public_kindergarten_share', 'preschool_teacher_trained_share') then 'preschool'
        when r.metric = 'primary_net_enrollment_rate' then 'primary'
        when r.metric = 'junior_gross_enrollment_rate' then 'junior_secondary'
        when r.metric = 'compulsory_retention_rate' then 'compulsory'
        when r.metric = 'senior_gross_enrollment_rate' then 'senior_secondary'
        when r.metric in ('vocational_employment_rate', 'dual_qualified_teacher_share')
            then 'secondary_vocational'
        else 'all'
    end as level_key,
    r.year,
    r.period_start,
    r.kind,
    r.value,
    r.unit,
    coalesce(r.qualifier, 'exact') as qualifier,
    r.yoy_change,
    r.yoy_growth_pct,
    h.value_half_unit,
    h.change_half_unit,
    h.growth_half_unit,
    case
        when coalesce(r.qualifier, 'exact') = 'at_most' then -1e300
        when r.qualifier = 'approx' then r.value - greatest(h.value_half_unit, 0.1 * abs(r.value))
        else r.value - h.value_half_unit
    end as value_lo,
    case
        when coalesce(r.qualifier, 'exact') = 'at_least' then 1e300
        when r.qualifier = 'approx' then r.value + greatest(h.value_half_unit, 0.1 * abs(r.value))
        else r.value + h.value_half_unit
    end as value_hi,
    left(r.evidence_text, 400) as evidence_text,
    r.doc_url as url,
    r.doc_title as title,
    r.doc_loaded_at as loaded_at
from resolved as r
left join metrics as m on m.code = r.metric
left join half_units as h on h.figure_id = r.figure_id
