with source as (
    select * from {{ source('landing', 'fetches') }}
)

select
    cast(url as {{ dbt.type_string() }}) as url,
    cast(source as {{ dbt.type_string() }}) as source_name,
    cast(fetched_at as {{ dbt.type_timestamp() }}) as fetched_at,
    cast(status as integer) as http_status,
    cast(outcome as {{ dbt.type_string() }}) as outcome,
    cast(sha256 as {{ dbt.type_string() }}) as content_sha256,
    cast(bytes as bigint) as content_bytes,
    cast(error as {{ dbt.type_string() }}) as error_message
from source
