-- The plain-SQL anchor (issue 16, item 1), generated from the dbt project's compiled
-- models by `python -m bench.anchor.generate`; do not edit. Run with `bench.anchor.run`.
-- `-- stage:` lines split the script into the bench's stages, `-- node:` lines into statements.


-- stage: build

-- node: schema.dq
CREATE SCHEMA IF NOT EXISTS dq;

-- node: schema.intermediate
CREATE SCHEMA IF NOT EXISTS intermediate;

-- node: schema.marts
CREATE SCHEMA IF NOT EXISTS marts;

-- node: schema.seeds
CREATE SCHEMA IF NOT EXISTS seeds;

-- node: schema.staging
CREATE SCHEMA IF NOT EXISTS staging;

-- node: model.edufigures.stg_documents
CREATE OR REPLACE VIEW staging.stg_documents AS
with source as (
    select * from "landing"."documents"
)

select
    cast(doc_id as TEXT) as doc_id,
    cast(sha256 as TEXT) as doc_sha256,
    cast(source as TEXT) as source_name,
    cast(url as TEXT) as url,
    cast(fetched_at as timestamp) as fetched_at,
    cast(http_status as integer) as http_status,
    cast(content_type as TEXT) as content_type,
    cast(encoding as TEXT) as text_encoding,
    cast(title as TEXT) as title,
    cast(publisher as TEXT) as publisher,
    cast(published_date as date) as published_date,
    cast(doc_number as TEXT) as doc_number,
    cast(index_number as TEXT) as index_number,
    cast(doc_type as TEXT) as doc_type,
    cast(region_name as TEXT) as stated_region_name,
    cast(region_code as TEXT) as stated_region_code,
    cast(province as TEXT) as stated_province,
    cast(parse_status as TEXT) as parse_status,
    cast(parse_error as TEXT) as parse_error,
    cast(text_chars as integer) as text_chars,
    cast(figure_count as integer) as figure_count,
    cast(extractor_version as TEXT) as extractor_version,
    cast(loaded_at as timestamp) as loaded_at,
    cast(reference_year as integer) as reference_year,
    cast(reference_year_basis as TEXT) as reference_year_basis
from source
;

-- node: model.edufigures.stg_fetches
CREATE OR REPLACE VIEW staging.stg_fetches AS
with source as (
    select * from "landing"."fetches"
)

select
    cast(url as TEXT) as url,
    cast(source as TEXT) as source_name,
    cast(fetched_at as timestamp) as fetched_at,
    cast(status as integer) as http_status,
    cast(outcome as TEXT) as outcome,
    cast(sha256 as TEXT) as content_sha256,
    cast(bytes as bigint) as content_bytes,
    cast(error as TEXT) as error_message
from source
;

-- node: model.edufigures.stg_figures
CREATE OR REPLACE VIEW staging.stg_figures AS
with source as (
    select * from "landing"."figures"
)

select
    cast(figure_id as TEXT) as figure_id,
    cast(doc_id as TEXT) as doc_id,
    cast(doc_sha256 as TEXT) as doc_sha256,
    cast(ordinal as integer) as ordinal,
    cast(metric as TEXT) as metric,
    cast(level as TEXT) as level,
    cast(year as integer) as year,
    cast(period_start as integer) as period_start,
    cast(kind as TEXT) as kind,
    cast(value as double precision) as value,
    cast(unit as TEXT) as unit,
    cast(qualifier as TEXT) as qualifier,
    cast(yoy_change as double precision) as yoy_change,
    cast(yoy_growth_pct as double precision) as yoy_growth_pct,
    cast(region as TEXT) as stated_region_name,
    cast(region_code as TEXT) as stated_region_code,
    cast(text as TEXT) as evidence_text,
    cast(start_offset as integer) as start_offset,
    cast(end_offset as integer) as end_offset,
    cast(loaded_at as timestamp) as figure_loaded_at,
    cast(scope as TEXT) as scope,
    cast(confidence as double precision) as confidence
from source
;

-- node: model.edufigures.stg_review_decisions
CREATE OR REPLACE VIEW staging.stg_review_decisions AS
with source as (
    select
        cast(null as bigint) as decision_id,
        cast(null as TEXT) as flag_id,
        cast(null as TEXT) as action,
        cast(null as TEXT) as reason,
        cast(null as TEXT) as note,
        cast(null as TEXT) as figure_id,
        cast(null as TEXT) as doc_id,
        cast(null as double precision) as corrected_value,
        cast(null as TEXT) as correction_source,
        cast(null as TEXT) as reviewer,
        cast(null as TEXT) as province_code,
        cast(null as TEXT) as region_code,
        cast(null as TEXT) as metric,
        cast(null as TEXT) as level,
        cast(null as integer) as year,
        cast(null as TEXT) as kind,
        cast(null as TEXT) as unit,
        cast(null as TEXT) as flag_doc_ids,
        cast(null as TEXT) as values_json,
        cast(null as timestamp) as decided_at,
        cast(null as timestamp) as loaded_at
    where 1 = 0
)

select
    cast(decision_id as bigint) as decision_id,
    cast(flag_id as TEXT) as flag_id,
    cast(action as TEXT) as action,
    cast(reason as TEXT) as reason,
    action = 'dismiss' and reason = 'misread' as is_misread,
    cast(note as TEXT) as note,
    cast(figure_id as TEXT) as figure_id,
    cast(doc_id as TEXT) as doc_id,
    cast(corrected_value as double precision) as corrected_value,
    cast(correction_source as TEXT) as correction_source,
    cast(reviewer as TEXT) as reviewer,
    cast(province_code as TEXT) as province_code,
    cast(region_code as TEXT) as region_code,
    cast(metric as TEXT) as metric,
    cast(level as TEXT) as level,
    cast(year as integer) as year,
    cast(kind as TEXT) as kind,
    cast(unit as TEXT) as unit,
    cast(flag_doc_ids as TEXT) as flag_doc_ids,
    cast(values_json as TEXT) as values_json,
    cast(decided_at as timestamp) as decided_at,
    cast(loaded_at as timestamp) as decision_loaded_at
from source
;

-- node: seed.edufigures.document_authority
CREATE OR REPLACE TABLE seeds.document_authority AS SELECT * FROM read_csv('__SEEDS_DIR__/document_authority.csv', header = true, columns = {'pattern': 'text', 'authority_rank': 'integer', 'authority_class_zh': 'text', 'authority_class_en': 'text'});

-- node: seed.edufigures.dq_plausibility_ranges
CREATE OR REPLACE TABLE seeds.dq_plausibility_ranges AS SELECT * FROM read_csv('__SEEDS_DIR__/dq_plausibility_ranges.csv', header = true, columns = {'metric': 'varchar', 'level': 'varchar', 'region_level': 'varchar', 'year': 'integer', 'measure': 'varchar', 'unit': 'varchar', 'soft_min': 'double', 'soft_max': 'double', 'hard_min': 'double', 'hard_max': 'double', 'national_value': 'double', 'basis': 'varchar', 'source_title': 'varchar', 'source_url': 'varchar'});

-- node: seed.edufigures.education_levels
CREATE OR REPLACE TABLE seeds.education_levels AS SELECT * FROM read_csv('__SEEDS_DIR__/education_levels.csv', header = true, columns = {'code': 'text', 'name_zh': 'text', 'name_en': 'text', 'parent_code': 'text', 'sort_order': 'integer'});

-- node: seed.edufigures.gbt2260_divisions
CREATE OR REPLACE TABLE seeds.gbt2260_divisions AS SELECT * FROM read_csv('__SEEDS_DIR__/gbt2260_divisions.csv', header = true, columns = {'code': 'text', 'name': 'text', 'level': 'text', 'province_code': 'text', 'province_name': 'text', 'prefecture_code': 'text', 'prefecture_name': 'text'});

-- node: seed.edufigures.metrics
CREATE OR REPLACE TABLE seeds.metrics AS SELECT * FROM read_csv('__SEEDS_DIR__/metrics.csv', header = true, columns = {'code': 'text', 'domain': 'text', 'name_zh': 'text', 'name_en': 'text', 'unit': 'text', 'direction': 'text', 'hard_min': 'double precision', 'hard_max': 'double precision', 'example_phrasings': 'text'});

-- node: model.edufigures.dim_level
CREATE OR REPLACE TABLE marts.dim_level AS
SELECT
    CAST(code AS text) AS code,
    CAST(name_zh AS text) AS name_zh,
    CAST(name_en AS text) AS name_en,
    CAST(parent_code AS text) AS parent_code,
    CAST(sort_order AS integer) AS sort_order
FROM (
select
    code,
    name_zh,
    name_en,
    parent_code,
    sort_order
from "seeds"."education_levels"
)
;

-- node: model.edufigures.dim_metric
CREATE OR REPLACE TABLE marts.dim_metric AS
SELECT
    CAST(code AS text) AS code,
    CAST(domain AS text) AS domain,
    CAST(name_zh AS text) AS name_zh,
    CAST(name_en AS text) AS name_en,
    CAST(unit AS text) AS unit,
    CAST(direction AS text) AS direction,
    CAST(hard_min AS double precision) AS hard_min,
    CAST(hard_max AS double precision) AS hard_max,
    CAST(example_phrasings AS text) AS example_phrasings
FROM (
select
    code,
    domain,
    name_zh,
    name_en,
    unit,
    direction,
    hard_min,
    hard_max,
    example_phrasings
from "seeds"."metrics"
)
;

-- node: model.edufigures.dim_region
CREATE OR REPLACE TABLE marts.dim_region AS
SELECT
    CAST(code AS text) AS code,
    CAST(name AS text) AS name,
    CAST(level AS text) AS level,
    CAST(province_code AS text) AS province_code,
    CAST(province_name AS text) AS province_name,
    CAST(prefecture_code AS text) AS prefecture_code,
    CAST(prefecture_name AS text) AS prefecture_name
FROM (
select
    code,
    name,
    level,
    province_code,
    province_name,
    prefecture_code,
    prefecture_name
from "seeds"."gbt2260_divisions"
)
;

-- node: model.edufigures.int_documents_classified
CREATE OR REPLACE VIEW intermediate.int_documents_classified AS
with documents as (
    select * from "staging"."stg_documents"
),

regions as (
    select * from "seeds"."gbt2260_divisions"
),

figure_regions as (
    select
        figures.doc_id,
        regions.code,
        count(*) as n_figures
    from "staging"."stg_figures" as figures
    inner join regions
        on regions.code = figures.stated_region_code
    group by figures.doc_id, regions.code
),

dominant_regions as (
    select doc_id, code
    from (
        select
            figure_regions.*,
            row_number() over (partition by doc_id order by n_figures desc, code) as region_rank
        from figure_regions
    ) as ranked
    where region_rank = 1
),

authority as (
    select * from "seeds"."document_authority"
),

authority_classes as (
    select distinct authority_rank, authority_class_zh, authority_class_en
    from authority
),

matched_authority as (
    select
        documents.doc_id,
        min(authority.authority_rank) as authority_rank
    from documents
    inner join authority
        on coalesce(documents.doc_type, '') || ' ' || coalesce(documents.title, '')
            like '%' || authority.pattern || '%'
    group by documents.doc_id
)

select
    documents.*,
    regions.code as region_code,
    case
        when stated_regions.code is not null then 'document'
        when dominant_regions.code is not null then 'figures'
    end as region_source,
    coalesce(regions.name, documents.stated_region_name) as region_name,
    regions.province_code,
    coalesce(regions.province_name, documents.stated_province) as province_name,
    cast(coalesce(matched_authority.authority_rank, 9) as integer) as authority_rank,
    coalesce(authority_classes.authority_class_zh, '未分类') as authority_class_zh,
    coalesce(authority_classes.authority_class_en, 'unclassified') as authority_class_en
from documents
left join regions as stated_regions
    on stated_regions.code = documents.stated_region_code
left join dominant_regions
    on dominant_regions.doc_id = documents.doc_id
left join regions
    on regions.code = coalesce(stated_regions.code, dominant_regions.code)
left join matched_authority
    on matched_authority.doc_id = documents.doc_id
left join authority_classes
    on authority_classes.authority_rank = matched_authority.authority_rank
;

-- node: model.edufigures.int_review_decisions_in_force
CREATE OR REPLACE VIEW intermediate.int_review_decisions_in_force AS
select *
from (
    select
        decisions.*,
        row_number() over (partition by flag_id order by decision_id desc) as recency
    from "staging"."stg_review_decisions" as decisions
) as ranked
where recency = 1
;

