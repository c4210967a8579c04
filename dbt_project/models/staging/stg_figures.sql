with source as (
    select * from {{ source('landing', 'figures') }}
)

select
    cast(figure_id as {{ dbt.type_string() }}) as figure_id,
    cast(doc_id as {{ dbt.type_string() }}) as doc_id,
    cast(doc_sha256 as {{ dbt.type_string() }}) as doc_sha256,
    cast(ordinal as integer) as ordinal,
    cast(metric as {{ dbt.type_string() }}) as metric,
    cast(level as {{ dbt.type_string() }}) as level,
    cast(year as integer) as year,
    cast(period_start as integer) as period_start,
    cast(kind as {{ dbt.type_string() }}) as kind,
    cast(value as double precision) as value,
    cast(unit as {{ dbt.type_string() }}) as unit,
    cast(qualifier as {{ dbt.type_string() }}) as qualifier,
    cast(yoy_change as double precision) as yoy_change,
    cast(yoy_growth_pct as double precision) as yoy_growth_pct,
    cast(region as {{ dbt.type_string() }}) as stated_region_name,
    cast(region_code as {{ dbt.type_string() }}) as stated_region_code,
    cast(text as {{ dbt.type_string() }}) as evidence_text,
    cast(start_offset as integer) as start_offset,
    cast(end_offset as integer) as end_offset,
    cast(loaded_at as {{ dbt.type_timestamp() }}) as figure_loaded_at,
    cast(scope as {{ dbt.type_string() }}) as scope,
    cast(confidence as double precision) as confidence
from source
