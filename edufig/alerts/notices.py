"""Operational notices to the data engineers: a task failed, the daily chain is late.

They travel the data-quality alerts' path: SMTP with the same settings and TLS rules
(`smtp_config`: EDUFIG_SMTP_*, else the Airflow connection), else an .eml file in the
outbox, so an engineer on a box without mail still finds them. Field values can hold
scraped text (an error message quoting a page), so they are capped and escaped in HTML.
"""

from __future__ import annotations

import hashlib
import html
import logging
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from edufig.alerts.secrets import SecretError
from edufig.alerts.smtp import send_email, smtp_config
from edufig.alerts.subscriptions import SmtpSettings

log = logging.getLogger(__name__)

MAX_FIELD_CHARS = 2000
OUTBOX_SENDER = "airflow@edufig.local"
NOTICES_FOLDER = "airflow"


@dataclass(frozen=True)
class Notice:
    """One notice: a subject without scraped text, and labelled fields (DAG, task, error, log)."""

    subject: str
    fields: dict[str, str]
    recipients: list[str]

    def email(self, sender: str) -> EmailMessage:
        fields = {key: value[:MAX_FIELD_CHARS] for key, value in self.fields.items()}
        message = EmailMessage()
        message["From"] = sender
        message["To"] = ", ".join(self.recipients)
        message["Subject"] = self.subject
        message.set_content("\n".join(f"{key}: {value}" for key, value in fields.items()))
        rows = "".join(
            f"<tr><th align='left'>{html.escape(k)}</th><td><pre>{html.escape(v)}</pre></td></tr>"
            for k, v in fields.items()
        )
        message.add_alternative(f"<table>{rows}</table>", subtype="html")
        return message

    def file_name(self) -> str:
        """Stable per subject, run and try: a callback that fires twice writes one file."""
        key = f"{self.subject}|{self.fields.get('run')}|{self.fields.get('try')}"
        return hashlib.sha1(key.encode()).hexdigest()[:16] + ".eml"


def send_notice(notice: Notice, outbox_dir: Path, smtp_conn_id: str | None = None) -> str:
    """By SMTP when a server is configured and readable here, else to the outbox; returns
    where it went. A connection can be unreadable where Airflow runs executor callbacks."""
    try:
        config = smtp_config(SmtpSettings(airflow_conn=smtp_conn_id))
    except SecretError as exc:
        log.info("no SMTP for notices (%s); writing to the outbox", exc)
    else:
        send_email(notice.email(config.sender), config)
        log.info("notified %s by SMTP %s: %s", notice.recipients, config.host, notice.subject)
        return f"smtp:{config.host}"
    folder = outbox_dir / NOTICES_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / notice.file_name()
    path.write_bytes(notice.email(OUTBOX_SENDER).as_bytes())
    log.info("notified %s in %s: %s", notice.recipients, path, notice.subject)
    return str(path)