-- node: model.edufigures.dim_document
CREATE OR REPLACE TABLE marts.dim_document AS
SELECT
    CAST(doc_id AS text) AS doc_id,
    CAST(doc_sha256 AS text) AS doc_sha256,
    CAST(source_name AS text) AS source_name,
    CAST(url AS text) AS url,
    CAST(title AS text) AS title,
    CAST(publisher AS text) AS publisher,
    CAST(published_date AS date) AS published_date,
    CAST(doc_type AS text) AS doc_type,
    CAST(doc_number AS text) AS doc_number,
    CAST(region_code AS text) AS region_code,
    CAST(region_source AS text) AS region_source,
    CAST(region_name AS text) AS region_name,
    CAST(province_code AS text) AS province_code,
    CAST(province_name AS text) AS province_name,
    CAST(authority_rank AS integer) AS authority_rank,
    CAST(authority_class_zh AS text) AS authority_class_zh,
    CAST(authority_class_en AS text) AS authority_class_en,
    CAST(fetched_at AS timestamp) AS fetched_at,
    CAST(parse_status AS text) AS parse_status,
    CAST(text_chars AS integer) AS text_chars,
    CAST(figure_count AS integer) AS figure_count,
    CAST(extractor_version AS text) AS extractor_version,
    CAST(reference_year AS integer) AS reference_year,
    CAST(reference_year_basis AS text) AS reference_year_basis,
    CAST(loaded_at AS timestamp) AS loaded_at
FROM (
select
    doc_id,
    doc_sha256,
    source_name,
    url,
    title,
    publisher,
    published_date,
    doc_type,
    doc_number,
    region_code,
    region_source,
    region_name,
    province_code,
    province_name,
    authority_rank,
    authority_class_zh,
    authority_class_en,
    fetched_at,
    parse_status,
    text_chars,
    figure_count,
    extractor_version,
    loaded_at,
    reference_year,
    reference_year_basis
from "intermediate"."int_documents_classified"
)
;

-- node: model.edufigures.fct_extraction_corrections
CREATE OR REPLACE TABLE marts.fct_extraction_corrections AS
SELECT
    CAST(decision_id AS bigint) AS decision_id,
    CAST(figure_id AS text) AS figure_id,
    CAST(doc_id AS text) AS doc_id,
    CAST(flag_id AS text) AS flag_id,
    CAST(metric AS text) AS metric,
    CAST(level AS text) AS level,
    CAST(year AS integer) AS year,
    CAST(kind AS text) AS kind,
    CAST(value_as_read AS double precision) AS value_as_read,
    CAST(unit AS text) AS unit,
    CAST(evidence_text AS text) AS evidence_text,
    CAST(start_offset AS integer) AS start_offset,
    CAST(end_offset AS integer) AS end_offset,
    CAST(note AS text) AS note,
    CAST(reviewer AS text) AS reviewer,
    CAST(decided_at AS timestamp) AS decided_at
FROM (
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
from "intermediate"."int_review_decisions_in_force" as decisions
left join "staging"."stg_figures" as figures
    on figures.figure_id = decisions.figure_id
where decisions.is_misread
)
;

-- node: model.edufigures.int_figures_resolved
CREATE OR REPLACE TABLE intermediate.int_figures_resolved AS
-- depends_on: "staging"."stg_documents"
with figures as (
    select * from "staging"."stg_figures"
    where figure_id not in (
        select figure_id from "intermediate"."int_review_decisions_in_force"
        where is_misread
    )
),

documents as (
    select * from "intermediate"."int_documents_classified"
),

metrics as (
    select * from "seeds"."metrics"
),

levels as (
    select * from "seeds"."education_levels"
),

regions as (
    select * from "seeds"."gbt2260_divisions"
),

located as (
    select
        figures.*,
        coalesce(figure_regions.code, documents.region_code) as region_code,
        documents.url as doc_url,
        documents.title as doc_title,
        documents.published_date,
        documents.loaded_at as doc_loaded_at
    from figures
    inner join documents
        on documents.doc_id = figures.doc_id
    left join regions as figure_regions
        on figure_regions.code = figures.stated_region_code
),

mentions as (
    select
        figure_id,
        cast(count(*) over same_figure as integer) as n_mentions,
        row_number() over (
            same_figure order by start_offset nulls last, ordinal, figure_id
        ) = 1 as is_first_mention
    from figures
    window same_figure as (
        partition by doc_id, metric, level, year, kind, period_start, scope, value
    )
)

select
    located.*,
    coalesce(regions.name, located.stated_region_name) as region_name,
    regions.level as region_level,
    regions.province_code,
    regions.province_name,
    regions.prefecture_code,
    regions.prefecture_name,
    metrics.domain,
    metrics.unit as catalog_unit,
    metrics.code is not null as is_metric_known,
    levels.code is not null as is_level_known,
    located.kind in ('actual', 'target') as is_kind_known,
    mentions.n_mentions,
    mentions.is_first_mention
from located
inner join mentions
    on mentions.figure_id = located.figure_id
left join regions
    on regions.code = located.region_code
left join metrics
    on metrics.code = located.metric
left join levels
    on levels.code = located.level
;

-- node: model.edufigures.dq_figure_facts
CREATE OR REPLACE TABLE dq.dq_figure_facts AS
-- depends_on: "staging"."stg_documents"
with resolved as (
    select * from "intermediate"."int_figures_resolved"
    where scope is null
),

metrics as (
    select * from "seeds"."metrics"
),

stated_numbers as (
    select figure_id, 'value' as part, value as x, unit from resolved
    union all
    select figure_id, 'change', yoy_change, unit from resolved where yoy_change is not null
    union all
    select figure_id, 'growth', yoy_growth_pct, 'percent' from resolved
    where yoy_growth_pct is not null
),

normalized as (
    select
        *,
        round(x, cast(greatest(0, 10 - ceil(log10(abs(x) + 1e-9))) as integer)) as n
    from stated_numbers
),

half_units as (
    select
        figure_id,
        max(half_unit) filter (where part = 'value') as value_half_unit,
        max(half_unit) filter (where part = 'change') as change_half_unit,
        max(half_unit) filter (where part = 'growth') as growth_half_unit
    from (
        select
            figure_id,
            part,
            case
                when n <> round(n) then 0.5 * pow(10, -length(split_part(cast(n as varchar), '.', 2)))
                when unit in ('percent', 'ratio') then 0.05
                when unit = 'yuan' or abs(n) >= 10000 then
                    0.5 * pow(10, length(cast(cast(abs(n) as hugeint) as varchar))
                        - length(rtrim(cast(cast(abs(n) as hugeint) as varchar), '0')))
                else 0.0
            end as half_unit
        from normalized
    ) as t
    group by figure_id
)

select
    r.figure_id,
    r.doc_id,
    r.region_code,
    r.region_name,
    r.province_name as province,
    r.region_level,
    r.metric,
    coalesce(m.name_zh, r.metric) as metric_name_zh,
    coalesce(m.name_en, r.metric) as metric_name_en,
    m.unit as metric_unit,
    m.direction,
    m.hard_min,
    m.hard_max,
    r.level,
    case
        when r.level <> 'all' then r.level
        when r.metric in ('preschool_gross_enrollment_rate', 'inclusive_kindergarten_share',
            'public_kindergarten_share', 'preschool_teacher_trained_share') then 'preschool'
        when r.metric = 'primary_net_enrollment_rate' then 'primary'
        when r.metric = 'junior_gross_enrollment_rate' then 'junior_secondary'
        when r.metric = 'compulsory_retention_rate' then 'compulsory'
        when r.metric = 'senior_gross_enrollment_rate' then 'senior_secondary'
        when r.metric in ('vocational_employment_rate', 'dual_qualified_teacher_share')
            then 'secondary_vocational'
        else 'all'
    end as level_key,
    r.year,
    r.period_start,
    r.kind,
    r.value,
    r.unit,
    coalesce(r.qualifier, 'exact') as qualifier,
    r.yoy_change,
    r.yoy_growth_pct,
    h.value_half_unit,
    h.change_half_unit,
    h.growth_half_unit,
    case
        when coalesce(r.qualifier, 'exact') = 'at_most' then -1e300
        when r.qualifier = 'approx' then r.value - greatest(h.value_half_unit, 0.1 * abs(r.value))
        else r.value - h.value_half_unit
    end as value_lo,
    case
        when coalesce(r.qualifier, 'exact') = 'at_least' then 1e300
        when r.qualifier = 'approx' then r.value + greatest(h.value_half_unit, 0.1 * abs(r.value))
        else r.value + h.value_half_unit
    end as value_hi,
    left(r.evidence_text, 400) as evidence_text,
    r.doc_url as url,
    r.doc_title as title,
    r.doc_loaded_at as loaded_at
from resolved as r
left join metrics as m on m.code = r.metric
left join half_units as h on h.figure_id = r.figure_id
;

-- node: model.edufigures.int_figures_deduplicated
CREATE OR REPLACE VIEW intermediate.int_figures_deduplicated AS
select *
from "intermediate"."int_figures_resolved"
where is_first_mention
;

-- node: model.edufigures.int_figures_unresolved
CREATE OR REPLACE VIEW intermediate.int_figures_unresolved AS
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
from "intermediate"."int_figures_resolved"
where not (is_metric_known and is_level_known and is_kind_known)
;

-- node: model.edufigures.dq_figure_ranges
CREATE OR REPLACE TABLE dq.dq_figure_ranges AS
-- depends_on: "staging"."stg_documents"
with facts as (
    select * from "dq"."dq_figure_facts"
),

ranges as (
    select * from "seeds"."dq_plausibility_ranges" where measure = 'value'
),

matched as (
    select
        f.figure_id,
        f.doc_id,
        f.loaded_at,
        r.soft_min,
        r.soft_max,
        r.hard_min,
        r.hard_max,
        r.national_value,
        r.basis,
        r.source_title,
        r.source_url,
        row_number() over (
            partition by f.figure_id
            order by (r.year is not null) desc, (r.level <> '*') desc, (r.region_level <> '*') desc
        ) as specificity
    from facts as f
    inner join ranges as r
        on r.metric = f.metric
        and r.level in (f.level_key, '*')
        and r.region_level in (f.region_level, '*')
        and (r.year is null or r.year = f.year)
        and r.unit = f.unit
),

factors as (
    select * from (values (1e4), (1e8), (1e-4), (1e-8), (100.0)) as t (factor)
),

chosen as (
    select * exclude (specificity) from matched where specificity = 1
),

rescaled as (
    select
        c.figure_id,
        x.factor,
        row_number() over (
            partition by c.figure_id
            order by abs(ln(f.value * x.factor) - ln(sqrt(c.soft_min * c.soft_max))), x.factor
        ) as closeness
    from chosen as c
    inner join facts as f on f.figure_id = c.figure_id
    cross join factors as x
    where f.value > 0
        and (f.value < c.hard_min or f.value > c.hard_max)
        and c.soft_min > 0
        and f.value * x.factor between c.soft_min and c.soft_max
        and (x.factor = 100.0) = (f.unit = 'percent')
)

select
    c.*,
    s.factor as scale_factor
from chosen as c
left join rescaled as s on s.figure_id = c.figure_id and s.closeness = 1
;

-- node: model.edufigures.dq_regions_to_recheck
CREATE OR REPLACE TABLE dq.dq_regions_to_recheck AS
-- depends_on: "staging"."stg_documents"
select distinct coalesce(region_code, '') as region_key from "dq"."dq_figure_facts"
;

-- node: model.edufigures.fct_attainment
CREATE OR REPLACE TABLE marts.fct_attainment AS
SELECT
    CAST(figure_id AS text) AS figure_id,
    CAST(doc_id AS text) AS doc_id,
    CAST(doc_sha256 AS text) AS doc_sha256,
    CAST(ordinal AS integer) AS ordinal,
    CAST(region_code AS text) AS region_code,
    CAST(region_name AS text) AS region_name,
    CAST(region_level AS text) AS region_level,
    CAST(province_code AS text) AS province_code,
    CAST(province_name AS text) AS province_name,
    CAST(prefecture_code AS text) AS prefecture_code,
    CAST(prefecture_name AS text) AS prefecture_name,
    CAST(year AS integer) AS year,
    CAST(period_start AS integer) AS period_start,
    CAST(metric AS text) AS metric,
    CAST(domain AS text) AS domain,
    CAST(level AS text) AS level,
    CAST(kind AS text) AS kind,
    CAST(value AS double precision) AS value,
    CAST(unit AS text) AS unit,
    CAST(qualifier AS text) AS qualifier,
    CAST(scope AS text) AS scope,
    CAST(confidence AS double precision) AS confidence,
    CAST(yoy_change AS double precision) AS yoy_change,
    CAST(yoy_growth_pct AS double precision) AS yoy_growth_pct,
    CAST(evidence_text AS text) AS evidence_text,
    CAST(start_offset AS integer) AS start_offset,
    CAST(end_offset AS integer) AS end_offset,
    CAST(n_mentions AS integer) AS n_mentions,
    CAST(doc_url AS text) AS doc_url,
    CAST(doc_title AS text) AS doc_title,
    CAST(published_date AS date) AS published_date,
    CAST(loaded_at AS timestamp) AS loaded_at,
    CAST(dbt_invocation_id AS text) AS dbt_invocation_id
