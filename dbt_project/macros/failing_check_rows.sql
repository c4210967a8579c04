{#- The failing rows of one registered check (macro dq_checks), in the shape dq_check_rows
    unions: a `measure`, the bound columns the check declares (hard bounds: error, soft
    bounds: warning; a null bound is not checked; a bound the check does not declare is
    null here), the figures involved, the severity the row fails at, and the first figure's
    sentence for Data Docs. Rows that pass are not stored: at a million figures they were
    2.9 M rows kept to find 9 k failures (issue 16). One table per check, each built by its
    own statement: unioned in one query the checks' hash tables were all alive at once and
    spilled (48 s at a million figures against 5 s one by one). Incremental by region
    (macros/incremental_by_region.sql). -#}
{% macro failing_check_rows(check_name) -%}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    enabled=(target.type == 'duckdb'),
    pre_hook="{{ delete_rechecked_regions() }}",
) }}
-- depends_on: {{ ref('dq_regions_to_recheck') }}
{%- set check = (dq_checks() | selectattr('name', 'equalto', check_name) | first) %}
{%- set regions = regions_to_recheck() %}
with candidates as (
    select
        check_name, row_id, region_code, region_name, province, metric, metric_name_zh,
        level, year, kind, figure_ids,
        cast(measure as double) as measure,
        {%- for bound in ['soft_min', 'soft_max', 'hard_min', 'hard_max'] %}
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
    where {{ in_regions('region_code', regions) }}
),

failing as (
    select
        *,
        case
            when measure < hard_min or measure > hard_max then 'error'
            else 'warning'
        end as severity
    from candidates
    where measure < hard_min or measure > hard_max or measure < soft_min or measure > soft_max
)

select
    c.check_name || ':' || c.row_id as check_row_id,
    c.* exclude (figure_ids),
    array_to_string(c.figure_ids, ',') as figure_ids,
    left(f.evidence_text, 200) as evidence_text
from failing as c
left join {{ ref('dq_figure_facts') }} as f on f.figure_id = c.figure_ids[1]
{%- endmacro %}
