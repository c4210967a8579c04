{{ config(severity='warn') }}
-- Warns (does not fail) about landing figures that no fact can hold: an unknown metric,
-- level or kind usually means the extractor and the catalog drifted apart.
select figure_id, doc_id, metric, level, kind, reason
from {{ ref('int_figures_unresolved') }}
