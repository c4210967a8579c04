{#- Two relations' rows describe the same quantity: metric, level, kind (nullable keys
    compared as equal when both null), year and period. -#}
{% macro same_quantity(a, b) -%}
    {%- for key in ['metric', 'level_key', 'kind'] -%}
    {{ a }}.{{ key }} is not distinct from {{ b }}.{{ key }} and {% endfor -%}
    {{ a }}.year = {{ b }}.year and {{ a }}.period_key = {{ b }}.period_key
{%- endmacro %}
