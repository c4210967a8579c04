"""Tell the data engineers when a task fails or the daily chain runs late.

With an SMTP connection (`edufig_smtp`, or the id in EDUFIG_SMTP_CONN_ID) the message goes
out through the SMTP provider's hook; without one (the embedded default) it is written as
an .eml file to `<outbox>/airflow/`, next to the data-quality alerts. Error text can
contain scraped content, so it is escaped before it goes into HTML.
"""

from __future__ import annotations

import hashlib
import html
import logging
import os
from email.message import EmailMessage
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

MAX_ERROR_CHARS = 2000
DEFAULT_RECIPIENT = "data-engineers@edufig.local"
SENDER = "airflow@edufig.local"


def notify_task_failure(context: dict[str, Any]) -> None:
    """`on_failure_callback`: which task failed, with what error, and where its log is."""
    ti = context["ti"]
    error = str(context.get("exception") or "unknown error")[:MAX_ERROR_CHARS]
    map_index = getattr(ti, "map_index", -1)
    task = ti.task_id if map_index in (None, -1) else f"{ti.task_id}[{map_index}]"
    subject = f"[edufig] task failed: {ti.dag_id}.{task}"
    fields = {
        "DAG": ti.dag_id,
        "task": task,
        "run": ti.run_id,
        "try": str(ti.try_number),
        "error": error,
        "log": ti.log_url,
    }
    deliver(subject, fields)


def notify_chain_late(context: dict[str, Any] | None = None, **_: Any) -> None:
    """DeadlineAlert callback: the daily chain had not finished by its deadline."""
    run = (context or {}).get("dag_run", {})
    deadline = (context or {}).get("deadline", {})
    dag_id, run_id = run.get("dag_id", "?"), run.get("dag_run_id") or run.get("run_id", "?")
    subject = f"[edufig] daily chain late: {dag_id} {run.get('logical_date', '')}"
    fields = {
        "DAG": dag_id,
        "run": run_id,
        "state": str(run.get("state", "")),
        "deadline": str(deadline.get("deadline_time", "")),
        "error": "the daily chain (scrape → marts → alerts) had not finished by its deadline",
        "log": f"{_api_base_url()}/dags/{dag_id}/runs/{run_id}",
    }
    deliver(subject, fields)


def deliver(subject: str, fields: dict[str, str]) -> str:
    """Send by SMTP when a connection is configured, else write to the outbox; says which."""
    recipients = _recipients()
    conn_id = os.environ.get("EDUFIG_SMTP_CONN_ID", "edufig_smtp")
    if _has_connection(conn_id):
        from airflow.providers.smtp.hooks.smtp import SmtpHook

        with SmtpHook(smtp_conn_id=conn_id) as hook:
            hook.send_email_smtp(
                to=recipients, subject=subject, html_content=_html(fields), from_email=SENDER
            )
        log.info("notified %s via SMTP connection %s: %s", recipients, conn_id, subject)
        return f"smtp:{conn_id}"
    path = _write_outbox(subject, fields, recipients)
    log.info("notified %s via outbox file %s: %s", recipients, path, subject)
    return str(path)


def _recipients() -> list[str]:
    value = os.environ.get("EDUFIG_ALERT_EMAIL")
    try:
        from airflow.sdk import Variable

        value = Variable.get("edufig_alert_email", default=value)
    except Exception as exc:  # callbacks must notify even when the API server is unreachable
        log.warning("Variable edufig_alert_email unavailable (%s); using env/default", exc)
    return [r.strip() for r in (value or DEFAULT_RECIPIENT).split(",") if r.strip()]


def _has_connection(conn_id: str) -> bool:
    """Whether this process may use the connection. Airflow 3.3 denies connections to the
    executor callbacks that deadline alerts run in, so those notifications use the outbox."""
    from airflow.sdk import BaseHook
    from airflow.sdk.exceptions import AirflowNotFoundException, AirflowSecretsBackendAccessDenied

    try:
        BaseHook.get_connection(conn_id)
    except AirflowNotFoundException:
        return False
    except AirflowSecretsBackendAccessDenied as exc:
        log.warning("connection %s not readable here (%s); writing to the outbox", conn_id, exc)
        return False
    return True


def _api_base_url() -> str:
    return os.environ.get("AIRFLOW__API__BASE_URL", "http://localhost:8080").rstrip("/")


def _html(fields: dict[str, str]) -> str:
    rows = "".join(
        f"<tr><th align='left'>{html.escape(k)}</th><td><pre>{html.escape(v)}</pre></td></tr>"
        for k, v in fields.items()
    )
    return f"<table>{rows}</table>"


def _write_outbox(subject: str, fields: dict[str, str], recipients: list[str]) -> Path:
    from edufig_airflow.runtime import stage_outbox_dir

    message = EmailMessage()
    message["From"] = SENDER
    message["To"] = ", ".join(recipients)
    message["Subject"] = subject
    message.set_content("\n".join(f"{k}: {v}" for k, v in fields.items()))
    message.add_alternative(_html(fields), subtype="html")
    digest = hashlib.sha1(f"{subject}|{fields.get('run')}|{fields.get('try')}".encode()).hexdigest()
    folder = stage_outbox_dir() / "airflow"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{digest[:16]}.eml"
    path.write_bytes(message.as_bytes())
    return path
