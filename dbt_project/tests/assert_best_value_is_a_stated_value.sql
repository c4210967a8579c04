-- The best value is one of the values its sources state, lies within their range, and
-- a conflict is raised exactly when the sources disagree.
select best.best_value_id, best.value, best.min_value, best.max_value
from {{ ref('fct_best_value') }} as best
where best.value < best.min_value
    or best.value > best.max_value
    or best.n_distinct_values < 1
    or best.n_sources > best.n_figures
    or best.has_conflict <> (best.min_value <> best.max_value)
