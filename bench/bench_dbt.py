"""The warehouse stages (dbt build, quality) side by side with the plain-SQL anchor.

Usage: python -m bench.bench_dbt [--figures 1000000] [--per-doc 50] [--rounds 2]
           [--changes] [--pipeline-only] [--work bench/work/dbt]

Landing tables are generated inside DuckDB (bench/landing.py). Each round copies the same
landing to two files and runs, each in its own process, the pipeline's build and quality
stages (full refresh) twice, cold and with dbt's parse state kept, and the anchor
(bench/anchor: the same models as one DuckDB script, no dbt, no GX), alternating whether
the anchor goes first or last; the minimum per stage over the rounds is kept and each stage
is reported as a ratio to the anchor's, and so is the median of each round's own ratio of
totals (robust to a machine that drifts over the bench). The two warehouses are then compared
(bench.anchor.compare) and the bench fails if their marts or failing rows differ. With
--changes the pipeline then runs again with no change and after reloading 1 % of the
documents, and the anchor again on the reloaded landing: the incremental marts and failing
rows must equal the anchor's full recomputation. Peak memory is each process's
VmHWM (DuckDB and, for the pipeline, dbt and GX in the same process).

Stage seconds are measured with the libraries loaded (dbt and GX on the pipeline's side,
DuckDB on the anchor's); `import_s` is what loading dbt and GX took, and `process_s` the
whole child process from the parent (interpreter, imports, dbt's parse, both stages):
`pipeline` is cold (no dbt state: dbt parses the project), `pipeline_parsed` keeps dbt's
partial-parse state, as on a deployment that rebuilds from scratch (the anchor's SQL is
compiled ahead as well).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import duckdb

from bench.anchor.compare import differences, mismatches
from bench.landing import generate_documents
from bench.stage import _peak_rss_mb
from edufig.core.config import REPO_ROOT, Settings

BASE_LOAD = datetime(2026, 1, 1)
SIDES = ("pipeline", "anchor")


def _settings(warehouse: Path) -> Settings:
    return Settings(warehouse=warehouse, data_dir=warehouse.with_suffix(".data"))


def run_pipeline(warehouse: Path, full_refresh: bool) -> dict:
    """The pipeline's build and quality stages, timed apart, with dbt and GX already
    imported as the anchor has DuckDB: what loading them costs is `import_s` (and in the
    parent's `process_s`)."""
    start = time.perf_counter()
    import dbt.adapters.duckdb  # dbt loads its adapter on first use
    import dbt.cli.main  # noqa: F401 - run_dbt and validate import them on first use
    import great_expectations  # noqa: F401

    from edufig.dbt_build import build_marts
    from edufig.quality import check_quality

    settings, record = _settings(warehouse), {"import_s": round(time.perf_counter() - start, 2)}
    for stage, call in (
        ("build", lambda: build_marts(settings, full_refresh=full_refresh)),
        ("quality", lambda: check_quality(settings)),
    ):
        start = time.perf_counter()
        result = call()
        record[f"{stage}_s"] = round(time.perf_counter() - start, 2)
        if result.failed:
            raise SystemExit(f"{stage} failed: {result.errors[:3]}")
        record.update({k: v for k, v in result.counts.items() if k in ("flags", "skipped")})
    return record


def run_anchor_side(warehouse: Path) -> dict:
    """The anchor's build counts opening the warehouse and closing it (DuckDB's last
    checkpoint, ~0.2 s at a million figures), as the pipeline's build does."""
    from bench.anchor.run import run_anchor
    from edufig.core.warehouse import writer

    start = time.perf_counter()
    with writer(_settings(warehouse)) as conn:
        opened = time.perf_counter() - start
        seconds = run_anchor(conn)
        closing = time.perf_counter()
    seconds["build"] += opened + time.perf_counter() - closing
    return {f"{stage}_s": round(s, 2) for stage, s in seconds.items()}


def side_main(args: argparse.Namespace) -> None:
    """One measured side, in this process: prints its JSON record."""
    if args.side == "anchor":
        record = run_anchor_side(args.warehouse)
    else:
        record = run_pipeline(args.warehouse, full_refresh=not args.rerun)
    record["peak_rss_mb"], _ = _peak_rss_mb()
    print(json.dumps(record))


def measure(side: str, warehouse: Path, rerun: bool = False) -> dict:
    command = [
        sys.executable,
        "-m",
        "bench.bench_dbt",
        "--side",
        side,
        "--warehouse",
        str(warehouse),
    ]
    if rerun:
        command.append("--rerun")
    start = time.perf_counter()
    done = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, check=False)
    process_s = round(time.perf_counter() - start, 2)
    if done.returncode != 0:
        raise SystemExit(f"{side} failed: {done.stderr[-2000:]}")
    record = json.loads(done.stdout.strip().splitlines()[-1])
    record["total_s"] = round(record["build_s"] + record["quality_s"], 2)
    # the whole process: interpreter, imports, dbt's parse, both stages
    record["process_s"] = process_s
    # each record as it comes, so a run cut short still leaves what it measured
    print(json.dumps({"side": side, "rerun": rerun, **record}), file=sys.stderr, flush=True)
    return record


def _fresh(landing: Path, target: Path, keep_parse: bool = False) -> Path:
    """`target` holding the landing only; with keep_parse, dbt's folder (its partial-parse
    state) survives, as on a deployment that rebuilds from scratch."""
    data = target.with_suffix(".data")
    for entry in data.iterdir() if data.exists() else []:
        if keep_parse and entry.name == "dbt":
            continue
        if entry.is_dir():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    shutil.copyfile(landing, target)
    return target


