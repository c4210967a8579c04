"""Wall time of the daily chain on a real CeleryExecutor with 1 and with 2 workers.

Usage: uv run python -m bench.bench_celery [--workers 1,2] [--concurrency 2]
                                           [--work /tmp/edufig-bench/celery]

For each worker count: a fresh Airflow home, a fresh metadata database on the local
PostgreSQL, Redis DB 5 as broker, the same components as tests/airflow/test_celery.py
(api-server, dag-processor, scheduler, N `airflow celery worker` processes with
`--concurrency` slots each), then the four chain DAGs unpaused on the embedded mirror.
Records the seconds from unpausing to the quality DAG's success, each DAG run's duration,
and the task instances each worker ran. Results: bench/results/celery.json and celery.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import time
from pathlib import Path

from tests.airflow import deployment as components
from tests.airflow.conftest import BIN, airflow_env, build_dbt_manifest

REPO_ROOT = Path(__file__).resolve().parents[1]
RESULTS = REPO_ROOT / "bench" / "results"


def commit() -> str:
    done = subprocess.run(
        ["git", "-C", str(REPO_ROOT), "describe", "--always", "--dirty"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return done.stdout.strip()


def single_process(work: Path) -> dict:
    """`edufig run` on the same mirror in one process: the floor without orchestration."""
    folder = work / "single_process"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    env = airflow_env(folder, folder, Path())
    started = time.monotonic()
    subprocess.run(
        [BIN / "edufig", "run", "--quiet", "--warehouse", folder / "warehouse.duckdb"],
        env=env, check=True, capture_output=True,
    )  # fmt: skip
    return {"seconds": round(time.monotonic() - started, 1), "load_after": os.getloadavg()[0]}


def measure(work: Path, manifest: Path, workers: int, concurrency: int) -> dict:
    home = work / f"workers_{workers}"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    env = airflow_env(home, home / "data", manifest, EDUFIG_TASK_RETRIES="0")
    with (
        components.scratch_database("edufig_bench_celery") as db,
        components.celery_deployment(home, env, db, workers, concurrency) as run,
    ):
        load_before = os.getloadavg()[0]
        seconds = components.run_chain(run)
        load_after = os.getloadavg()[0]
        dags = run.sql(
            "SELECT dag_id, extract(epoch FROM max(end_date) - min(start_date))"
            " FROM dag_run GROUP BY dag_id ORDER BY min(start_date)"
        )
        hosts = run.sql(
            "SELECT hostname, count(*) FROM task_instance WHERE state = 'success'"
            " GROUP BY hostname ORDER BY hostname"
        )
        tasks = run.sql(
            "SELECT count(*), sum(extract(epoch FROM end_date - start_date))"
            " FROM task_instance WHERE state = 'success'"
        )[0]
    return {
        "workers": workers,
        "concurrency": concurrency,
        "chain_seconds": round(seconds, 1),
        "dag_run_seconds": {dag: round(float(s), 1) for dag, s in dags},
        "task_instances_per_worker": dict(hosts),
        "task_instances": tasks[0],
        "task_seconds_total": round(float(tasks[1]), 1),
        "load_average_1min": [load_before, load_after],
    }


def markdown(records: list[dict], single: dict, revision: str) -> str:
    lines = [
        f"Commit {revision}. Chain = unpausing the scrape DAG → quality DAG succeeded "
        f"(components already up). `edufig run` in one process: {single['seconds']} s.",
        "",
        "| workers × slots | chain s | scrape s | extract/load s | warehouse s | quality s "
        "| task instances per worker | task-seconds | load avg before → after |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in records:
        d = r["dag_run_seconds"]
        lines.append(
            f"| {r['workers']} × {r['concurrency']} | {r['chain_seconds']} "
            f"| {d.get('edufig_scrape')} | {d.get('edufig_extract_load')} "
            f"| {d.get('edufig_warehouse')} | {d.get('edufig_alerts')} "
            f"| {', '.join(f'{h}: {n}' for h, n in r['task_instances_per_worker'].items())} "
            f"| {r['task_seconds_total']} "
            f"| {r['load_average_1min'][0]:.1f} → {r['load_average_1min'][1]:.1f} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", default="1,2", help="worker counts, comma separated")
    parser.add_argument("--concurrency", type=int, default=2, help="slots per worker")
    parser.add_argument("--work", type=Path, default=Path("/tmp/edufig-bench/celery"))
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    manifest = build_dbt_manifest(args.work / "dbt_target")
    single = single_process(args.work)
    print(json.dumps({"single_process": single}), flush=True)
    records = []
    for workers in (int(n) for n in args.workers.split(",")):
        records.append(measure(args.work, manifest, workers, args.concurrency))
        print(json.dumps(records[-1]), flush=True)
    revision = commit()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "celery.json").write_text(
        json.dumps({"commit": revision, "single_process": single, "runs": records}, indent=2)
        + "\n",
        encoding="utf-8",
    )
    (RESULTS / "celery.md").write_text(markdown(records, single, revision), encoding="utf-8")
    print(markdown(records, single, revision))


if __name__ == "__main__":
    main()
