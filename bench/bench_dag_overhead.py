"""What the warehouse DAG costs beyond dbt itself, in both dbt renderings.

Usage: uv run python -m bench.bench_dag_overhead [--work /tmp/edufig-bench/dag_overhead]

Lands the bundled mirror once (`airflow dags test` of edufig_scrape and edufig_extract_load),
then, each on its own copy of that landed warehouse and Airflow home, times:
- `edufig stage build`: what dbt costs (the work of the `dbt_build` task; the marts do not
  exist yet in any copy, so every rendering builds everything);
- `airflow dags test edufig_warehouse` with EDUFIG_DBT_TASKS=single;
- the same with EDUFIG_DBT_TASKS=per_node (one Cosmos task per dbt node).
The overhead of a rendering is its DAG wall time minus dbt alone. `airflow dags test` runs
the tasks one after another in one process, so this is the floor: under a scheduler each
task also starts its own process. Results: bench/results/dag_overhead.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DATE = "2026-03-02"
RESULTS = REPO_ROOT / "bench" / "results" / "dag_overhead.json"


def environment(home: Path, manifest: Path, **extra: str) -> dict[str, str]:
    """An isolated Airflow: its own home and metadata file, the repo's DAGs, no telemetry."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "EDUFIG_"))}
    env.update(
        AIRFLOW_HOME=str(home),
        AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=f"sqlite:///{home / 'airflow.db'}",
        AIRFLOW__CORE__DAGS_FOLDER=str(REPO_ROOT / "dags"),
        AIRFLOW__CORE__LOAD_EXAMPLES="False",
        AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION="False",
        AIRFLOW__COSMOS__ENABLE_TELEMETRY="False",
        EDUFIG_WAREHOUSE=str(home / "data" / "warehouse.duckdb"),
        EDUFIG_DBT_MANIFEST=str(manifest),
        EDUFIG_TASK_RETRIES="0",
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        **extra,
    )
    return env


def timed(command: list[str], env: dict[str, str]) -> float:
    """Wall seconds of a command that must succeed."""
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0 or "state=failed" in done.stdout + done.stderr:
        raise RuntimeError(
            f"{' '.join(command)} failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
        )
    return seconds


def landed(work: Path) -> tuple[Path, Path]:
    """An Airflow home whose warehouse holds the mirror's landing tables, and the manifest."""
    manifest = work / "dbt_target" / "manifest.json"
    project = str(REPO_ROOT / "dbt_project")
    subprocess.run(
        [BIN / "dbt", "parse", "--project-dir", project, "--profiles-dir", project,
         "--target-path", manifest.parent, "--log-path", manifest.parent / "logs", "--quiet"],
        check=True, capture_output=True,
    )  # fmt: skip
    base = work / "landed"
    env = environment(base, manifest)
    timed([str(BIN / "airflow"), "db", "migrate"], env)
    for dag_id in ("edufig_scrape", "edufig_extract_load"):
        timed([str(BIN / "airflow"), "dags", "test", dag_id, DATE], env)
    return base, manifest


def measure(base: Path, manifest: Path, name: str, command: list[str], **extra: str) -> float:
    home = base.with_name(name)
    shutil.rmtree(home, ignore_errors=True)
    shutil.copytree(base, home)
    return timed(command, environment(home, manifest, **extra))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/edufig-bench/dag_overhead"))
    work = parser.parse_args().work
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    base, manifest = landed(work)
    warehouse = str(base.with_name("dbt_alone") / "data" / "warehouse.duckdb")
    dag_test = [str(BIN / "airflow"), "dags", "test", "edufig_warehouse", DATE]
    seconds = {
        "dbt_alone": measure(
            base,
            manifest,
            "dbt_alone",
            [str(BIN / "edufig"), "stage", "build", "--warehouse", warehouse, "--quiet"],
        ),
        "dag_single": measure(base, manifest, "single", dag_test, EDUFIG_DBT_TASKS="single"),
        "dag_per_node": measure(base, manifest, "per_node", dag_test, EDUFIG_DBT_TASKS="per_node"),
    }
    record = {
        "method": "airflow dags test edufig_warehouse on the landed mirror; wall seconds",
        "cpus": os.cpu_count(),
        "seconds": {k: round(v, 1) for k, v in seconds.items()},
        "overhead_seconds": {
            k: round(seconds[k] - seconds["dbt_alone"], 1) for k in ("dag_single", "dag_per_node")
        },
    }
    RESULTS.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(record, indent=1))


if __name__ == "__main__":
    main()
