{#- A figure stated twice in one document (same metric, level, year, kind, period and
    value, e.g. in the text and again in a summary) is kept once: the first mention by
    offset (n_mentions counts them). A different value for the same key is not a
    duplicate but a conflict, and stays for fct_best_value and the quality checks. -#}
select *
from {{ ref('int_figures_resolved') }}
where is_first_mention
