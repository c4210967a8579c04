{{ config(materialized='view', enabled=(target.type == 'duckdb')) }}
{#- The documents and evidence (url, title, sentence; at most ten) of each check row. A view:
    the quality stage reads it only for the rows the checkpoint failed. -#}

select
    r.check_row_id,
    string_agg(distinct f.doc_id, ',' order by f.doc_id) as doc_ids,
    cast(to_json(list(
        {'figure_id': f.figure_id, 'doc_id': f.doc_id, 'url': f.url, 'title': f.title,
         'text': f.evidence_text}
        order by f.doc_id, f.figure_id
    )[1:10]) as varchar) as evidence_json
from {{ ref('dq_check_rows') }} as r,
    unnest(string_split(r.figure_ids, ',')) as u (figure_id)
inner join {{ ref('dq_figure_facts') }} as f on f.figure_id = u.figure_id
group by r.check_row_id
