"""Synthetic landing tables generated inside DuckDB, for the warehouse benches.

Why not the crawled corpus: a million figures through crawl and extraction takes hours; the
dbt, quality and anchor benches only need landing rows shaped like the loader's. Each
document states 25 metric/level combinations (per-student funding, budget totals, rates,
counts) with values near real magnitudes, every figure twice (text and a table row), over
county regions and eight years; one figure in a thousand is planted wrong (a unit slip, or a
table that disagrees with its text). A figure's value depends only on (document, ordinal),
so a reloaded document states the same figures under new ids (new sha256 and loaded_at), as
a re-extracted changed page does.
"""

from __future__ import annotations

from datetime import datetime

import duckdb

from edufig.core.config import REPO_ROOT
from edufig.load import LANDING_DDL

SEED_REGIONS = REPO_ROOT / "dbt_project" / "seeds" / "gbt2260_divisions.csv"
MAX_REGIONS = 2000
COMBINATIONS = """
    ('per_student_general_budget_expenditure', 'preschool', 'yuan', 9000.0),
    ('per_student_general_budget_expenditure', 'primary', 'yuan', 12000.0),
    ('per_student_general_budget_expenditure', 'junior_secondary', 'yuan', 17000.0),
    ('per_student_general_budget_expenditure', 'general_senior_secondary', 'yuan', 18000.0),
    ('per_student_general_budget_expenditure', 'secondary_vocational', 'yuan', 17000.0),
    ('per_student_public_funds', 'primary', 'yuan', 2700.0),
    ('per_student_public_funds', 'junior_secondary', 'yuan', 3700.0),
    ('edu_total_investment', 'all', 'yuan', 1.2e9),
    ('edu_fiscal_investment', 'all', 'yuan', 1.0e9),
    ('edu_general_budget_expenditure', 'all', 'yuan', 9.0e8),
    ('fiscal_expenditure_total', 'all', 'yuan', 6.0e9),
    ('preschool_gross_enrollment_rate', 'preschool', 'percent', 90.0),
    ('compulsory_retention_rate', 'compulsory', 'percent', 96.0),
    ('senior_gross_enrollment_rate', 'senior_secondary', 'percent', 92.0),
    ('primary_net_enrollment_rate', 'primary', 'percent', 99.0),
    ('teacher_qualification_rate', 'primary', 'percent', 98.0),
    ('inclusive_kindergarten_share', 'preschool', 'percent', 85.0),
    ('students_enrolled', 'primary', 'person', 30000.0),
    ('students_enrolled', 'junior_secondary', 'person', 15000.0),
    ('full_time_teachers', 'primary', 'person', 1700.0),
    ('full_time_teachers', 'junior_secondary', 'person', 1200.0),
    ('schools', 'primary', 'count', 60.0),
    ('schools', 'junior_secondary', 'count', 20.0),
    ('schools', 'compulsory', 'count', 80.0),
    ('student_teacher_ratio', 'primary', 'ratio', 17.0)
"""


def _lookup_tables(con: duckdb.DuckDBPyConnection) -> int:
    """The combinations and county regions the generator draws from; the region count."""
    con.execute(
        f"create or replace temp table combos as select *, row_number() over () - 1 as c "
        f"from (values {COMBINATIONS}) t(metric, level, unit, base)"
    )
    con.execute(
        f"create or replace temp table regions as select code, row_number() over () - 1 as i "
        f"from read_csv('{SEED_REGIONS}', all_varchar = true) where level = 'county' "
        f"order by code limit {MAX_REGIONS}"
    )
    return con.execute("select count(*) from regions").fetchone()[0]


def generate_documents(
    con: duckdb.DuckDBPyConnection, first: int, count: int, per_doc: int, loaded_at: datetime
) -> None:
    """Documents first..first+count-1 and their figures, replacing any with the same id."""
    con.execute(LANDING_DDL)
    n_regions = _lookup_tables(con)
    ids = f"select d, 'doc_' || d as doc_id from range({first}, {first + count}) t(d)"
    con.execute(f"delete from landing.figures where doc_id in (select doc_id from ({ids}))")
    con.execute(f"delete from landing.documents where doc_id in (select doc_id from ({ids}))")
    con.execute(
        f"""
        insert into landing.documents (doc_id, sha256, source, url, title, region_code,
            parse_status, figure_count, loaded_at)
        select doc_id, md5(doc_id || '|' || $loaded_at), 'bench',
            'https://example.gov.cn/' || doc_id, '教育事业发展统计公报 ' || d, r.code, 'ok',
            {per_doc}, $loaded_at
        from ({ids}) docs join regions r on r.i = d % {n_regions}
        """,
        {"loaded_at": loaded_at},
    )
    con.execute(
        f"""
        insert into landing.figures (figure_id, doc_id, doc_sha256, ordinal, metric, level,
            year, period_start, kind, value, unit, qualifier, yoy_change, yoy_growth_pct,
            region, region_code, text, start_offset, end_offset, loaded_at, scope, confidence)
        with stated as (
            select d, doc_id, o, c.metric, c.level, c.unit,
                2016 + (d // {n_regions}) % 8 as year,
                case
                    when c.unit = 'count' then c.base
                    when c.unit = 'percent' then least(100.0, round(c.base
                        + (hash(d % {n_regions}, c.c) % 150) / 100.0 - 0.75, 2))
                    else round(c.base * (1 + 0.03 * ((d // {n_regions}) % 8))
                        * (0.9 + (hash(d % {n_regions}) % 200) / 1000.0), 2)
                end as value,
                hash(d, o) % 1000 = 0 as planted
            from ({ids}) docs
            cross join range({per_doc}) f(o)
            join combos c on c.c = o % 25
        )
        select md5(s.doc_id || '|' || docs.sha256 || '|' || o), s.doc_id, docs.sha256, o,
            metric, level, year, null, 'actual',
            case when not planted then value
                 when unit = 'yuan' then value * 10000
                 else value - 7.5 end,
            unit, 'exact', null, null, null, null,
            metric || case when o >= 25 then ' | ' || value || ' |' else '为' || value end,
            o * 40, o * 40 + 30, $loaded_at, null, 1.0
        from stated s join landing.documents docs on docs.doc_id = s.doc_id
        """,
        {"loaded_at": loaded_at},
    )