FROM (
-- depends_on: "staging"."stg_documents"
select
    figure_id,
    doc_id,
    doc_sha256,
    ordinal,
    region_code,
    region_name,
    region_level,
    province_code,
    province_name,
    prefecture_code,
    prefecture_name,
    year,
    period_start,
    metric,
    domain,
    level,
    kind,
    value,
    unit,
    qualifier,
    scope,
    confidence,
    yoy_change,
    yoy_growth_pct,
    evidence_text,
    start_offset,
    end_offset,
    n_mentions,
    doc_url,
    doc_title,
    published_date,
    doc_loaded_at as loaded_at,
    cast('anchor' as TEXT) as dbt_invocation_id
from "intermediate"."int_figures_deduplicated"
where kind = 'actual'
    and is_metric_known
    and is_level_known
    and domain = 'attainment'
)
;

-- node: model.edufigures.fct_enrollment
CREATE OR REPLACE TABLE marts.fct_enrollment AS
SELECT
    CAST(figure_id AS text) AS figure_id,
    CAST(doc_id AS text) AS doc_id,
    CAST(doc_sha256 AS text) AS doc_sha256,
    CAST(ordinal AS integer) AS ordinal,
    CAST(region_code AS text) AS region_code,
    CAST(region_name AS text) AS region_name,
    CAST(region_level AS text) AS region_level,
    CAST(province_code AS text) AS province_code,
    CAST(province_name AS text) AS province_name,
    CAST(prefecture_code AS text) AS prefecture_code,
    CAST(prefecture_name AS text) AS prefecture_name,
    CAST(year AS integer) AS year,
    CAST(period_start AS integer) AS period_start,
    CAST(metric AS text) AS metric,
    CAST(domain AS text) AS domain,
    CAST(level AS text) AS level,
    CAST(kind AS text) AS kind,
    CAST(value AS double precision) AS value,
    CAST(unit AS text) AS unit,
    CAST(qualifier AS text) AS qualifier,
    CAST(scope AS text) AS scope,
    CAST(confidence AS double precision) AS confidence,
    CAST(yoy_change AS double precision) AS yoy_change,
    CAST(yoy_growth_pct AS double precision) AS yoy_growth_pct,
    CAST(evidence_text AS text) AS evidence_text,
    CAST(start_offset AS integer) AS start_offset,
    CAST(end_offset AS integer) AS end_offset,
    CAST(n_mentions AS integer) AS n_mentions,
    CAST(doc_url AS text) AS doc_url,
    CAST(doc_title AS text) AS doc_title,
    CAST(published_date AS date) AS published_date,
    CAST(loaded_at AS timestamp) AS loaded_at,
    CAST(dbt_invocation_id AS text) AS dbt_invocation_id
FROM (
-- depends_on: "staging"."stg_documents"
select
    figure_id,
    doc_id,
    doc_sha256,
    ordinal,
    region_code,
    region_name,
    region_level,
    province_code,
    province_name,
    prefecture_code,
    prefecture_name,
    year,
    period_start,
    metric,
    domain,
    level,
    kind,
    value,
    unit,
    qualifier,
    scope,
    confidence,
    yoy_change,
    yoy_growth_pct,
    evidence_text,
    start_offset,
    end_offset,
    n_mentions,
    doc_url,
    doc_title,
    published_date,
    doc_loaded_at as loaded_at,
    cast('anchor' as TEXT) as dbt_invocation_id
from "intermediate"."int_figures_deduplicated"
where kind = 'actual'
    and is_metric_known
    and is_level_known
    and domain = 'enrollment'
)
;

-- node: model.edufigures.fct_funding
CREATE OR REPLACE TABLE marts.fct_funding AS
SELECT
    CAST(figure_id AS text) AS figure_id,
    CAST(doc_id AS text) AS doc_id,
    CAST(doc_sha256 AS text) AS doc_sha256,
    CAST(ordinal AS integer) AS ordinal,
    CAST(region_code AS text) AS region_code,
    CAST(region_name AS text) AS region_name,
    CAST(region_level AS text) AS region_level,
    CAST(province_code AS text) AS province_code,
    CAST(province_name AS text) AS province_name,
    CAST(prefecture_code AS text) AS prefecture_code,
    CAST(prefecture_name AS text) AS prefecture_name,
    CAST(year AS integer) AS year,
    CAST(period_start AS integer) AS period_start,
    CAST(metric AS text) AS metric,
    CAST(domain AS text) AS domain,
    CAST(level AS text) AS level,
    CAST(kind AS text) AS kind,
    CAST(value AS double precision) AS value,
    CAST(unit AS text) AS unit,
    CAST(qualifier AS text) AS qualifier,
    CAST(scope AS text) AS scope,
    CAST(confidence AS double precision) AS confidence,
    CAST(yoy_change AS double precision) AS yoy_change,
    CAST(yoy_growth_pct AS double precision) AS yoy_growth_pct,
    CAST(evidence_text AS text) AS evidence_text,
    CAST(start_offset AS integer) AS start_offset,
    CAST(end_offset AS integer) AS end_offset,
    CAST(n_mentions AS integer) AS n_mentions,
    CAST(doc_url AS text) AS doc_url,
    CAST(doc_title AS text) AS doc_title,
    CAST(published_date AS date) AS published_date,
    CAST(loaded_at AS timestamp) AS loaded_at,
    CAST(dbt_invocation_id AS text) AS dbt_invocation_id
FROM (
-- depends_on: "staging"."stg_documents"
select
    figure_id,
    doc_id,
    doc_sha256,
    ordinal,
    region_code,
    region_name,
    region_level,
    province_code,
    province_name,
    prefecture_code,
    prefecture_name,
    year,
    period_start,
    metric,
    domain,
    level,
    kind,
    value,
    unit,
    qualifier,
    scope,
    confidence,
    yoy_change,
    yoy_growth_pct,
    evidence_text,
    start_offset,
    end_offset,
    n_mentions,
    doc_url,
    doc_title,
    published_date,
    doc_loaded_at as loaded_at,
    cast('anchor' as TEXT) as dbt_invocation_id
from "intermediate"."int_figures_deduplicated"
where kind = 'actual'
    and is_metric_known
    and is_level_known
    and domain = 'funding'
)
;

-- node: model.edufigures.fct_staffing
CREATE OR REPLACE TABLE marts.fct_staffing AS
SELECT
    CAST(figure_id AS text) AS figure_id,
    CAST(doc_id AS text) AS doc_id,
    CAST(doc_sha256 AS text) AS doc_sha256,
    CAST(ordinal AS integer) AS ordinal,
    CAST(region_code AS text) AS region_code,
    CAST(region_name AS text) AS region_name,
    CAST(region_level AS text) AS region_level,
    CAST(province_code AS text) AS province_code,
    CAST(province_name AS text) AS province_name,
    CAST(prefecture_code AS text) AS prefecture_code,
    CAST(prefecture_name AS text) AS prefecture_name,
    CAST(year AS integer) AS year,
    CAST(period_start AS integer) AS period_start,
    CAST(metric AS text) AS metric,
    CAST(domain AS text) AS domain,
    CAST(level AS text) AS level,
    CAST(kind AS text) AS kind,
    CAST(value AS double precision) AS value,
    CAST(unit AS text) AS unit,
    CAST(qualifier AS text) AS qualifier,
    CAST(scope AS text) AS scope,
    CAST(confidence AS double precision) AS confidence,
    CAST(yoy_change AS double precision) AS yoy_change,
    CAST(yoy_growth_pct AS double precision) AS yoy_growth_pct,
    CAST(evidence_text AS text) AS evidence_text,
    CAST(start_offset AS integer) AS start_offset,
    CAST(end_offset AS integer) AS end_offset,
    CAST(n_mentions AS integer) AS n_mentions,
    CAST(doc_url AS text) AS doc_url,
    CAST(doc_title AS text) AS doc_title,
    CAST(published_date AS date) AS published_date,
    CAST(loaded_at AS timestamp) AS loaded_at,
    CAST(dbt_invocation_id AS text) AS dbt_invocation_id
FROM (
-- depends_on: "staging"."stg_documents"
select
    figure_id,
    doc_id,
    doc_sha256,
    ordinal,
    region_code,
    region_name,
    region_level,
    province_code,
    province_name,
    prefecture_code,
    prefecture_name,
    year,
    period_start,
    metric,
    domain,
    level,
    kind,
    value,
    unit,
    qualifier,
    scope,
    confidence,
    yoy_change,
    yoy_growth_pct,
    evidence_text,
    start_offset,
    end_offset,
    n_mentions,
    doc_url,
    doc_title,
    published_date,
    doc_loaded_at as loaded_at,
    cast('anchor' as TEXT) as dbt_invocation_id
from "intermediate"."int_figures_deduplicated"
where kind = 'actual'
    and is_metric_known
    and is_level_known
    and domain = 'staffing'
)
;

-- node: model.edufigures.fct_targets
CREATE OR REPLACE TABLE marts.fct_targets AS
SELECT
    CAST(figure_id AS text) AS figure_id,
    CAST(doc_id AS text) AS doc_id,
    CAST(doc_sha256 AS text) AS doc_sha256,
    CAST(ordinal AS integer) AS ordinal,
    CAST(region_code AS text) AS region_code,
    CAST(region_name AS text) AS region_name,
    CAST(region_level AS text) AS region_level,
    CAST(province_code AS text) AS province_code,
    CAST(province_name AS text) AS province_name,
    CAST(prefecture_code AS text) AS prefecture_code,
    CAST(prefecture_name AS text) AS prefecture_name,
    CAST(year AS integer) AS year,
    CAST(period_start AS integer) AS period_start,
    CAST(metric AS text) AS metric,
    CAST(domain AS text) AS domain,
    CAST(level AS text) AS level,
    CAST(kind AS text) AS kind,
    CAST(value AS double precision) AS value,
    CAST(unit AS text) AS unit,
    CAST(qualifier AS text) AS qualifier,
    CAST(scope AS text) AS scope,
    CAST(confidence AS double precision) AS confidence,
    CAST(yoy_change AS double precision) AS yoy_change,
    CAST(yoy_growth_pct AS double precision) AS yoy_growth_pct,
    CAST(evidence_text AS text) AS evidence_text,
    CAST(start_offset AS integer) AS start_offset,
    CAST(end_offset AS integer) AS end_offset,
    CAST(n_mentions AS integer) AS n_mentions,
    CAST(doc_url AS text) AS doc_url,
    CAST(doc_title AS text) AS doc_title,
    CAST(published_date AS date) AS published_date,
    CAST(loaded_at AS timestamp) AS loaded_at,
    CAST(dbt_invocation_id AS text) AS dbt_invocation_id
FROM (
-- depends_on: "staging"."stg_documents"
select
    figure_id,
    doc_id,
    doc_sha256,
    ordinal,
    region_code,
    region_name,
    region_level,
    province_code,
    province_name,
    prefecture_code,
    prefecture_name,
    year,
    period_start,
    metric,
    domain,
    level,
    kind,
    value,
    unit,
    qualifier,
    scope,
    confidence,
    yoy_change,
    yoy_growth_pct,
    evidence_text,
    start_offset,
    end_offset,
    n_mentions,
    doc_url,
    doc_title,
    published_date,
    doc_loaded_at as loaded_at,
    cast('anchor' as TEXT) as dbt_invocation_id
from "intermediate"."int_figures_deduplicated"
where kind = 'target'
    and is_metric_known
    and is_level_known
)
;

-- node: model.edufigures.dq_figures_to_check
CREATE OR REPLACE VIEW dq.dq_figures_to_check AS
with regions as (
    select region_key from "dq"."dq_regions_to_recheck"
),

documents as (
    select distinct doc_id
    from "dq"."dq_figure_facts"
    where coalesce(region_code, '') in (select region_key from regions)
)

select *
from "dq"."dq_figure_facts"
where doc_id in (select doc_id from documents)
;

