-- The documents' best value is one of the values its sources state, lies within their
-- range, and a conflict is raised exactly when the sources disagree. The published value
-- is that value unless a reviewer's correction is in force.
select best.best_value_id, best.value, best.min_value, best.max_value
from {{ ref('fct_best_value') }} as best
where best.document_value < best.min_value
    or best.document_value > best.max_value
    or best.n_distinct_values < 1
    or best.n_sources > best.n_figures
    or best.has_conflict <> (best.min_value <> best.max_value)
    or (best.value_source = 'document' and best.value <> best.document_value)
    or (best.value_source = 'review' and best.reviewed_by is null)
