{#- The decision in force per flag: its most recent one. A misread figure leaves the fact
    tables and the quality checks (int_figures_resolved); a correction overrides its key in fct_best_value,
    the latest correction of a key winning. -#}
select *
from (
    select
        decisions.*,
        row_number() over (partition by flag_id order by decision_id desc) as recency
    from {{ ref('stg_review_decisions') }} as decisions
) as ranked
where recency = 1
