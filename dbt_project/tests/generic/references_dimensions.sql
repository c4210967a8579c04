{#- The four keys a figure fact shares with its dimensions (document, metric, level,
    region), all checked by one test: four `relationships` tests per fact cost four dbt
    nodes each. A null region is allowed (no region could be resolved), as `relationships`
    allows nulls. Failing rows: the key column and the value no dimension holds. -#}
{% test references_dimensions(model) %}
with facts as (
    select doc_id, metric, level, region_code from {{ model }}
)
select 'doc_id' as key_column, doc_id as missing_value
from facts
where not exists (select 1 from {{ ref('dim_document') }} as d where d.doc_id = facts.doc_id)
union all
select 'metric', metric
from facts
where not exists (select 1 from {{ ref('dim_metric') }} as d where d.code = facts.metric)
union all
select 'level', level
from facts
where not exists (select 1 from {{ ref('dim_level') }} as d where d.code = facts.level)
union all
select 'region_code', region_code
from facts
where facts.region_code is not null
    and not exists (select 1 from {{ ref('dim_region') }} as d where d.code = facts.region_code)
{% endtest %}
