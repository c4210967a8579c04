"""Quality-stage time on a synthetic warehouse of at least a million figures.

Usage: python bench/bench_quality.py [--figures 1000000] [--per-doc 50] [--work bench/work/quality]

Landing rows are generated inside DuckDB: 25 metric/level combinations per document with
values near real magnitudes (per-student funding, budget totals, rates, counts), every
figure stated twice (text and a table row), documents spread over county regions and eight
years, and one figure in a thousand planted wrong (a unit slip, or a table that disagrees
with its text). Then `dbt build` of the quality models (and everything upstream) and the
quality stage are timed; the GX checkpoint itself is timed apart from reading and writing.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import time
from pathlib import Path

import duckdb

from edufig.core.config import REPO_ROOT, Settings
from edufig.dbt_build import build_marts
from edufig.load import LANDING_DDL
from edufig.quality import run as quality_run

SEED_REGIONS = REPO_ROOT / "dbt_project" / "seeds" / "gbt2260_divisions.csv"
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


def generate_landing(con: duckdb.DuckDBPyConnection, n_docs: int, per_doc: int) -> None:
    con.execute(LANDING_DDL)
    con.execute(
        f"create temp table combos as select *, row_number() over () - 1 as c "
        f"from (values {COMBINATIONS}) t(metric, level, unit, base)"
    )
    con.execute(
        f"create temp table regions as select code, row_number() over () - 1 as i "
        f"from read_csv('{SEED_REGIONS}', all_varchar = true) where level = 'county'"
    )
    n_regions = min(2000, con.execute("select count(*) from regions").fetchone()[0])
    con.execute(
        f"""
        insert into landing.documents (doc_id, sha256, source, url, title, region_code,
            parse_status, figure_count, loaded_at)
        select 'doc_' || d, md5('doc_' || d), 'bench', 'https://example.gov.cn/doc_' || d,
            '教育事业发展统计公报 ' || d, r.code, 'ok', {per_doc}, now()
        from range({n_docs}) t(d) join regions r on r.i = d % {n_regions}
        """
    )
    con.execute(
        f"""
        insert into landing.figures
        with stated as (
            select d, o, c.metric, c.level, c.unit,
                2016 + (d // {n_regions}) % 8 as year,
                case
                    when c.unit = 'count' then c.base
                    when c.unit = 'percent' then least(100.0, round(c.base
                        + (hash(d % {n_regions}, c.c) % 150) / 100.0 - 0.75, 2))
                    else round(c.base * (1 + 0.03 * ((d // {n_regions}) % 8))
                        * (0.9 + (hash(d % {n_regions}) % 200) / 1000.0), 2)
                end as value,
                hash(d, o) % 1000 = 0 as planted
            from range({n_docs}) t(d)
            cross join range({per_doc}) f(o)
            join combos c on c.c = o % 25
        )
        select md5('doc_' || d || '|' || o), 'doc_' || d, md5('doc_' || d), o, metric, level,
            year, null, 'actual',
            case when not planted then value
                 when unit = 'yuan' then value * 10000
                 else value - 7.5 end,
            unit, 'exact', null, null, null, null,
            metric || case when o >= 25 then ' | ' || value || ' |' else '为' || value end,
            o * 40, o * 40 + 30, now()
        from stated
        """
    )


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed_validation(settings: Settings, sql: str) -> tuple[float, int]:
    """Seconds to read the rows and validate them, and the number of rows."""
    start = time.perf_counter()
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        frame = con.execute(sql).df()
    quality_run.validate(settings, frame)
    return time.perf_counter() - start, len(frame)


def time_quality(settings: Settings) -> dict:
    """The stage end to end; then reading and validating the rows SQL failed (what the
    stage does) against reading and validating every candidate row (GX deciding alone;
    validate() also checks both verdicts agree)."""
    start = time.perf_counter()
    result = quality_run.check_quality(settings)
    total = time.perf_counter() - start
    if result.failed:
        raise SystemExit(f"quality failed: {result.errors}")
    failing_s, failing = _timed_validation(settings, quality_run.VALIDATED_SQL)
    every_row = quality_run.VALIDATED_SQL.replace("WHERE severity IS NOT NULL", "")
    all_s, _ = _timed_validation(settings, every_row)
    return {
        "quality_stage_s": round(total, 1),
        "checkpoint_failing_rows_s": round(failing_s, 2),
        "checkpoint_every_row_s": round(all_s, 2),
        "failing_rows": failing,
        "candidate_rows": result.counts["candidate_rows"],
        "flags": result.counts["flags"],
        "flags_error": result.counts["flags_error"],
        "flags_by_check": {
            k.removeprefix("check_"): v for k, v in result.counts.items() if k.startswith("check_")
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--figures", type=int, default=1_000_000)
    parser.add_argument("--per-doc", type=int, default=50)
    parser.add_argument("--work", type=Path, default=REPO_ROOT / "bench" / "work" / "quality")
    args = parser.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    settings = Settings(warehouse=args.work / "warehouse.duckdb", data_dir=args.work)
    with duckdb.connect(str(settings.warehouse)) as con:
        generate_landing(con, args.figures // args.per_doc, args.per_doc)
        figures = con.execute("select count(*) from landing.figures").fetchone()[0]
    start = time.perf_counter()
    build = build_marts(settings, select="+dq_check_rows")
    if build.failed:
        raise SystemExit(f"build failed: {build.errors}")
    report = {"figures": figures, "dbt_build_s": round(time.perf_counter() - start, 1)}
    report.update(time_quality(settings))
    report["peak_rss_mb"] = round(_peak_rss_mb())
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
