"""Tell the data engineers when a task fails or the daily chain runs late.

The notice goes through `edufig.alerts.notices`, the path the data-quality alerts take:
SMTP when a server is configured (the connection `edufig_smtp`, or the id in
EDUFIG_SMTP_CONN_ID), else an .eml file in `<outbox>/airflow/`. This module only turns
Airflow's callback context into the notice's fields and finds the recipients.
"""

from __future__ import annotations

import logging
import os
from typing import Any
from urllib.parse import quote

log = logging.getLogger(__name__)

DEFAULT_RECIPIENT = "data-engineers@edufig.local"


def notify_task_failure(context: dict[str, Any]) -> None:
    """`on_failure_callback`: which task failed, with what error, and where its log is."""
    ti = context["ti"]
    map_index = getattr(ti, "map_index", -1)
    task = ti.task_id if map_index in (None, -1) else f"{ti.task_id}[{map_index}]"
    fields = {
        "DAG": ti.dag_id,
        "task": task,
        "run": ti.run_id,
        "try": str(ti.try_number),
        "error": str(context.get("exception") or "unknown error"),
        "log": ti.log_url,
    }
    deliver(f"[edufig] task failed: {ti.dag_id}.{task}", fields)


def notify_chain_late(context: dict[str, Any] | None = None, **_: Any) -> None:
    """DeadlineAlert callback: the daily chain had not finished by its deadline."""
    run = (context or {}).get("dag_run", {})
    deadline = (context or {}).get("deadline", {})
    dag_id, run_id = run.get("dag_id", "?"), run.get("dag_run_id") or run.get("run_id", "?")
    fields = {
        "DAG": dag_id,
        "run": run_id,
        "state": str(run.get("state", "")),
        "deadline": str(deadline.get("deadline_time", "")),
        "error": "the daily chain (scrape → marts → alerts) had not finished by its deadline",
        "log": f"{_api_base_url()}/dags/{dag_id}/runs/{quote(run_id)}",
    }
    deliver(f"[edufig] daily chain late: {dag_id} {run.get('logical_date') or run_id}", fields)


def deliver(subject: str, fields: dict[str, str]) -> str:
    """Send the notice through edufig.alerts; returns where it went."""
    from edufig.alerts.notices import Notice, send_notice
    from edufig_airflow.runtime import stage_outbox_dir

    notice = Notice(subject=subject, fields=fields, recipients=_recipients())
    conn_id = os.environ.get("EDUFIG_SMTP_CONN_ID", "edufig_smtp")
    return send_notice(notice, stage_outbox_dir(), smtp_conn_id=conn_id)


def _recipients() -> list[str]:
    value = os.environ.get("EDUFIG_ALERT_EMAIL")
    try:
        from airflow.sdk import Variable

        value = Variable.get("edufig_alert_email", default=value)
    except Exception as exc:  # callbacks must notify even when the API server is unreachable
        log.warning("Variable edufig_alert_email unavailable (%s); using env/default", exc)
    return [r.strip() for r in (value or DEFAULT_RECIPIENT).split(",") if r.strip()]


def _api_base_url() -> str:
    return os.environ.get("AIRFLOW__API__BASE_URL", "http://localhost:8080").rstrip("/")
