{{ config(materialized='table', enabled=(target.type == 'duckdb')) }}
{#- The failing rows of every registered check (macro dq_checks, generated from
    edufig/quality/registry.py) in one table: models/quality/failing holds one incremental
    table per check (macro failing_check_rows), this unions their few rows. The quality
    stage has GX validate these rows and reads their evidence. -#}
{% for check in dq_checks() %}
select * from {{ ref('dq_failing_' ~ check.name) }}
{% if not loop.last %}union all{% endif %}
{%- endfor %}
