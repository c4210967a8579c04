"""Parse newly archived documents, extract their figures and load the landing tables.

Scheduled on the `edufig://parsed` asset, which the scrape DAG updates only when new or
changed documents were archived. `parse` parses them; extraction fans out:
`plan_extraction` splits the documents whose figures are stale into batches and
`extract_batch` runs once per batch, on any worker (`edufig.extract.stage`). `load` runs
when no batch failed, also when there was nothing to extract (the crawl log and document
registry still land). Every stage skips unchanged documents, so a rerun is a no-op.
"""

from __future__ import annotations

from airflow.sdk import TriggerRule, dag, get_current_context, task
from edufig_airflow.assets import DUCKDB_POOL, LANDING, PARSED
from edufig_airflow.runtime import (
    DEFAULT_ARGS,
    START_DATE,
    counts_of,
    extraction_batch_limits,
    logged,
    run_stage,
    run_stage_with_event,
    stage_settings,
)


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
    def plan_extraction() -> list[list[str]]:
        from edufig.extract.stage import pending_batches

        return pending_batches(stage_settings(), *extraction_batch_limits())

    @task(map_index_template="{{ batch_label }}")
    def extract_batch(names: list[str]) -> dict[str, int]:
        from edufig.extract.stage import extract_batch as extract

        get_current_context()["batch_label"] = f"{len(names)} documents from {names[0]}"
        return counts_of(logged("extract", extract(stage_settings(), names)))

    @task(pool=DUCKDB_POOL, outlets=[LANDING], trigger_rule=TriggerRule.NONE_FAILED)
    def load() -> dict[str, int]:
        return run_stage_with_event("load", LANDING)

    batches = plan_extraction()
    parse() >> batches  # plan only what parsing has written
    extract_batch.expand(names=batches) >> load()


edufig_extract_load()
