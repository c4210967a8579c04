"""The dbt project built as Airflow tasks, its quality checks, then the analysts' snapshot.

Scheduled on the `edufig://landing` asset. One `dbt build` task by default on DuckDB, or one
Cosmos task per model (seen and retried alone) where models can run side by side; see
`edufig_airflow.dbt.dbt_rendering`. Great Expectations runs inside `check_quality` (its
Airflow provider does not install beside Airflow 3.3); raised flags are data, not failures:
the task fails only when the checkpoint itself cannot run. The snapshot is published after
the checks, so analysts read the flags of the marts beside them, as after `edufig run`. All
tasks share the one-slot `duckdb_writer` pool.
"""

from __future__ import annotations

from airflow.sdk import dag, task
from edufig_airflow.assets import DUCKDB_POOL, LANDING, MARTS
from edufig_airflow.dbt import dbt_tasks
from edufig_airflow.runtime import DEFAULT_ARGS, START_DATE, run_stage, run_stage_with_event


@dag(
    dag_id="edufig_warehouse",
    schedule=[LANDING],
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["edufig", "warehouse", "dbt", "quality"],
    doc_md=__doc__,
)
def edufig_warehouse() -> None:
    models = dbt_tasks()

    @task(pool=DUCKDB_POOL)
    def check_quality() -> dict[str, int]:
        return run_stage("quality")

    @task(pool=DUCKDB_POOL, outlets=[MARTS])
    def publish() -> dict[str, int]:
        return run_stage_with_event("publish", MARTS)

    models >> check_quality() >> publish()


edufig_warehouse()