-- node: model.edufigures.fct_best_value
CREATE OR REPLACE TABLE marts.fct_best_value AS
SELECT
    CAST(best_value_id AS text) AS best_value_id,
    CAST(value_key AS text) AS value_key,
    CAST(region_code AS text) AS region_code,
    CAST(region_name AS text) AS region_name,
    CAST(province_code AS text) AS province_code,
    CAST(province_name AS text) AS province_name,
    CAST(year AS integer) AS year,
    CAST(period_start AS integer) AS period_start,
    CAST(metric AS text) AS metric,
    CAST(domain AS text) AS domain,
    CAST(level AS text) AS level,
    CAST(kind AS text) AS kind,
    CAST(value AS double precision) AS value,
    CAST(unit AS text) AS unit,
    CAST(qualifier AS text) AS qualifier,
    CAST(figure_id AS text) AS figure_id,
    CAST(doc_id AS text) AS doc_id,
    CAST(authority_rank AS integer) AS authority_rank,
    CAST(published_date AS date) AS published_date,
    CAST(evidence_text AS text) AS evidence_text,
    CAST(doc_url AS text) AS doc_url,
    CAST(n_sources AS integer) AS n_sources,
    CAST(n_figures AS integer) AS n_figures,
    CAST(n_distinct_values AS integer) AS n_distinct_values,
    CAST(min_value AS double precision) AS min_value,
    CAST(max_value AS double precision) AS max_value,
    CAST(distinct_values AS text) AS distinct_values,
    CAST(has_conflict AS boolean) AS has_conflict,
    CAST(source_doc_ids AS text) AS source_doc_ids,
    CAST(sources_loaded_at AS timestamp) AS sources_loaded_at,
    CAST(dbt_invocation_id AS text) AS dbt_invocation_id,
    CAST(value_source AS text) AS value_source,
    CAST(document_value AS double precision) AS document_value,
    CAST(reviewed_by AS text) AS reviewed_by,
    CAST(reviewed_on AS date) AS reviewed_on,
    CAST(correction_source AS text) AS correction_source
FROM (
-- depends_on: "staging"."stg_documents"
with facts as (
    select * from "marts"."fct_funding"
    union all
    select * from "marts"."fct_staffing"
    union all
    select * from "marts"."fct_attainment"
    union all
    select * from "marts"."fct_enrollment"
    union all
    select * from "marts"."fct_targets"
),

keyed as (
    select
        facts.*,
        facts.region_code || '|' || cast(facts.year as TEXT) || '|' || facts.metric || '|' || facts.level || '|' || facts.kind || '|' || coalesce(cast(facts.period_start as TEXT), '') as value_key
    from facts
    where facts.region_code is not null
        and facts.year is not null
        and facts.scope is null
),

candidates as (
    select
        keyed.*,
        documents.authority_rank,
        documents.fetched_at
    from keyed
    inner join "marts"."dim_document" as documents
        on documents.doc_id = keyed.doc_id
),

ranked as (
    select
        candidates.*,
        row_number() over (
            partition by value_key
            order by
                authority_rank,
                published_date desc nulls last,
                fetched_at desc nulls last,
                doc_id,
                case when qualifier = 'exact' then 0 else 1 end,
                start_offset nulls last,
                figure_id
        ) as preference
    from candidates
),

distinct_values as (
    select distinct value_key, value
    from candidates
),

value_lists as (
    select
        value_key,
        
    string_agg(
        cast(value as TEXT),
        ' | '
        order by value
        ) as distinct_values
    from distinct_values
    group by value_key
),

distinct_sources as (
    select distinct value_key, doc_id
    from candidates
),

source_lists as (
    select
        value_key,
        '|' || 
    string_agg(
        doc_id,
        '|'
        order by doc_id
        ) || '|' as source_doc_ids
    from distinct_sources
    group by value_key
),

corrections as (
    select region_code, year, metric, level, kind, corrected_value, correction_source,
        reviewer, decided_at
    from (
        select
            decisions.*,
            row_number() over (
                partition by region_code, year, metric, level, kind
                order by decision_id desc
            ) as correction_rank
        from "intermediate"."int_review_decisions_in_force" as decisions
        where action = 'correct'
    ) as latest
    where correction_rank = 1
),

stats as (
    select
        value_key,
        count(distinct doc_id) as n_sources,
        count(*) as n_figures,
        count(distinct value) as n_distinct_values,
        min(value) as min_value,
        max(value) as max_value,
        max(loaded_at) as sources_loaded_at
    from candidates
    group by value_key
)

select
    md5(cast(ranked.value_key as TEXT)) as best_value_id,
    ranked.value_key,
    ranked.region_code,
    ranked.region_name,
    ranked.province_code,
    ranked.province_name,
    ranked.year,
    ranked.period_start,
    ranked.metric,
    ranked.domain,
    ranked.level,
    ranked.kind,
    coalesce(corrections.corrected_value, ranked.value) as value,
    ranked.unit,
    ranked.qualifier,
    ranked.figure_id,
    ranked.doc_id,
    ranked.authority_rank,
    ranked.published_date,
    ranked.evidence_text,
    ranked.doc_url,
    cast(stats.n_sources as integer) as n_sources,
    cast(stats.n_figures as integer) as n_figures,
    cast(stats.n_distinct_values as integer) as n_distinct_values,
    stats.min_value,
    stats.max_value,
    value_lists.distinct_values,
    stats.n_distinct_values > 1 as has_conflict,
    source_lists.source_doc_ids,
    stats.sources_loaded_at,
    cast('anchor' as TEXT) as dbt_invocation_id,
    case when corrections.corrected_value is null then 'document' else 'review' end as value_source,
    ranked.value as document_value,
    corrections.reviewer as reviewed_by,
    cast(corrections.decided_at as date) as reviewed_on,
    corrections.correction_source
from ranked
inner join stats
    on stats.value_key = ranked.value_key
inner join value_lists
    on value_lists.value_key = ranked.value_key
inner join source_lists
    on source_lists.value_key = ranked.value_key
left join corrections
    on corrections.region_code = ranked.region_code
    and corrections.year = ranked.year
    and corrections.metric = ranked.metric
    and corrections.level = ranked.level
    and corrections.kind = ranked.kind
where ranked.preference = 1
)
;

-- node: model.edufigures.dq_check_all_levels_ratio
CREATE OR REPLACE VIEW dq.dq_check_all_levels_ratio AS
with stated as (
    select
        doc_id, coalesce(region_code, '') as region_key, year, metric,
        min(figure_id) as figure_id, min(value) as value,
        any_value(region_code) as region_code, any_value(region_name) as region_name,
        any_value(province) as province
    from "dq"."dq_figures_to_check"
    where level_key = 'all' and period_start is null and qualifier = 'exact'
        and year is not null and kind = 'actual'
        and metric in ('students_enrolled', 'full_time_teachers')
    group by all
    having count(distinct value) = 1
),

envelope as (
    select
        min(soft_min) as soft_min, max(soft_max) as soft_max,
        min(hard_min) as hard_min, max(hard_max) as hard_max,
        string_agg(distinct source_title, '; ' order by source_title) as source_title
    from "seeds"."dq_plausibility_ranges"
    where measure = 'value' and metric = 'student_teacher_ratio' and level in (
        'preschool', 'primary', 'junior_secondary', 'general_senior_secondary',
        'secondary_vocational'
    )
)

select
    'all_levels_ratio' as check_name,
    s.doc_id || ':' || s.year as row_id,
    s.region_code, s.region_name, s.province,
    'student_teacher_ratio' as metric,
    '生师比' as metric_name_zh,
    'all' as level,
    s.year,
    'actual' as kind,
    [s.figure_id, t.figure_id] as figure_ids,
    s.value / t.value as measure,
    e.soft_min, e.soft_max, e.hard_min, e.hard_max,
    json_object(
        'derived', round(s.value / t.value, 4), 'numerator', s.value, 'denominator', t.value,
        'soft_min', e.soft_min, 'soft_max', e.soft_max, 'hard_min', e.hard_min,
        'hard_max', e.hard_max, 'source_title', e.source_title
    ) as values_json
from stated as s
inner join stated as t
    on t.doc_id = s.doc_id and t.region_key = s.region_key and t.year = s.year
    and t.metric = 'full_time_teachers'
cross join envelope as e
where s.metric = 'students_enrolled' and t.value > 0
;

-- node: model.edufigures.dq_check_annual_totals
CREATE OR REPLACE VIEW dq.dq_check_annual_totals AS
with facts as (
    select * from "dq"."dq_figures_to_check"
    where level_key = 'all' and year is not null and region_code is not null
        and metric in (
            'student_aid_funds', 'students_aided', 'student_loan_amount', 'capital_investment',
            'edu_it_investment', 'teacher_training_funds'
        )
        and coalesce(evidence_text, '') not like '%预算%'
),

document_totals as (
    select *, coalesce(period_start, -1) as period_key
    from facts
    qualify row_number() over (
        partition by doc_id, region_code, metric, year, kind, coalesce(period_start, -1)
        order by value desc, figure_id
    ) = 1
)

select
    'annual_totals' as check_name,
    region_code || ':' || metric || ':' || year || ':' || kind || ':' || period_key as row_id,
    region_code,
    any_value(region_name) as region_name,
    any_value(province) as province,
    metric,
    any_value(metric_name_zh) as metric_name_zh,
    'all' as level,
    year,
    kind,
    list(figure_id order by doc_id) as figure_ids,
    max(value_lo) - min(value_hi) as measure,
    json_object(
        'values', list_sort(list_distinct(list(value))), 'unit', any_value(unit),
        'documents', count(*), 'period_start', nullif(period_key, -1)
    ) as values_json
from document_totals
group by region_code, metric, year, kind, period_key
having count(*) > 1
;

-- node: model.edufigures.dq_check_conflicts
CREATE OR REPLACE VIEW dq.dq_check_conflicts AS
with facts as (
    select
        *,
        coalesce(period_start, -1) as period_key,
        coalesce(evidence_text like '%|%', false) as from_table,
        value_lo as lo,
        value_hi as hi
    from "dq"."dq_figures_to_check"
    where year is not null
        and (
            unit in ('percent', 'ratio')
            or metric like 'per\_student\_%' escape '\'
            or metric in (
                'edu_total_investment', 'edu_fiscal_investment', 'edu_general_budget_expenditure',
                'fiscal_expenditure_total', 'teacher_avg_income', 'students_enrolled', 'schools',
                'full_time_teachers', 'staff_total'
            )
        )
),

-- Lists are built for the groups that conflict only (max(lo) > min(hi)): a group whose
-- intervals share a point can never fail, and aggregating lists and scalars together for
-- every group spilled and took 100 s at 15 M figures.
within_document as (
    select
        doc_id, coalesce(region_code, '') as region_key, metric, level_key, year, kind,
        period_key,
        max(lo) as max_lo,
        min(hi) as min_hi,
        bool_or(from_table) and not bool_and(from_table) as text_against_table,
        any_value(region_code) as region_code, any_value(region_name) as region_name,
        any_value(province) as province, any_value(metric_name_zh) as metric_name_zh,
        any_value(unit) as unit
    from facts
    group by doc_id, coalesce(region_code, ''), metric, level_key, year, kind, period_key
    having count(*) > 1 and max(lo) > min(hi)
),

within_document_lists as (
    select
        f.doc_id, coalesce(f.region_code, '') as region_key, f.metric, f.level_key, f.year,
        f.kind, f.period_key,
        list(f.figure_id order by f.figure_id) as figure_ids,
        list(distinct f.value order by f.value) as distinct_values
    from facts as f
    semi join within_document as g
        on g.doc_id = f.doc_id and g.region_key = coalesce(f.region_code, '')
        and f.metric is not distinct from g.metric and f.level_key is not distinct from g.level_key and f.kind is not distinct from g.kind and f.year = g.year and f.period_key = g.period_key
    group by all
),

per_document as (
    select
        doc_id, region_code, metric, level_key, year, kind, period_key,
        min(lo) as lo, max(hi) as hi,
        any_value(region_name) as region_name, any_value(province) as province,
        any_value(metric_name_zh) as metric_name_zh, any_value(unit) as unit
    from facts
    where region_code is not null
    group by all
),

across_documents as (
    select
        region_code, metric, level_key, year, kind, period_key,
        max(lo) as max_lo,
        min(hi) as min_hi,
        any_value(region_name) as region_name, any_value(province) as province,
        any_value(metric_name_zh) as metric_name_zh, any_value(unit) as unit
    from per_document
    group by all
    having count(*) > 1 and max(lo) > min(hi)
),

across_documents_lists as (
    select
        f.region_code, f.metric, f.level_key, f.year, f.kind, f.period_key,
        list_sort(list(f.figure_id)) as figure_ids,
        list_sort(list_distinct(list(f.value))) as distinct_values
    from facts as f
    semi join across_documents as g
        on g.region_code = f.region_code
        and f.metric is not distinct from g.metric and f.level_key is not distinct from g.level_key and f.kind is not distinct from g.kind and f.year = g.year and f.period_key = g.period_key
    group by all
),

