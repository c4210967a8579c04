select
    code,
    name_zh,
    name_en,
    parent_code,
    sort_order
from {{ ref('education_levels') }}
