{#- Figures that cannot reach a fact table, with the reason, so nothing disappears
    silently between landing and marts. -#}
select
    figure_id,
    doc_id,
    metric,
    level,
    kind,
    year,
    value,
    evidence_text,
    case
        when not is_metric_known then 'unknown_metric'
        when not is_level_known then 'unknown_level'
        else 'unknown_kind'
    end as reason
from {{ ref('int_figures_resolved') }}
where not (is_metric_known and is_level_known and is_kind_known)
