{{ config(materialized='table', enabled=(target.type == 'duckdb')) }}
{#- The failing rows of every registered check (macro dq_checks, generated from
    edufig/quality/registry.py) in one shape: a `measure` and the bound columns the check
    declares (hard bounds: error, soft bounds: warning; a null bound is not checked; a bound
    the check does not declare is null here), the figures involved, and the severity the
    row fails at, decided here. Rows that pass are not stored: at a million figures they
    were 2.9 M rows kept to find 9 k failures (issue 16). The quality stage has GX validate
    these rows and reads their evidence; the first figure's sentence is kept for Data Docs. -#}

{% set bound_columns = ['soft_min', 'soft_max', 'hard_min', 'hard_max'] %}

with candidates as (
    {% for check in dq_checks() %}
    select
        check_name, row_id, region_code, region_name, province, metric, metric_name_zh,
        level, year, kind, figure_ids,
        cast(measure as double) as measure,
        {%- for bound in bound_columns %}
        {%- if bound not in check.bounds %}
        cast(null as double) as {{ bound }},
        {%- elif check.bounds[bound] is none %}
        cast({{ bound }} as double) as {{ bound }},
        {%- else %}
        cast({{ check.bounds[bound] }} as double) as {{ bound }},
        {%- endif %}
        {%- endfor %}
        cast(values_json as varchar) as values_json
    from {{ ref(check.model) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

decided as (
    select
        *,
        case
            when measure < hard_min or measure > hard_max then 'error'
            when measure < soft_min or measure > soft_max then 'warning'
        end as severity
    from candidates
),

first_figure as (
    select c.check_name, c.row_id, left(f.evidence_text, 200) as evidence_text
    from decided as c
    inner join {{ ref('dq_figure_facts') }} as f on f.figure_id = c.figure_ids[1]
    where c.severity is not null
)

select
    c.check_name || ':' || c.row_id as check_row_id,
    c.* exclude (figure_ids),
    array_to_string(c.figure_ids, ',') as figure_ids,
    e.evidence_text
from decided as c
left join first_figure as e on e.check_name = c.check_name and e.row_id = c.row_id
where c.severity is not null