groups as (
    select
        'doc' as scope, g.doc_id as scope_key, g.region_key, g.metric, g.level_key, g.year,
        g.kind, g.period_key, g.max_lo, g.min_hi, g.text_against_table, l.figure_ids,
        l.distinct_values, g.region_code, g.region_name, g.province, g.metric_name_zh, g.unit
    from within_document as g
    inner join within_document_lists as l
        on l.doc_id = g.doc_id and l.region_key = g.region_key
        and l.metric is not distinct from g.metric and l.level_key is not distinct from g.level_key and l.kind is not distinct from g.kind and l.year = g.year and l.period_key = g.period_key
    union all
    select
        'region' as scope, g.region_code as scope_key, g.region_code as region_key, g.metric,
        g.level_key, g.year, g.kind, g.period_key, g.max_lo, g.min_hi,
        false as text_against_table, l.figure_ids, l.distinct_values, g.region_code,
        g.region_name, g.province, g.metric_name_zh, g.unit
    from across_documents as g
    inner join across_documents_lists as l
        on l.region_code = g.region_code
        and l.metric is not distinct from g.metric and l.level_key is not distinct from g.level_key and l.kind is not distinct from g.kind and l.year = g.year and l.period_key = g.period_key
)

select
    'conflicts' as check_name,
    scope || ':' || scope_key || ':' || region_key || ':' || metric || ':' || level_key || ':'
    || year || ':' || kind || ':' || period_key as row_id,
    region_code, region_name, province, metric, metric_name_zh,
    level_key as level, year, kind,
    figure_ids,
    max_lo - min_hi as measure,
    cast(null as double) as soft_min,
    0.0 as soft_max,
    cast(null as double) as hard_min,
    case when text_against_table then 0.0 end as hard_max,
    json_object(
        'values', distinct_values, 'unit', unit,
        'scope', case when scope = 'doc' then 'one document' else 'across documents' end,
        'period_start', nullif(period_key, -1)
    ) as values_json
from groups
;

-- node: model.edufigures.dq_check_derived_ratios
CREATE OR REPLACE VIEW dq.dq_check_derived_ratios AS
with facts as (
    select * from "dq"."dq_figures_to_check"
    where period_start is null and qualifier = 'exact' and year is not null and kind = 'actual'
),

stated as (
    select
        doc_id, coalesce(region_code, '') as region_key, year, metric, level_key,
        min(figure_id) as figure_id, min(value) as value, max(value_half_unit) as half_unit,
        any_value(region_code) as region_code, any_value(region_name) as region_name,
        any_value(province) as province, any_value(level) as level
    from facts
    group by all
    having count(distinct value) = 1
),

ratios as (
    select * from "seeds"."dq_plausibility_ranges"
    where measure = 'value' and metric in ('student_teacher_ratio', 'edu_share_of_fiscal_expenditure')
),

pairs as (
    select
        n.doc_id, n.region_code, n.region_name, n.province, n.year, n.level_key,
        'student_teacher_ratio' as ratio_metric,
        n.value / d.value as derived,
        [n.figure_id, d.figure_id] as figure_ids,
        n.value as numerator, d.value as denominator,
        cast(null as double) as stated_value, cast(null as double) as stated_half_unit
    from stated as n
    inner join stated as d
        on d.doc_id = n.doc_id and d.region_key = n.region_key and d.year = n.year
        and d.level_key = n.level_key and d.metric = 'full_time_teachers'
    where n.metric = 'students_enrolled' and d.value > 0
        -- special-education enrolment counts pupils in regular classes (随班就读) and home
        -- teaching, its teachers only the special schools': the two do not make a ratio
        and n.level_key <> 'special'
    union all
    select
        n.doc_id, n.region_code, n.region_name, n.province, n.year, n.level_key,
        'edu_share_of_fiscal_expenditure',
        100.0 * n.value / d.value,
        list_concat([n.figure_id, d.figure_id], case when s.figure_id is not null then [s.figure_id] else [] end),
        n.value, d.value, s.value, s.half_unit
    from stated as n
    inner join stated as d
        on d.doc_id = n.doc_id and d.region_key = n.region_key and d.year = n.year
        and d.metric = 'fiscal_expenditure_total'
    left join stated as s
        on s.doc_id = n.doc_id and s.region_key = n.region_key and s.year = n.year
        and s.metric = 'edu_share_of_fiscal_expenditure'
    where n.metric = 'edu_general_budget_expenditure' and n.level_key = 'all' and d.value > 0
),

ranged as (
    select
        p.*,
        r.soft_min, r.soft_max, r.hard_min, r.hard_max, r.basis, r.source_title,
        row_number() over (
            partition by p.doc_id, p.region_code, p.year, p.level_key, p.ratio_metric
            order by (r.level <> '*') desc, r.region_level, r.year nulls first, r.unit
        ) as specificity
    from pairs as p
    inner join ratios as r on r.metric = p.ratio_metric and r.level in (p.level_key, '*')
)

select
    'derived_ratios' as check_name,
    doc_id || ':' || ratio_metric || ':' || level_key || ':' || year as row_id,
    region_code, region_name, province, ratio_metric as metric,
    case when ratio_metric = 'student_teacher_ratio' then '生师比' else '教育支出占财政支出比例' end
        as metric_name_zh,
    level_key as level, year, 'actual' as kind,
    figure_ids,
    derived as measure,
    soft_min, soft_max, hard_min, hard_max,
    json_object(
        'derived', round(derived, 4), 'numerator', numerator, 'denominator', denominator,
        'ratio', ratio_metric, 'soft_min', soft_min, 'soft_max', soft_max,
        'hard_min', hard_min, 'hard_max', hard_max, 'basis', basis, 'source_title', source_title
    ) as values_json
from ranged
where specificity = 1

union all

select
    'derived_ratios',
    doc_id || ':stated_share:' || year,
    region_code, region_name, province, 'edu_share_of_fiscal_expenditure',
    '教育支出占财政支出比例', 'all', year, 'actual',
    figure_ids,
    derived - stated_value,
    -(0.5 + stated_half_unit),
    0.5 + stated_half_unit,
    null,
    null,
    json_object(
        'derived', round(derived, 4), 'stated', stated_value, 'numerator', numerator,
        'denominator', denominator, 'ratio', 'stated_share'
    )
from pairs
where ratio_metric = 'edu_share_of_fiscal_expenditure' and stated_value is not null
;

-- node: model.edufigures.dq_check_hard_bounds
CREATE OR REPLACE VIEW dq.dq_check_hard_bounds AS
select
    'hard_bounds' as check_name,
    figure_id as row_id,
    region_code, region_name, province, metric, metric_name_zh, level, year, kind,
    [figure_id] as figure_ids,
    value as measure,
    cast(null as double) as soft_min,
    cast(null as double) as soft_max,
    hard_min,
    hard_max,
    json_object('value', value, 'unit', unit, 'hard_min', hard_min, 'hard_max', hard_max)
        as values_json
from "dq"."dq_figures_to_check"
where hard_min is not null or hard_max is not null
;

-- node: model.edufigures.dq_check_parts_totals
CREATE OR REPLACE VIEW dq.dq_check_parts_totals AS
with facts as (
    select * from "dq"."dq_figures_to_check"
    where period_start is null and qualifier = 'exact' and year is not null
),

stated as (
    select
        doc_id, coalesce(region_code, '') as region_key, year, kind, metric, level_key,
        min(figure_id) as figure_id,
        min(value) as value,
        max(value_half_unit) as half_unit,
        any_value(region_code) as region_code, any_value(region_name) as region_name,
        any_value(province) as province, any_value(metric_name_zh) as metric_name_zh,
        any_value(unit) as unit
    from facts
    group by all
    having count(distinct value) = 1
),

level_sums as (
    select * from (values
        ('compulsory', 'primary', 'junior_secondary', 'equal'),
        ('all', 'primary', 'junior_secondary', 'at_most'),
        ('senior_secondary', 'general_senior_secondary', 'secondary_vocational', 'equal')
    ) as t (total_level, part_a, part_b, relation)
),

level_checks as (
    select
        t.doc_id, t.region_code, t.region_name, t.province, t.metric, t.metric_name_zh,
        t.level_key as level, t.year, t.kind, t.unit,
        [t.figure_id, a.figure_id, b.figure_id] as figure_ids,
        t.value as total, a.value + b.value as parts_sum,
        t.half_unit + a.half_unit + b.half_unit as tolerance,
        s.relation,
        s.part_a || '+' || s.part_b as parts
    from level_sums as s
    inner join stated as t on t.level_key = s.total_level
    inner join stated as a
        on a.level_key = s.part_a and a.doc_id = t.doc_id and a.region_key = t.region_key
        and a.year = t.year and a.kind = t.kind and a.metric = t.metric
    inner join stated as b
        on b.level_key = s.part_b and b.doc_id = t.doc_id and b.region_key = t.region_key
        and b.year = t.year and b.kind = t.kind and b.metric = t.metric
    where t.metric in ('students_enrolled', 'schools', 'full_time_teachers', 'staff_total')
),

metric_parts as (
    select * from (values
        ('edu_total_investment', 'edu_fiscal_investment'),
        ('edu_fiscal_investment', 'edu_general_budget_expenditure'),
        ('per_student_general_budget_expenditure', 'per_student_operating_expenditure'),
        ('per_student_operating_expenditure', 'per_student_public_funds')
    ) as t (total_metric, part_metric)
),

metric_checks as (
    select
        t.doc_id, t.region_code, t.region_name, t.province, t.metric, t.metric_name_zh,
        t.level_key as level, t.year, t.kind, t.unit,
        [t.figure_id, p.figure_id] as figure_ids,
        t.value as total, p.value as parts_sum,
        t.half_unit + p.half_unit as tolerance,
        'at_most' as relation,
        p.metric as parts
    from metric_parts as m
    inner join stated as t on t.metric = m.total_metric
    inner join stated as p
        on p.metric = m.part_metric and p.doc_id = t.doc_id and p.region_key = t.region_key
        and p.year = t.year and p.kind = t.kind and p.level_key = t.level_key
),

flows as (
    select
        doc_id, coalesce(region_code, '') as region_key, year, kind, metric, level_key,
        -- money of a level's programmes adds up; pupils aided may get several programmes
        -- (助学金 and 免学费), so the largest programme is what a level certainly adds
        case when any_value(metric) = 'students_aided' then max(value)
            else sum(distinct value) end as value,
        max(value_half_unit) as half_unit,
        list(figure_id order by figure_id) as figure_ids,
        any_value(region_code) as region_code, any_value(region_name) as region_name,
        any_value(province) as province, any_value(metric_name_zh) as metric_name_zh,
        any_value(unit) as unit
    from facts
    where metric in ('students_aided', 'student_aid_funds', 'schools')
    group by all
),

by_level as (
    select
        doc_id, region_key, year, kind, metric,
        any_value(region_code) as region_code, any_value(region_name) as region_name,
        any_value(province) as province, any_value(metric_name_zh) as metric_name_zh,
        any_value(unit) as unit,
        -- the total's figures first ('all' sorts first): its sentence is the flag's evidence
        flatten(list(figure_ids order by level_key)) as figure_ids,
        max(value) filter (where level_key = 'all') as total,
        max(half_unit) filter (where level_key = 'all') as total_half_unit,
        count(*) filter (where level_key <> 'all') as n_parts,
        sum(half_unit) filter (where level_key <> 'all') as parts_half_units,
        coalesce(max(value) filter (where level_key = 'preschool'), 0)
        * (metric <> 'schools')::int
        + coalesce(
            max(value) filter (where level_key = 'primary')
            + max(value) filter (where level_key = 'junior_secondary'),
            max(value) filter (where level_key = 'compulsory'),
            max(value) filter (where level_key = 'primary'),
            max(value) filter (where level_key = 'junior_secondary'), 0)
        + coalesce(
            max(value) filter (where level_key = 'general_senior_secondary')
            + max(value) filter (where level_key = 'secondary_vocational'),
            max(value) filter (where level_key = 'senior_secondary'),
            max(value) filter (where level_key = 'general_senior_secondary'),
            max(value) filter (where level_key = 'secondary_vocational'), 0)
        + coalesce(max(value) filter (where level_key = 'special'), 0)
        + coalesce(max(value) filter (where level_key = 'higher'), 0) as parts_sum
    from flows
    group by doc_id, region_key, year, kind, metric
),

flow_checks as (
    select
        doc_id, region_code, region_name, province, metric, metric_name_zh,
        'all' as level, year, kind, unit, figure_ids, total, parts_sum,
        total_half_unit + parts_half_units as tolerance,
        case when metric = 'schools' then 'at_most_warning' else 'at_most' end as relation,
        'levels' as parts
    from by_level
    where total is not null and n_parts >= 2
),

checks as (
    select * from level_checks
    union all
    select * from metric_checks
    union all
    select * from flow_checks
)

