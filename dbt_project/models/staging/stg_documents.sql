with source as (
    select * from {{ source('landing', 'documents') }}
)

select
    cast(doc_id as {{ dbt.type_string() }}) as doc_id,
    cast(sha256 as {{ dbt.type_string() }}) as doc_sha256,
    cast(source as {{ dbt.type_string() }}) as source_name,
    cast(url as {{ dbt.type_string() }}) as url,
    cast(fetched_at as {{ dbt.type_timestamp() }}) as fetched_at,
    cast(http_status as integer) as http_status,
    cast(content_type as {{ dbt.type_string() }}) as content_type,
    cast(encoding as {{ dbt.type_string() }}) as text_encoding,
    cast(title as {{ dbt.type_string() }}) as title,
    cast(publisher as {{ dbt.type_string() }}) as publisher,
    cast(published_date as date) as published_date,
    cast(doc_number as {{ dbt.type_string() }}) as doc_number,
    cast(index_number as {{ dbt.type_string() }}) as index_number,
    cast(doc_type as {{ dbt.type_string() }}) as doc_type,
    cast(region_name as {{ dbt.type_string() }}) as stated_region_name,
    cast(region_code as {{ dbt.type_string() }}) as stated_region_code,
    cast(province as {{ dbt.type_string() }}) as stated_province,
    cast(parse_status as {{ dbt.type_string() }}) as parse_status,
    cast(parse_error as {{ dbt.type_string() }}) as parse_error,
    cast(text_chars as integer) as text_chars,
    cast(figure_count as integer) as figure_count,
    cast(extractor_version as {{ dbt.type_string() }}) as extractor_version,
    cast(loaded_at as {{ dbt.type_timestamp() }}) as loaded_at,
    cast(reference_year as integer) as reference_year,
    cast(reference_year_basis as {{ dbt.type_string() }}) as reference_year_basis
from source
