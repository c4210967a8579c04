{#- The failing check rows (models/quality/failing) are incremental by region. Every check
    compares figures of one region, or of one document (whose regions are all re-checked
    when it changes), so a run re-checks only the regions dq_regions_to_recheck lists: the
    regions of documents loaded or removed since the last check. A region key is the region
    code, '' for figures without one. -#}
{% macro regions_to_recheck() -%}
    {%- if not (execute and is_incremental()) -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set query -%}
        select region_key from {{ ref('dq_regions_to_recheck') }} order by region_key
    {%- endset -%}
    {{ return(run_query(query).columns[0].values() | list) }}
{%- endmacro %}

{#- A filter on literal region codes: DuckDB pushes it into the scans and aggregates below. -#}
{% macro in_regions(column, regions) -%}
    {%- if regions is none -%}
        true
    {%- elif regions | length == 0 -%}
        false
    {%- else -%}
        {%- set codes = regions | reject('equalto', '') | list -%}
        ({{ column }} in (
            {%- for code in codes %}'{{ code | replace("'", "''") }}'{{ ", " if not loop.last }}{% endfor -%}
        ){{ " or " ~ column ~ " is null" if '' in regions }})
    {%- endif -%}
{%- endmacro %}

{% macro delete_rechecked_regions() -%}
    {%- set regions = regions_to_recheck() -%}
    {%- if regions is not none -%}
    delete from {{ this }} where {{ in_regions('region_code', regions) }}
    {%- endif -%}
{%- endmacro %}