select
    'parts_totals' as check_name,
    doc_id || ':' || metric || ':' || level || ':' || year || ':' || kind || ':' || parts as row_id,
    region_code, region_name, province, metric, metric_name_zh, level, year, kind,
    figure_ids,
    total - parts_sum as measure,
    case when relation = 'at_most_warning' then -tolerance end as soft_min,
    cast(null as double) as soft_max,
    case when relation <> 'at_most_warning' then -tolerance end as hard_min,
    case when relation = 'equal' then tolerance end as hard_max,
    json_object(
        'total', total, 'parts_sum', parts_sum, 'parts', parts,
        'relation', replace(relation, '_warning', ''),
        'unit', unit, 'tolerance', tolerance
    ) as values_json
from checks
;

-- node: model.edufigures.dq_check_plausibility
CREATE OR REPLACE VIEW dq.dq_check_plausibility AS
select
    'plausibility' as check_name,
    f.figure_id as row_id,
    f.region_code, f.region_name, f.province, f.metric, f.metric_name_zh, f.level, f.year, f.kind,
    [f.figure_id] as figure_ids,
    f.value as measure,
    r.soft_min,
    r.soft_max,
    r.hard_min,
    r.hard_max,
    json_object(
        'value', f.value, 'unit', f.unit, 'soft_min', r.soft_min, 'soft_max', r.soft_max,
        'hard_min', r.hard_min, 'hard_max', r.hard_max, 'national_value', r.national_value,
        'basis', r.basis, 'source_title', r.source_title, 'source_url', r.source_url
    ) as values_json
from "dq"."dq_figures_to_check" as f
inner join "dq"."dq_figure_ranges" as r on r.figure_id = f.figure_id
where r.scale_factor is null
    and f.value >= coalesce(f.hard_min, f.value)
    and f.value <= coalesce(f.hard_max, f.value)
;

-- node: model.edufigures.dq_check_pp_amounts
CREATE OR REPLACE VIEW dq.dq_check_pp_amounts AS
with facts as (
    select
        *,
        list_transform(
            regexp_extract_all(evidence_text, '([0-9]+(?:\.[0-9]+)?)\s*个百分点', 1),
            lambda x: cast(x as double)
        ) as pp_numbers
    from "dq"."dq_figures_to_check"
    where unit not in ('percent', 'ratio')
        and (yoy_growth_pct is not null or yoy_change is not null)
)

select
    'pp_amounts' as check_name,
    figure_id as row_id,
    region_code, region_name, province, metric, metric_name_zh, level, year, kind,
    [figure_id] as figure_ids,
    case
        when list_contains(pp_numbers, abs(yoy_growth_pct))
            or list_contains(pp_numbers, abs(yoy_change)) then 1.0
        else 0.0
    end as measure,
    cast(null as double) as soft_min,
    0.0 as soft_max,
    cast(null as double) as hard_min,
    cast(null as double) as hard_max,
    json_object(
        'value', value, 'unit', unit, 'yoy_growth_pct', yoy_growth_pct, 'yoy_change', yoy_change
    ) as values_json
from facts
;

-- node: model.edufigures.dq_check_stated_growth
CREATE OR REPLACE VIEW dq.dq_check_stated_growth AS
with facts as (
    select * from "dq"."dq_figures_to_check"
),

within_clause as (
    select
        f.*,
        100.0 * (f.value / (f.value - f.yoy_change) - 1) as implied_growth_pct,
        0.1 + f.growth_half_unit
        + 100.0 * (abs(f.yoy_change) * f.value_half_unit + abs(f.value) * f.change_half_unit)
        / pow(f.value - f.yoy_change, 2) as tolerance_pp
    from facts as f
    where f.yoy_change is not null
        and f.yoy_growth_pct is not null
        and f.value - f.yoy_change > 0
),

previous as (
    select
        f.figure_id,
        p.figure_id as previous_figure_id,
        p.value as previous_value,
        p.value_half_unit as previous_half_unit,
        100.0 * (f.value / p.value - 1) as implied_growth_pct,
        f.value - p.value as implied_change
    from facts as f
    inner join facts as p
        on p.region_code = f.region_code
        and p.metric = f.metric
        and p.level_key = f.level_key
        and p.year = f.year - 1
        and p.kind = 'actual'
        and p.qualifier = 'exact'
        and p.period_start is null
        and p.value > 0
    where f.kind = 'actual'
        and f.period_start is null
        and (f.yoy_growth_pct is not null or f.yoy_change is not null)
),

growth_vs_previous as (
    select
        f.*,
        p.previous_figure_id,
        p.previous_value,
        p.implied_growth_pct,
        0.1 + f.growth_half_unit
        + 100.0 * (f.value_half_unit + abs(f.value) * p.previous_half_unit / p.previous_value)
        / p.previous_value as tolerance_pp,
        row_number() over (
            partition by f.figure_id
            -- the same previous value stated twice (text and table): the lower id, every run
            order by abs(p.implied_growth_pct - f.yoy_growth_pct), p.previous_figure_id
        ) as closeness
    from facts as f
    inner join previous as p on p.figure_id = f.figure_id
    where f.yoy_growth_pct is not null
),

change_vs_previous as (
    select
        f.*,
        p.previous_figure_id,
        p.previous_value,
        p.implied_change,
        f.value_half_unit + p.previous_half_unit + f.change_half_unit as tolerance,
        row_number() over (
            partition by f.figure_id
            order by abs(p.implied_change - f.yoy_change), p.previous_figure_id
        ) as closeness
    from facts as f
    inner join previous as p on p.figure_id = f.figure_id
    where f.yoy_change is not null
)

select
    'stated_growth' as check_name,
    figure_id || ':clause' as row_id,
    region_code, region_name, province, metric, metric_name_zh, level, year, kind,
    [figure_id] as figure_ids,
    implied_growth_pct - yoy_growth_pct as measure,
    cast(null as double) as soft_min,
    cast(null as double) as soft_max,
    -tolerance_pp as hard_min,
    tolerance_pp as hard_max,
    json_object(
        'comparison', 'clause', 'value', value, 'unit', unit, 'yoy_change', yoy_change,
        'yoy_growth_pct', yoy_growth_pct, 'implied_growth_pct', round(implied_growth_pct, 4),
        'tolerance_pp', round(tolerance_pp, 4)
    ) as values_json
from within_clause

union all

select
    'stated_growth',
    figure_id || ':previous_growth',
    region_code, region_name, province, metric, metric_name_zh, level, year, kind,
    [figure_id, previous_figure_id],
    implied_growth_pct - yoy_growth_pct,
    -tolerance_pp,
    tolerance_pp,
    null,
    null,
    json_object(
        'comparison', 'previous_growth', 'value', value, 'unit', unit,
        'previous_value', previous_value, 'yoy_growth_pct', yoy_growth_pct,
        'implied_growth_pct', round(implied_growth_pct, 4), 'tolerance_pp', round(tolerance_pp, 4)
    )
from growth_vs_previous
where closeness = 1

union all

select
    'stated_growth',
    figure_id || ':previous_change',
    region_code, region_name, province, metric, metric_name_zh, level, year, kind,
    [figure_id, previous_figure_id],
    implied_change - yoy_change,
    -tolerance,
    tolerance,
    null,
    null,
    json_object(
        'comparison', 'previous_change', 'value', value, 'unit', unit,
        'previous_value', previous_value, 'yoy_change', yoy_change,
        'implied_change', implied_change, 'tolerance', tolerance
    )
from change_vs_previous
where closeness = 1
;

-- node: model.edufigures.dq_check_targets_baseline
CREATE OR REPLACE VIEW dq.dq_check_targets_baseline AS
with facts as (
    select * from "dq"."dq_figures_to_check"
    where period_start is null and year is not null and region_code is not null
),

targets as (
    select * from facts
    where kind = 'target' and direction = 'higher_better' and qualifier in ('exact', 'approx')
        and metric <> 'new_school_places'
),

baselines as (
    select
        t.figure_id,
        b.year as baseline_year,
        b.value as baseline_value,
        b.figure_id as baseline_figure_id,
        b.value_half_unit as baseline_half_unit,
        row_number() over (
            partition by t.figure_id order by b.year desc, b.value, b.figure_id
        ) as pick
    from targets as t
    inner join facts as b
        on b.region_code = t.region_code and b.metric = t.metric and b.level_key = t.level_key
        and b.kind = 'actual' and b.qualifier in ('exact', 'approx', 'at_least')
        and b.year < t.year and b.year >= t.year - 10
)

select
    'targets_baseline' as check_name,
    t.figure_id as row_id,
    t.region_code, t.region_name, t.province, t.metric, t.metric_name_zh, t.level, t.year,
    t.kind,
    [b.baseline_figure_id, t.figure_id] as figure_ids,
    t.value - b.baseline_value as measure,
    -(t.value_half_unit + b.baseline_half_unit) as soft_min,
    cast(null as double) as soft_max,
    cast(null as double) as hard_min,
    cast(null as double) as hard_max,
    json_object(
        'target', t.value, 'target_year', t.year, 'baseline', b.baseline_value,
        'baseline_year', b.baseline_year, 'unit', t.unit
    ) as values_json
from targets as t
inner join baselines as b on b.figure_id = t.figure_id and b.pick = 1
;

-- node: model.edufigures.dq_check_unit_scale
CREATE OR REPLACE VIEW dq.dq_check_unit_scale AS
with facts as (
    -- only the columns used: read three times, this CTE is materialized
    select
        figure_id, doc_id, region_code, region_name, province, metric, metric_name_zh,
        level, level_key, year, kind, value, unit
    from "dq"."dq_figures_to_check"
),

by_range as (
    select
        f.figure_id, f.value, f.unit, r.scale_factor,
        f.value as measure, r.hard_min, r.hard_max,
        r.soft_min as ref_low, r.soft_max as ref_high, r.source_title,
        1 as priority
    from facts as f
    inner join "dq"."dq_figure_ranges" as r on r.figure_id = f.figure_id
    where r.scale_factor is not null
),

-- the median as a window aggregate, partition by partition on sorted rows that spill: as a
-- group-by aggregate its state held every sibling value in memory and ran out of a 1 GB
-- ceiling at 4 M figures
sibling_medians as (
    select
        f.figure_id, f.value, f.unit,
        median(o.value) over siblings as sibling_median,
        count(*) over siblings as sibling_count
    from facts as f
    inner join facts as o
        on o.doc_id = f.doc_id and o.metric = f.metric and o.year = f.year
        and o.kind = f.kind and o.figure_id <> f.figure_id and o.level_key <> f.level_key
        and o.level_key <> 'all' and o.value > 0
    where f.unit = 'yuan' and f.level_key <> 'all' and f.value > 0
    window siblings as (partition by f.figure_id)
),

siblings as (
    select figure_id, value, unit, any_value(sibling_median) as sibling_median
    from sibling_medians
    where sibling_count >= 2
    group by figure_id, value, unit
),

by_siblings as (
    select
        s.figure_id, s.value, s.unit, x.factor as scale_factor,
        s.value / s.sibling_median as measure, 1e-3 as hard_min, 1e3 as hard_max,
        s.sibling_median as ref_low, s.sibling_median as ref_high,
        cast(null as varchar) as source_title,
        2 as priority
    from siblings as s
    cross join (values (1e4), (1e8), (1e-4), (1e-8)) as x (factor)
    where abs(ln(s.value / s.sibling_median)) > ln(1000)
        and abs(ln(s.value * x.factor / s.sibling_median)) < ln(10)
),

-- each side has at most one row per figure (one chosen range; sibling factors are 10^4
-- apart); an anti-join, as a window over their union spilled 70 GB at 15 M figures
found as (
    select * from by_range
    union all
    select * from by_siblings where figure_id not in (select figure_id from by_range)
)

select
    'unit_scale' as check_name,
    f.figure_id as row_id,
    f.region_code, f.region_name, f.province, f.metric, f.metric_name_zh, f.level, f.year, f.kind,
    [f.figure_id] as figure_ids,
    u.measure,
    cast(null as double) as soft_min,
    cast(null as double) as soft_max,
    u.hard_min,
    u.hard_max,
    json_object(
        'value', f.value, 'unit', f.unit, 'scale_factor', u.scale_factor,
        'rescaled', f.value * u.scale_factor, 'ref_low', u.ref_low, 'ref_high', u.ref_high,
        'source_title', u.source_title,
        'detected_by', case when u.priority = 1 then 'range' else 'siblings' end
    ) as values_json
from facts as f
inner join found as u on u.figure_id = f.figure_id
;

-- node: model.edufigures.dq_check_yoy_jumps
CREATE OR REPLACE VIEW dq.dq_check_yoy_jumps AS
with facts as (
    select * from "dq"."dq_figures_to_check"
    where kind = 'actual' and period_start is null and year is not null
        and region_code is not null and qualifier in ('exact', 'approx')
),

