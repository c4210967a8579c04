select
    code,
    name,
    level,
    province_code,
    province_name,
    prefecture_code,
    prefecture_name
from {{ ref('gbt2260_divisions') }}
