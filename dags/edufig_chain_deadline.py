"""Watch the daily chain and alert when it has not finished by its deadline.

The chain spans four DAGs (scrape → extract/load → warehouse and checks → alerts) linked by
assets, and asset-triggered runs carry no logical date; so this DAG runs on the scrape
schedule, waits until an asset event stamped with its date says the chain is done, and
carries the DeadlineAlert: if its run is still going at logical date + the configured
delay (EDUFIG_CHAIN_DEADLINE_MINUTES, default 240, i.e. 10:00 Shanghai), Airflow calls
`notify_chain_late`. A run created after its deadline had passed (unpausing, a backfill, a
catch-up) gets no deadline, and a manual run is measured from when it was triggered. The
chain is done when alerts were sent for that date, or when the crawl of that date found
nothing new (then nothing downstream runs).
"""

from __future__ import annotations

import os
from datetime import timedelta

from airflow.sdk import (
    CronTriggerTimetable,
    DeadlineAlert,
    PokeReturnValue,
    SyncCallback,
    dag,
    get_current_context,
    task,
)
from edufig_airflow.assets import ALERTS, CRAWL_LOG
from edufig_airflow.deadline import ChainSlotDeadline
from edufig_airflow.notify import notify_chain_late
from edufig_airflow.runtime import (
    DAILY_AT_SIX,
    DEFAULT_ARGS,
    START_DATE,
    TIMEZONE,
    brought_new_documents,
    chain_date,
)

DEADLINE = timedelta(minutes=int(os.environ.get("EDUFIG_CHAIN_DEADLINE_MINUTES", "240")))


@dag(
    dag_id="edufig_chain_deadline",
    schedule=CronTriggerTimetable(DAILY_AT_SIX, timezone=TIMEZONE),
    start_date=START_DATE,
    catchup=False,
    default_args=DEFAULT_ARGS,
    tags=["edufig", "monitoring"],
    deadline=DeadlineAlert(
        reference=ChainSlotDeadline(interval_seconds=DEADLINE.total_seconds()),
        interval=DEADLINE,
        callback=SyncCallback(notify_chain_late),
    ),
    doc_md=__doc__,
)
def edufig_chain_deadline() -> None:
    @task.sensor(
        poke_interval=60,
        timeout=(DEADLINE + timedelta(hours=6)).total_seconds(),
        mode="reschedule",
        inlets=[CRAWL_LOG, ALERTS],
    )
    def chain_finished() -> PokeReturnValue:
        context = get_current_context()
        day = chain_date(context)
        events = context["inlet_events"]
        alerted = [e for e in events[ALERTS] if (e.extra.get("chain_date") or "") >= day]
        quiet = [
            e
            for e in events[CRAWL_LOG]
            if (e.extra.get("chain_date") or "") >= day and not brought_new_documents(e.extra)
        ]
        return PokeReturnValue(is_done=bool(alerted or quiet), xcom_value=day)

    chain_finished()


edufig_chain_deadline()
