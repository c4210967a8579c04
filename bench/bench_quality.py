"""Quality-stage time on a synthetic warehouse of at least a million figures.

Usage: python bench/bench_quality.py [--figures 1000000] [--per-doc 50] [--work bench/work/quality]

Landing rows are generated inside DuckDB by bench/landing.py (one figure in a thousand
planted wrong). Then `dbt build` of the quality models (and everything upstream) and the
quality stage are timed; the GX checkpoint itself is timed apart from reading and writing.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import time
from datetime import datetime
from pathlib import Path

import duckdb

from bench.landing import generate_documents
from edufig.core.config import REPO_ROOT, Settings
from edufig.dbt_build import build_marts
from edufig.quality import run as quality_run


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
    """The stage end to end; then reading and validating the rows SQL failed alone.

    dq_check_rows stores only failing rows since issue 16, so GX deciding over every
    candidate row (measured before: expectations/README.md) is no longer timed here."""
    start = time.perf_counter()
    result = quality_run.check_quality(settings)
    total = time.perf_counter() - start
    if result.failed:
        raise SystemExit(f"quality failed: {result.errors}")
    failing_s, failing = _timed_validation(settings, quality_run.VALIDATED_SQL)
    return {
        "quality_stage_s": round(total, 1),
        "checkpoint_failing_rows_s": round(failing_s, 2),
        "failing_rows": failing,
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
        generate_documents(con, 0, args.figures // args.per_doc, args.per_doc, datetime(2026, 1, 1))
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