def _same_as_anchor(work: Path, when: str) -> dict:
    """The two warehouses compared table by table; the bench stops if they differ."""
    found = differences(work / "anchor.duckdb", work / "pipeline.duckdb")
    if mismatches(found):
        raise SystemExit(f"{when}, anchor and pipeline differ: {mismatches(found)}")
    return found


def _round(landing: Path, work: Path, anchor_first: bool) -> dict[str, dict]:
    """One round: the pipeline cold (no dbt state), then with dbt's parse state kept (as on
    a deployment that rebuilds from scratch; the anchor's SQL is compiled ahead too), and
    the anchor before or after both, so a machine that drifts over the bench slows both
    sides of a round alike."""
    pipeline = work / "pipeline.duckdb"
    runs = {
        "pipeline": lambda: measure("pipeline", _fresh(landing, pipeline)),
        "pipeline_parsed": lambda: measure("pipeline", _fresh(landing, pipeline, True)),
    }
    anchor = {"anchor": lambda: measure("anchor", _fresh(landing, work / "anchor.duckdb"))}
    order = {**anchor, **runs} if anchor_first else {**runs, **anchor}
    return {side: run() for side, run in order.items()}


def side_by_side(landing: Path, work: Path, rounds: int) -> dict:
    """Full runs of both sides from the same landing: minimum per stage over the rounds and
    its ratios, the median of each round's own ratio, and equality of the warehouses."""
    runs: dict[str, list[dict]] = {"pipeline": [], "anchor": [], "pipeline_parsed": []}
    for round_ in range(rounds):
        for side, record in _round(landing, work, anchor_first=round_ % 2 == 0).items():
            runs[side].append(record)
    found = _same_as_anchor(work, "after the full runs")
    best = {
        side: {k: min(r[k] for r in records) for k in records[0] if k.endswith(("_s", "_mb"))}
        for side, records in runs.items()
    }
    ratios = {
        f"{side}_{stage}_ratio": round(best[side][f"{stage}_s"] / best["anchor"][f"{stage}_s"], 2)
        for side in ("pipeline", "pipeline_parsed")
        for stage in ("build", "quality", "total", "process")
    }
    for side in ("pipeline", "pipeline_parsed"):
        pairs = zip(runs[side], runs["anchor"], strict=True)
        each = [p["total_s"] / a["total_s"] for p, a in pairs]
        ratios[f"{side}_total_ratio_median_of_rounds"] = round(statistics.median(each), 2)
    return {
        **best,
        **ratios,
        "runs": runs,
        "failing_check_rows": found["failing_check_rows"][0],
        "fact_rows": sum(
            v[0] for k, v in found.items() if k.startswith("fct_") and not k.startswith("fct_best")
        ),
        "best_value_rows": found["fct_best_value"][0],
    }


def pipeline_only(landing: Path, work: Path) -> dict:
    """One full pipeline run, no anchor: at national scale a second full build would double
    an already long measurement."""
    record = measure("pipeline", _fresh(landing, work / "pipeline.duckdb"))
    with duckdb.connect(str(work / "pipeline.duckdb"), read_only=True) as conn:
        facts = conn.execute(
            "select table_name from duckdb_tables() "
            "where schema_name = 'marts' and table_name like 'fct_%' order by 1"
        ).fetchall()
        record["rows"] = {
            table: conn.execute(f"select count(*) from marts.{table}").fetchone()[0]
            for (table,) in facts
        }
        record["failing_check_rows"] = conn.execute(
            "select count(*) from dq.dq_check_rows"
        ).fetchone()[0]
    return {"pipeline": record}


def changes(landing: Path, work: Path, n_docs: int, per_doc: int) -> dict:
    """The pipeline rerun with no change, then after 1 % of documents reloaded; the anchor
    recomputes everything from the reloaded landing."""
    pipeline = work / "pipeline.duckdb"
    report = {"no_change": measure("pipeline", pipeline, rerun=True)}
    reload = max(1, n_docs // 100)
    for target in (pipeline, landing):
        with duckdb.connect(str(target)) as conn:
            generate_documents(conn, 0, reload, per_doc, BASE_LOAD + timedelta(days=1))
    report["reload_1pct"] = measure("pipeline", pipeline, rerun=True)
    report["reload_1pct_anchor"] = measure("anchor", _fresh(landing, work / "anchor.duckdb"))
    report["reloaded_documents"] = reload
    _same_as_anchor(work, "after the 1 % reload")
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--figures", type=int, default=1_000_000)
    parser.add_argument("--per-doc", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--changes", action="store_true", help="also no-change and 1 %% runs")
    parser.add_argument("--pipeline-only", action="store_true", help="no anchor (15 M figures)")
    parser.add_argument("--work", type=Path, default=REPO_ROOT / "bench" / "work" / "dbt")
    parser.add_argument("--side", choices=SIDES, help=argparse.SUPPRESS)
    parser.add_argument("--warehouse", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--rerun", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.side:
        side_main(args)
        return
    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    landing, n_docs = args.work / "source.duckdb", args.figures // args.per_doc
    with duckdb.connect(str(landing)) as conn:
        generate_documents(conn, 0, n_docs, args.per_doc, BASE_LOAD)
        n_figures = conn.execute("select count(*) from landing.figures").fetchone()[0]
    report = {"documents": n_docs, "figures": n_figures}
    if args.pipeline_only:
        report.update(pipeline_only(landing, args.work))
    else:
        report.update(side_by_side(landing, args.work, args.rounds))
    if args.changes:
        report.update(changes(landing, args.work, n_docs, args.per_doc))
    print(json.dumps(report))


if __name__ == "__main__":
    main()
