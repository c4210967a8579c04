"""Great Expectations checks over the marts, then alert delivery.

Scheduled on the `edufig://marts` asset. GX runs inside the task (its Airflow provider does
not install beside Airflow 3.3). Raised flags are data, not failures: the task fails only
when the checkpoint itself cannot run.
"""

from __future__ import annotations

from airflow.sdk import dag, task
from edufig_airflow.assets import ALERTS, DUCKDB_POOL, MARTS
from edufig_airflow.runtime import DEFAULT_ARGS, START_DATE, run_stage, run_stage_with_event


@dag(
    dag_id="edufig_quality_alerts",
    schedule=[MARTS],
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["edufig", "quality", "alerts"],
    doc_md=__doc__,
)
def edufig_quality_alerts() -> None:
    @task(pool=DUCKDB_POOL)
    def check_quality() -> dict[str, int]:
        return run_stage("quality")

    @task(pool=DUCKDB_POOL, outlets=[ALERTS])
    def send_alerts() -> dict[str, int]:
        return run_stage_with_event("alerts", ALERTS)

    check_quality() >> send_alerts()


edufig_quality_alerts()
