"""Parse newly archived documents, extract their figures and load the landing tables.

Scheduled on the `edufig://parsed` asset, which the scrape DAG updates only when new or
changed documents were archived. Every stage skips unchanged documents, so a rerun is a
no-op.
"""

from __future__ import annotations

from airflow.sdk import dag, task
from edufig_airflow.assets import DUCKDB_POOL, LANDING, PARSED
from edufig_airflow.runtime import DEFAULT_ARGS, START_DATE, run_stage, run_stage_with_event


@dag(
    dag_id="edufig_extract_load",
    schedule=[PARSED],
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["edufig", "extract", "load"],
    doc_md=__doc__,
)
def edufig_extract_load() -> None:
    @task
    def parse() -> dict[str, int]:
        return run_stage("parse")

    @task
    def extract() -> dict[str, int]:
        return run_stage("extract")

    @task(pool=DUCKDB_POOL, outlets=[LANDING])
    def load() -> dict[str, int]:
        return run_stage_with_event("load", LANDING)

    parse() >> extract() >> load()


edufig_extract_load()