-- one row per region, metric, level and year. The medians are window aggregates, computed
-- partition by partition on sorted rows that spill; as group-by aggregates their states
-- held every value in memory (~700 MB at 4 M figures). The figure lists are gathered at the
-- end, for the rows asked for: carried through the joins for every row they took 60 s and
-- ~15 GB of spill at 15 M figures.
yearly_medians as (
    select
        region_code, metric, level_key, year, region_name, province, metric_name_zh, level,
        unit,
        median(value) over yearly as value,
        median(yoy_growth_pct) over yearly as stated_growth_pct,
        median(yoy_change) over yearly as stated_change
    from facts
    window yearly as (partition by region_code, metric, level_key, year)
),

yearly as (
    select
        region_code, metric, level_key, year,
        any_value(value) as value,
        any_value(region_name) as region_name, any_value(province) as province,
        any_value(metric_name_zh) as metric_name_zh, any_value(level) as level,
        any_value(unit) as unit,
        any_value(stated_growth_pct) as stated_growth_pct,
        any_value(stated_change) as stated_change
    from yearly_medians
    group by region_code, metric, level_key, year
),

-- the range a metric and level's jumps are held to: picked on the few (metric, level)
-- pairs, since a window over the yearly rows (then carrying figure lists) spilled tens of
-- GB at 15 M figures
ranges as (
    select
        pairs.metric, pairs.level_key, r.* exclude (metric),
        row_number() over (
            partition by pairs.metric, pairs.level_key
            order by (r.level <> '*') desc, r.measure, r.region_level, r.year nulls first, r.unit
        ) as specificity
    from (select distinct metric, level_key from yearly) as pairs
    inner join "seeds"."dq_plausibility_ranges" as r
        on r.metric = pairs.metric and r.level in (pairs.level_key, '*')
    where r.measure in ('yoy_growth_pct', 'yoy_change_pp')
),

jumps as (
    select
        c.*,
        r.measure as jump_measure,
        p.value as previous_value,
        case
            when r.measure = 'yoy_change_pp' and p.value is not null then c.value - p.value
            when r.measure = 'yoy_change_pp' then c.stated_change
            when p.value > 0 then 100.0 * (c.value / p.value - 1)
            else c.stated_growth_pct
        end as jump,
        case when p.value is not null then 'warehouse' else 'stated' end as jump_source,
        r.soft_min, r.soft_max, r.hard_min, r.hard_max, r.basis, r.source_title
    from yearly as c
    inner join ranges as r
        on r.metric = c.metric and r.level_key = c.level_key and r.specificity = 1
    left join yearly as p
        on p.region_code = c.region_code and p.metric = c.metric
        and p.level_key = c.level_key and p.year = c.year - 1
)

-- grouped by every column of a jump, so a filter on the measure (the failing rows of
-- macros/failing_check_rows.sql) reaches the jumps before any list is built
select
    'yoy_jumps' as check_name,
    j.region_code || ':' || j.metric || ':' || j.level_key || ':' || j.year as row_id,
    j.region_code, j.region_name, j.province, j.metric, j.metric_name_zh,
    j.level_key as level, j.year,
    'actual' as kind,
    list(f.figure_id order by f.year, f.figure_id) as figure_ids,
    j.jump as measure,
    j.soft_min, j.soft_max, j.hard_min, j.hard_max,
    json_object(
        'value', j.value, 'previous_value', j.previous_value, 'unit', j.unit,
        'jump', round(j.jump, 4), 'jump_measure', j.jump_measure, 'jump_source', j.jump_source,
        'soft_min', j.soft_min, 'soft_max', j.soft_max, 'hard_min', j.hard_min,
        'hard_max', j.hard_max, 'basis', j.basis, 'source_title', j.source_title
    ) as values_json
from jumps as j
inner join facts as f
    on f.region_code = j.region_code and f.metric = j.metric and f.level_key = j.level_key
    and (f.year = j.year or (f.year = j.year - 1 and j.previous_value is not null))
where j.jump is not null
group by all
;

-- node: model.edufigures.fct_best_value_sources
CREATE OR REPLACE TABLE marts.fct_best_value_sources AS
SELECT
    CAST(value_key AS text) AS value_key,
    CAST(doc_id AS text) AS doc_id,
    CAST(loaded_at AS timestamp) AS loaded_at
FROM (
with sources as (
    select
        value_key,
        unnest(string_to_array(source_doc_ids, '|')) as doc_id
    from "marts"."fct_best_value"
)

select
    sources.value_key,
    sources.doc_id,
    documents.loaded_at
from sources
inner join "staging"."stg_documents" as documents
    on documents.doc_id = sources.doc_id
)
;

-- node: model.edufigures.dq_check_breakdowns
CREATE OR REPLACE VIEW dq.dq_check_breakdowns AS
with facts as (
    select * from "dq"."dq_figures_to_check"
    where evidence_text like '%其中%' and year is not null and period_start is null
        and qualifier = 'exact' and unit not in ('percent', 'ratio')
        and metric not like 'per\_student\_%' escape '\'
),

levels as (
    select code, parent_code, name_zh, sort_order from "seeds"."education_levels"
),

parts as (
    select t.figure_id as total_id, p.level, l.parent_code, l.name_zh, l.sort_order,
        max(p.value) as value, min(p.figure_id) as figure_id
    from facts as t
    inner join facts as p
        on p.doc_id = t.doc_id and p.evidence_text = t.evidence_text and p.metric = t.metric
        and p.year = t.year and p.kind = t.kind
        and coalesce(p.region_code, '') = coalesce(t.region_code, '')
    inner join levels as l on l.code = p.level
    where (t.level = 'all' and p.level <> 'all') or l.parent_code = t.level
    group by all
),

counted as (
    select * from parts as c
    where not exists (
        select 1 from parts as o where o.total_id = c.total_id and o.level = c.parent_code
    )
),

breakdowns as (
    select
        total_id,
        sum(value) as parts_sum,
        list(figure_id order by sort_order) as part_ids,
        string_agg(name_zh, '、' order by sort_order) as part_names_zh,
        string_agg(level, ', ' order by sort_order) as part_levels
    from counted
    group by total_id
    having count(*) >= 2
)

select
    'breakdowns' as check_name,
    t.figure_id as row_id,
    t.region_code, t.region_name, t.province, t.metric, t.metric_name_zh, t.level, t.year,
    t.kind,
    list_prepend(t.figure_id, b.part_ids) as figure_ids,
    b.parts_sum / t.value as measure,
    json_object(
        'total', t.value, 'parts_sum', b.parts_sum, 'unit', t.unit,
        'share_pct', round(100 * b.parts_sum / t.value, 1),
        'part_names_zh', b.part_names_zh, 'part_levels', b.part_levels
    ) as values_json
from facts as t
inner join breakdowns as b on b.total_id = t.figure_id
where t.value > 0
    and not exists (
        select 1 from "dq"."dq_check_parts_totals" as equal
        where equal.figure_ids[1] = t.figure_id and equal.values_json ->> 'relation' = 'equal'
    )
;

-- node: model.edufigures.dq_failing_all_levels_ratio
CREATE OR REPLACE TABLE dq.dq_failing_all_levels_ratio AS
-- depends_on: "dq"."dq_regions_to_recheck"
with candidates as (
    select
        check_name, row_id, region_code, region_name, province, metric, metric_name_zh,
        level, year, kind, figure_ids,
        cast(measure as double) as measure,
        cast(soft_min as double) as soft_min,
        cast(soft_max as double) as soft_max,
        cast(hard_min as double) as hard_min,
        cast(hard_max as double) as hard_max,
        cast(values_json as varchar) as values_json
    from "dq"."dq_check_all_levels_ratio"
    where true
),

failing as (
    select
        *,
        case
            when measure < hard_min or measure > hard_max then 'error'
            else 'warning'
        end as severity
    from candidates
    where measure < hard_min or measure > hard_max or measure < soft_min or measure > soft_max
)

select
    c.check_name || ':' || c.row_id as check_row_id,
    c.* exclude (figure_ids),
    array_to_string(c.figure_ids, ',') as figure_ids,
    left(f.evidence_text, 200) as evidence_text
from failing as c
left join "dq"."dq_figure_facts" as f on f.figure_id = c.figure_ids[1]
;

-- node: model.edufigures.dq_failing_annual_totals
CREATE OR REPLACE TABLE dq.dq_failing_annual_totals AS
-- depends_on: "dq"."dq_regions_to_recheck"
with candidates as (
    select
        check_name, row_id, region_code, region_name, province, metric, metric_name_zh,
        level, year, kind, figure_ids,
        cast(measure as double) as measure,
        cast(null as double) as soft_min,
        cast(0.0 as double) as soft_max,
        cast(null as double) as hard_min,
        cast(null as double) as hard_max,
        cast(values_json as varchar) as values_json
    from "dq"."dq_check_annual_totals"
    where true
),

failing as (
    select
        *,
        case
            when measure < hard_min or measure > hard_max then 'error'
            else 'warning'
        end as severity
    from candidates
    where measure < hard_min or measure > hard_max or measure < soft_min or measure > soft_max
)

select
    c.check_name || ':' || c.row_id as check_row_id,
    c.* exclude (figure_ids),
    array_to_string(c.figure_ids, ',') as figure_ids,
    left(f.evidence_text, 200) as evidence_text
from failing as c
left join "dq"."dq_figure_facts" as f on f.figure_id = c.figure_ids[1]
;

-- node: model.edufigures.dq_failing_conflicts
CREATE OR REPLACE TABLE dq.dq_failing_conflicts AS
-- depends_on: "dq"."dq_regions_to_recheck"
with candidates as (
    select
        check_name, row_id, region_code, region_name, province, metric, metric_name_zh,
        level, year, kind, figure_ids,
        cast(measure as double) as measure,
        cast(null as double) as soft_min,
        cast(soft_max as double) as soft_max,
        cast(null as double) as hard_min,
        cast(hard_max as double) as hard_max,
        cast(values_json as varchar) as values_json
    from "dq"."dq_check_conflicts"
    where true
),

failing as (
    select
        *,
        case
            when measure < hard_min or measure > hard_max then 'error'
            else 'warning'
        end as severity
    from candidates
    where measure < hard_min or measure > hard_max or measure < soft_min or measure > soft_max
)

select
    c.check_name || ':' || c.row_id as check_row_id,
    c.* exclude (figure_ids),
    array_to_string(c.figure_ids, ',') as figure_ids,
    left(f.evidence_text, 200) as evidence_text
from failing as c
left join "dq"."dq_figure_facts" as f on f.figure_id = c.figure_ids[1]
;

-- node: model.edufigures.dq_failing_derived_ratios
CREATE OR REPLACE TABLE dq.dq_failing_derived_ratios AS
-- depends_on: "dq"."dq_regions_to_recheck"
with candidates as (
    select
        check_name, row_id, region_code, region_name, province, metric, metric_name_zh,
        level, year, kind, figure_ids,
        cast(measure as double) as measure,
        cast(soft_min as double) as soft_min,
        cast(soft_max as double) as soft_max,
        cast(hard_min as double) as hard_min,
        cast(hard_max as double) as hard_max,
        cast(values_json as varchar) as values_json
    from "dq"."dq_check_derived_ratios"
    where true
),

failing as (
    select
        *,
        case
            when measure < hard_min or measure > hard_max then 'error'
            else 'warning'
        end as severity
    from candidates
    where measure < hard_min or measure > hard_max or measure < soft_min or measure > soft_max
)

select
    c.check_name || ':' || c.row_id as check_row_id,
    c.* exclude (figure_ids),
    array_to_string(c.figure_ids, ',') as figure_ids,
    left(f.evidence_text, 200) as evidence_text
from failing as c
left join "dq"."dq_figure_facts" as f on f.figure_id = c.figure_ids[1]
;

-- node: model.edufigures.dq_failing_hard_bounds
CREATE OR REPLACE TABLE dq.dq_failing_hard_bounds AS
-- depends_on: "dq"."dq_regions_to_recheck"
with candidates as (
    select
        check_name, row_id, region_code, region_name, province, metric, metric_name_zh,
        level, year, kind, figure_ids,
        cast(measure as double) as measure,
        cast(null as double) as soft_min,
        cast(null as double) as soft_max,
        cast(hard_min as double) as hard_min,
        cast(hard_max as double) as hard_max,
        cast(values_json as varchar) as values_json
    from "dq"."dq_check_hard_bounds"
    where true
),

failing as (
    select
        *,
        case
            when measure < hard_min or measure > hard_max then 'error'
            else 'warning'
        end as severity
    from candidates
    where measure < hard_min or measure > hard_max or measure < soft_min or measure > soft_max
)

