{#- A key column: unique and never null, checked in one scan of the model (dbt's `unique`
    and `not_null` scan it once each). Failing rows: each duplicated key, and null. -#}
{% test primary_key(model, column_name) %}
select {{ column_name }}, count(*) as n_rows
from {{ model }}
group by {{ column_name }}
having count(*) > 1 or {{ column_name }} is null
{% endtest %}
