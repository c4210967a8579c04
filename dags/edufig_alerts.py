"""Alert delivery: digests of new flags to their subscribers, then the alerts' snapshot.

Scheduled on the `edufig://marts` asset, which the warehouse DAG updates once the checks
ran and the analysts' snapshot was published. A separate DAG so that an undeliverable
message (dead letters fail this stage until an engineer requeues them) never holds back
the marts, the flags or the snapshot.
"""

from __future__ import annotations

from airflow.sdk import dag, task
from edufig_airflow.assets import ALERTS, DUCKDB_POOL, MARTS
from edufig_airflow.runtime import DEFAULT_ARGS, START_DATE, run_stage_with_event


@dag(
    dag_id="edufig_alerts",
    schedule=[MARTS],
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["edufig", "alerts"],
    doc_md=__doc__,
)
def edufig_alerts() -> None:
    @task(pool=DUCKDB_POOL, outlets=[ALERTS])
    def send_alerts() -> dict[str, int]:
        return run_stage_with_event("alerts", ALERTS)

    send_alerts()


edufig_alerts()