select
    c.check_name || ':' || c.row_id as check_row_id,
    c.* exclude (figure_ids),
    array_to_string(c.figure_ids, ',') as figure_ids,
    left(f.evidence_text, 200) as evidence_text
from failing as c
left join "dq"."dq_figure_facts" as f on f.figure_id = c.figure_ids[1]
;

-- node: model.edufigures.dq_failing_parts_totals
CREATE OR REPLACE TABLE dq.dq_failing_parts_totals AS
-- depends_on: "dq"."dq_regions_to_recheck"
with candidates as (
    select
        check_name, row_id, region_code, region_name, province, metric, metric_name_zh,
        level, year, kind, figure_ids,
        cast(measure as double) as measure,
        cast(soft_min as double) as soft_min,
        cast(null as double) as soft_max,
        cast(hard_min as double) as hard_min,
        cast(hard_max as double) as hard_max,
        cast(values_json as varchar) as values_json
    from "dq"."dq_check_parts_totals"
    where true
),

failing as (
    select
        *,
        case
            when measure < hard_min or measure > hard_max then 'error'
            else 'warning'
        end as severity
    from candidates
    where measure < hard_min or measure > hard_max or measure < soft_min or measure > soft_max
)

select
    c.check_name || ':' || c.row_id as check_row_id,
    c.* exclude (figure_ids),
    array_to_string(c.figure_ids, ',') as figure_ids,
    left(f.evidence_text, 200) as evidence_text
from failing as c
left join "dq"."dq_figure_facts" as f on f.figure_id = c.figure_ids[1]
;

-- node: model.edufigures.dq_failing_plausibility
CREATE OR REPLACE TABLE dq.dq_failing_plausibility AS
-- depends_on: "dq"."dq_regions_to_recheck"
with candidates as (
    select
        check_name, row_id, region_code, region_name, province, metric, metric_name_zh,
        level, year, kind, figure_ids,
        cast(measure as double) as measure,
        cast(soft_min as double) as soft_min,
        cast(soft_max as double) as soft_max,
        cast(hard_min as double) as hard_min,
        cast(hard_max as double) as hard_max,
        cast(values_json as varchar) as values_json
    from "dq"."dq_check_plausibility"
    where true
),

failing as (
    select
        *,
        case
            when measure < hard_min or measure > hard_max then 'error'
            else 'warning'
        end as severity
    from candidates
    where measure < hard_min or measure > hard_max or measure < soft_min or measure > soft_max
)

select
    c.check_name || ':' || c.row_id as check_row_id,
    c.* exclude (figure_ids),
    array_to_string(c.figure_ids, ',') as figure_ids,
    left(f.evidence_text, 200) as evidence_text
from failing as c
left join "dq"."dq_figure_facts" as f on f.figure_id = c.figure_ids[1]
;

-- node: model.edufigures.dq_failing_pp_amounts
CREATE OR REPLACE TABLE dq.dq_failing_pp_amounts AS
-- depends_on: "dq"."dq_regions_to_recheck"
with candidates as (
    select
        check_name, row_id, region_code, region_name, province, metric, metric_name_zh,
        level, year, kind, figure_ids,
        cast(measure as double) as measure,
        cast(null as double) as soft_min,
        cast(soft_max as double) as soft_max,
        cast(null as double) as hard_min,
        cast(null as double) as hard_max,
        cast(values_json as varchar) as values_json
    from "dq"."dq_check_pp_amounts"
    where true
),

failing as (
    select
        *,
        case
            when measure < hard_min or measure > hard_max then 'error'
            else 'warning'
        end as severity
    from candidates
    where measure < hard_min or measure > hard_max or measure < soft_min or measure > soft_max
)

select
    c.check_name || ':' || c.row_id as check_row_id,
    c.* exclude (figure_ids),
    array_to_string(c.figure_ids, ',') as figure_ids,
    left(f.evidence_text, 200) as evidence_text
from failing as c
left join "dq"."dq_figure_facts" as f on f.figure_id = c.figure_ids[1]
;

-- node: model.edufigures.dq_failing_stated_growth
CREATE OR REPLACE TABLE dq.dq_failing_stated_growth AS
-- depends_on: "dq"."dq_regions_to_recheck"
with candidates as (
    select
        check_name, row_id, region_code, region_name, province, metric, metric_name_zh,
        level, year, kind, figure_ids,
        cast(measure as double) as measure,
        cast(soft_min as double) as soft_min,
        cast(soft_max as double) as soft_max,
        cast(hard_min as double) as hard_min,
        cast(hard_max as double) as hard_max,
        cast(values_json as varchar) as values_json
    from "dq"."dq_check_stated_growth"
    where true
),

failing as (
    select
        *,
        case
            when measure < hard_min or measure > hard_max then 'error'
            else 'warning'
        end as severity
    from candidates
    where measure < hard_min or measure > hard_max or measure < soft_min or measure > soft_max
)

select
    c.check_name || ':' || c.row_id as check_row_id,
    c.* exclude (figure_ids),
    array_to_string(c.figure_ids, ',') as figure_ids,
    left(f.evidence_text, 200) as evidence_text
from failing as c
left join "dq"."dq_figure_facts" as f on f.figure_id = c.figure_ids[1]
;

-- node: model.edufigures.dq_failing_targets_baseline
CREATE OR REPLACE TABLE dq.dq_failing_targets_baseline AS
-- depends_on: "dq"."dq_regions_to_recheck"
with candidates as (
    select
        check_name, row_id, region_code, region_name, province, metric, metric_name_zh,
        level, year, kind, figure_ids,
        cast(measure as double) as measure,
        cast(soft_min as double) as soft_min,
        cast(null as double) as soft_max,
        cast(null as double) as hard_min,
        cast(null as double) as hard_max,
        cast(values_json as varchar) as values_json
    from "dq"."dq_check_targets_baseline"
    where true
),

failing as (
    select
        *,
        case
            when measure < hard_min or measure > hard_max then 'error'
            else 'warning'
        end as severity
    from candidates
    where measure < hard_min or measure > hard_max or measure < soft_min or measure > soft_max
)

select
    c.check_name || ':' || c.row_id as check_row_id,
    c.* exclude (figure_ids),
    array_to_string(c.figure_ids, ',') as figure_ids,
    left(f.evidence_text, 200) as evidence_text
from failing as c
left join "dq"."dq_figure_facts" as f on f.figure_id = c.figure_ids[1]
;

-- node: model.edufigures.dq_failing_unit_scale
CREATE OR REPLACE TABLE dq.dq_failing_unit_scale AS
-- depends_on: "dq"."dq_regions_to_recheck"
with candidates as (
    select
        check_name, row_id, region_code, region_name, province, metric, metric_name_zh,
        level, year, kind, figure_ids,
        cast(measure as double) as measure,
        cast(null as double) as soft_min,
        cast(null as double) as soft_max,
        cast(hard_min as double) as hard_min,
        cast(hard_max as double) as hard_max,
        cast(values_json as varchar) as values_json
    from "dq"."dq_check_unit_scale"
    where true
),

failing as (
    select
        *,
        case
            when measure < hard_min or measure > hard_max then 'error'
            else 'warning'
        end as severity
    from candidates
    where measure < hard_min or measure > hard_max or measure < soft_min or measure > soft_max
)

select
    c.check_name || ':' || c.row_id as check_row_id,
    c.* exclude (figure_ids),
    array_to_string(c.figure_ids, ',') as figure_ids,
    left(f.evidence_text, 200) as evidence_text
from failing as c
left join "dq"."dq_figure_facts" as f on f.figure_id = c.figure_ids[1]
;

-- node: model.edufigures.dq_failing_yoy_jumps
CREATE OR REPLACE TABLE dq.dq_failing_yoy_jumps AS
-- depends_on: "dq"."dq_regions_to_recheck"
with candidates as (
    select
        check_name, row_id, region_code, region_name, province, metric, metric_name_zh,
        level, year, kind, figure_ids,
        cast(measure as double) as measure,
        cast(soft_min as double) as soft_min,
        cast(soft_max as double) as soft_max,
        cast(hard_min as double) as hard_min,
        cast(hard_max as double) as hard_max,
        cast(values_json as varchar) as values_json
    from "dq"."dq_check_yoy_jumps"
    where true
),

failing as (
    select
        *,
        case
            when measure < hard_min or measure > hard_max then 'error'
            else 'warning'
        end as severity
    from candidates
    where measure < hard_min or measure > hard_max or measure < soft_min or measure > soft_max
)

select
    c.check_name || ':' || c.row_id as check_row_id,
    c.* exclude (figure_ids),
    array_to_string(c.figure_ids, ',') as figure_ids,
    left(f.evidence_text, 200) as evidence_text
from failing as c
left join "dq"."dq_figure_facts" as f on f.figure_id = c.figure_ids[1]
;

-- node: model.edufigures.dq_failing_breakdowns
CREATE OR REPLACE TABLE dq.dq_failing_breakdowns AS
-- depends_on: "dq"."dq_regions_to_recheck"
with candidates as (
    select
        check_name, row_id, region_code, region_name, province, metric, metric_name_zh,
        level, year, kind, figure_ids,
        cast(measure as double) as measure,
        cast(0.75 as double) as soft_min,
        cast(null as double) as soft_max,
        cast(null as double) as hard_min,
        cast(null as double) as hard_max,
        cast(values_json as varchar) as values_json
    from "dq"."dq_check_breakdowns"
    where true
),

failing as (
    select
        *,
        case
            when measure < hard_min or measure > hard_max then 'error'
            else 'warning'
        end as severity
    from candidates
    where measure < hard_min or measure > hard_max or measure < soft_min or measure > soft_max
)

select
    c.check_name || ':' || c.row_id as check_row_id,
    c.* exclude (figure_ids),
    array_to_string(c.figure_ids, ',') as figure_ids,
    left(f.evidence_text, 200) as evidence_text
from failing as c
left join "dq"."dq_figure_facts" as f on f.figure_id = c.figure_ids[1]
;

-- node: model.edufigures.dq_check_rows
CREATE OR REPLACE TABLE dq.dq_check_rows AS
select * from "dq"."dq_failing_hard_bounds"
union all
select * from "dq"."dq_failing_plausibility"
union all
select * from "dq"."dq_failing_unit_scale"
union all
select * from "dq"."dq_failing_stated_growth"
union all
select * from "dq"."dq_failing_parts_totals"
union all
select * from "dq"."dq_failing_conflicts"
union all
select * from "dq"."dq_failing_yoy_jumps"
union all
select * from "dq"."dq_failing_derived_ratios"
union all
select * from "dq"."dq_failing_targets_baseline"
union all
select * from "dq"."dq_failing_pp_amounts"
union all
select * from "dq"."dq_failing_annual_totals"
union all
select * from "dq"."dq_failing_all_levels_ratio"
union all
select * from "dq"."dq_failing_breakdowns"
;

-- node: model.edufigures.dq_checked_documents
CREATE OR REPLACE TABLE dq.dq_checked_documents AS
-- depends_on: "dq"."dq_check_rows"
with document_regions as (
    select distinct doc_id, coalesce(region_code, '') as region_key
    from "dq"."dq_figure_facts"
)

select
    documents.doc_id,
    documents.loaded_at,
    document_regions.region_key
from "staging"."stg_documents" as documents
left join document_regions
    on document_regions.doc_id = documents.doc_id
;

-- stage: quality

-- node: anchor_flagged_rows
CREATE OR REPLACE TABLE dq.anchor_flagged_rows AS
WITH failed_ids AS (SELECT check_row_id FROM dq.dq_check_rows),
flagged AS (
    SELECT r.* FROM dq.dq_check_rows AS r JOIN failed_ids USING (check_row_id)
),
evidence AS (
    SELECT
        r.check_row_id,
        string_agg(DISTINCT f.doc_id, ',' ORDER BY f.doc_id) AS doc_ids,
        CAST(to_json(list(
            {'figure_id': f.figure_id, 'doc_id': f.doc_id, 'url': f.url, 'title': f.title,
             'text': f.evidence_text}
            ORDER BY f.doc_id, f.figure_id
        )[1:10]) AS VARCHAR) AS evidence_json
    FROM flagged AS r, unnest(string_split(r.figure_ids, ',')) AS u (figure_id)
    JOIN dq.dq_figure_facts AS f ON f.figure_id = u.figure_id
    GROUP BY r.check_row_id
)
SELECT r.*, l.name_zh AS level_name_zh, e.doc_ids, e.evidence_json
FROM flagged AS r
JOIN evidence AS e USING (check_row_id)
LEFT JOIN seeds.education_levels AS l ON l.code = r.level
ORDER BY r.check_row_id
;
