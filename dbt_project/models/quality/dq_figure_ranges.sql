{{ config(enabled=(target.type == 'duckdb')) }}
{#- Each figure with the most specific plausibility range that applies to it (a range for the
    figure's year beats the any-year range; a named level or region level beats "*"), and,
    when the value falls outside the hard range but lands inside the soft range once
    rescaled by 10^4 or 10^8 (万元 read as 元, 亿 dropped) or by 100 (a rate as a fraction),
    the factor that explains it. Incremental by document, like dq_figure_facts. -#}

-- depends_on: {{ ref('stg_documents') }}
with facts as (
    select * from {{ ref('dq_figure_facts') }}
    {%- if is_incremental() %}
    where doc_id in ({{ documents_to_rebuild(this) }})
    {%- endif %}
),

ranges as (
    select * from {{ ref('dq_plausibility_ranges') }} where measure = 'value'
),

matched as (
    select
        f.figure_id,
        f.doc_id,
        f.loaded_at,
        r.soft_min,
        r.soft_max,
        r.hard_min,
        r.hard_max,
        r.national_value,
        r.basis,
        r.source_title,
        r.source_url,
        row_number() over (
            partition by f.figure_id
            order by (r.year is not null) desc, (r.level <> '*') desc, (r.region_level <> '*') desc
        ) as specificity
    from facts as f
    inner join ranges as r
        on r.metric = f.metric
        and r.level in (f.level_key, '*')
        and r.region_level in (f.region_level, '*')
        and (r.year is null or r.year = f.year)
        and r.unit = f.unit
),

factors as (
    select * from (values (1e4), (1e8), (1e-4), (1e-8), (100.0)) as t (factor)
),

chosen as (
    select * exclude (specificity) from matched where specificity = 1
),

rescaled as (
    select
        c.figure_id,
        x.factor,
        row_number() over (
            partition by c.figure_id
            order by abs(ln(f.value * x.factor) - ln(sqrt(c.soft_min * c.soft_max))), x.factor
        ) as closeness
    from chosen as c
    inner join facts as f on f.figure_id = c.figure_id
    cross join factors as x
    where f.value > 0
        and (f.value < c.hard_min or f.value > c.hard_max)
        and c.soft_min > 0
        and f.value * x.factor between c.soft_min and c.soft_max
        and (x.factor = 100.0) = (f.unit = 'percent')
)

select
    c.*,
    s.factor as scale_factor
from chosen as c
left join rescaled as s on s.figure_id = c.figure_id and s.closeness = 1
