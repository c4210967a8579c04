select
    code,
    domain,
    name_zh,
    name_en,
    unit,
    direction,
    hard_min,
    hard_max,
    example_phrasings
from {{ ref('metrics') }}
