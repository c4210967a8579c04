{#- The corrections log: figures a reviewer marked as misread (their dismissal in force),
    with what the extractor read and where, from landing (the facts no longer hold them). -#}
select
    decisions.decision_id,
    decisions.figure_id,
    coalesce(figures.doc_id, decisions.doc_id) as doc_id,
    decisions.flag_id,
    coalesce(figures.metric, decisions.metric) as metric,
    coalesce(figures.level, decisions.level) as level,
    coalesce(figures.year, decisions.year) as year,
    coalesce(figures.kind, decisions.kind) as kind,
    figures.value as value_as_read,
    coalesce(figures.unit, decisions.unit) as unit,
    figures.evidence_text,
    figures.start_offset,
    figures.end_offset,
    decisions.note,
    decisions.reviewer,
    decisions.decided_at
from {{ ref('int_review_decisions_in_force') }} as decisions
left join {{ ref('stg_figures') }} as figures
    on figures.figure_id = decisions.figure_id
where decisions.is_misread
