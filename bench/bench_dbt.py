"""Full and incremental `dbt build` times on a synthetic landing of at least a million figures.

Usage: python bench/bench_dbt.py [--figures 1000000] [--per-doc 50] [--work bench/work/dbt]

The landing is generated inside DuckDB (catalog metrics, real region codes, ten years,
one in ten figures a target), then the warehouse's own nodes are built three times:
full refresh, incremental after one new document, incremental after reloading 1 % of
the documents. Each build includes all the dbt tests.
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from datetime import datetime, timedelta
from pathlib import Path

import duckdb

from edufig.core.catalog import load_metrics
from edufig.core.config import REPO_ROOT, Settings
from edufig.core.records import LEVELS
from edufig.dbt_build import WAREHOUSE_SELECTION, build_marts
from edufig.load import LANDING_DDL

SEED_REGIONS = REPO_ROOT / "dbt_project" / "seeds" / "gbt2260_divisions.csv"
BASE_LOAD = datetime(2026, 1, 1)


def _sql_list(values) -> str:
    return "[" + ", ".join("'" + v + "'" for v in values) + "]"


def generate_documents(conn, first: int, count: int, per_doc: int, loaded_at: datetime) -> None:
    """Documents first..first+count-1 (replacing any with the same id) and their figures."""
    metrics = load_metrics()
    codes, units = list(metrics), [metrics[c].unit for c in metrics]
    conn.execute(
        "create or replace temp table m as select *, row_number() over () - 1 as i from ("
        f"select unnest({_sql_list(codes)}) as metric, unnest({_sql_list(units)}) as unit)"
    )
    conn.execute(
        f"create or replace temp table r as select code, row_number() over () - 1 as i "
        f"from read_csv('{SEED_REGIONS}', all_varchar = true)"
    )
    n_metrics, n_regions = len(codes), conn.execute("select count(*) from r").fetchone()[0]
    levels = _sql_list(LEVELS)
    ids = f"select 'doc_' || lpad(cast(d as varchar), 8, '0') as doc_id, d from range({first}, {first + count}) t(d)"  # noqa: E501
    conn.execute(f"delete from landing.figures where doc_id in (select doc_id from ({ids}))")
    conn.execute(f"delete from landing.documents where doc_id in (select doc_id from ({ids}))")
    conn.execute(
        f"""
        insert into landing.documents (doc_id, sha256, source, url, fetched_at, http_status,
            title, published_date, doc_type, region_name, region_code, province, parse_status,
            text_chars, figure_count, extractor_version, loaded_at)
        select doc_id, md5(doc_id || '{loaded_at}'), 'bench', 'https://example.gov.cn/' || doc_id,
            ?, 200, '教育事业发展统计公报 ' || doc_id,
            date '2020-01-01' + cast(d % 1500 as integer),
            case when d % 3 = 0 then '统计公报' when d % 3 = 1 then '规划' else '工作报告' end,
            null, r.code, null, 'ok', 20000, {per_doc}, 'bench', ?
        from ({ids}) docs join r on r.i = d % {n_regions}
        """,
        [loaded_at, loaded_at],
    )
    conn.execute(
        f"""
        insert into landing.figures
        select md5(doc_id || '|' || sha256 || '|' || o), doc_id, sha256, o, m.metric,
            {levels}[1 + (d * 7 + o) % {len(LEVELS)}],
            2015 + (d + o) % 10, null, case when o % 10 = 9 then 'target' else 'actual' end,
            round(1000 * (1 + hash(doc_id || o) % 100000) / 997.0, 2), m.unit, 'exact',
            null, null, null, null, '示例证据句子' || o, o * 40, o * 40 + 30, ?
        from landing.documents docs
        join (select doc_id as id, d from ({ids})) ids on ids.id = docs.doc_id
        cross join range({per_doc}) t(o)
        join m on m.i = (d + o * 3) % {n_metrics}
        """,
        [loaded_at],
    )


def timed_build(settings: Settings, full_refresh: bool) -> tuple[float, dict]:
    start = time.perf_counter()
    result = build_marts(settings, select=WAREHOUSE_SELECTION, full_refresh=full_refresh)
    seconds = time.perf_counter() - start
    if result.failed:
        raise SystemExit(f"build failed: {result.errors}")
    return seconds, result.counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--figures", type=int, default=1_000_000)
    parser.add_argument("--per-doc", type=int, default=50)
    parser.add_argument("--work", type=Path, default=REPO_ROOT / "bench" / "work" / "dbt")
    args = parser.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    settings = Settings(warehouse=args.work / "warehouse.duckdb", data_dir=args.work)
    n_docs = args.figures // args.per_doc
    with duckdb.connect(str(settings.warehouse)) as conn:
        conn.execute(LANDING_DDL)
        generate_documents(conn, 0, n_docs, args.per_doc, BASE_LOAD)
        n_figures = conn.execute("select count(*) from landing.figures").fetchone()[0]
    report = {"documents": n_docs, "figures": n_figures}
    report["full_refresh_s"], counts = timed_build(settings, full_refresh=True)
    facts = ("fct_funding", "fct_staffing", "fct_attainment", "fct_enrollment", "fct_targets")
    report["fact_rows"] = sum(counts[f"rows_{name}"] for name in facts)
    report["best_value_rows"] = counts["rows_fct_best_value"]
    report["incremental_no_change_s"], _ = timed_build(settings, full_refresh=False)
    with duckdb.connect(str(settings.warehouse)) as conn:
        generate_documents(conn, n_docs, 1, args.per_doc, BASE_LOAD + timedelta(days=1))
    report["incremental_one_new_doc_s"], _ = timed_build(settings, full_refresh=False)
    reload = max(1, n_docs // 100)
    with duckdb.connect(str(settings.warehouse)) as conn:
        generate_documents(conn, 0, reload, args.per_doc, BASE_LOAD + timedelta(days=2))
    report["incremental_reload_1pct_docs_s"], _ = timed_build(settings, full_refresh=False)
    print(json.dumps({k: round(v, 1) if isinstance(v, float) else v for k, v in report.items()}))


if __name__ == "__main__":
    main()
