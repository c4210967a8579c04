"""Email over SMTP: STARTTLS, implicit TLS, or plain to a loopback server only (or to a
host named in EDUFIG_SMTP_PLAIN_HOSTS, such as a mail sink on a private compose network).

Settings come from EDUFIG_SMTP_* variables or from an Airflow SMTP connection; the
password is used for the login and never kept anywhere else.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from edufig.alerts.errors import DeliveryError
from edufig.alerts.secrets import SecretError, airflow_connection
from edufig.alerts.subscriptions import SmtpSettings
from edufig.alerts.tables import OutboxMessage

SMTP_TIMEOUT = 30
LOOPBACK = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    user: str | None
    password: str | None
    security: str
    sender: str
    ca_file: str | None

    def __post_init__(self) -> None:
        if self.security not in ("starttls", "ssl", "plain"):
            raise SecretError(f"SMTP security {self.security!r}: use starttls, ssl or plain")
        if self.security == "plain" and self.host not in (*LOOPBACK, *_plain_hosts()):
            raise SecretError(
                f"plain SMTP is only allowed to a loopback server, not {self.host}"
                " (a private-network sink may be named in EDUFIG_SMTP_PLAIN_HOSTS)"
            )


def _plain_hosts() -> list[str]:
    return [
        h.strip() for h in os.environ.get("EDUFIG_SMTP_PLAIN_HOSTS", "").split(",") if h.strip()
    ]


def _airflow_security(extra: dict) -> str:
    """Our `security` extra, else the Airflow SMTP provider's disable_ssl / disable_tls."""
    if "security" in extra:
        return str(extra["security"])
    if not extra.get("disable_ssl", False):
        return "ssl"
    return "plain" if extra.get("disable_tls", False) else "starttls"


def _from_connection(conn_id: str) -> SmtpConfig:
    conn = airflow_connection(conn_id)
    extra = conn.extra_dejson
    security = _airflow_security(extra)
    return SmtpConfig(
        host=conn.host,
        port=int(conn.port or (465 if security == "ssl" else 587)),
        user=conn.login or None,
        password=conn.password or None,
        security=security,
        sender=extra.get("from_email") or conn.login or "edufig@localhost",
        ca_file=extra.get("ca_file"),
    )


def smtp_config(settings: SmtpSettings) -> SmtpConfig:
    """SMTP settings from EDUFIG_SMTP_* when set, else the subscriptions' Airflow connection."""
    env = os.environ
    if settings.airflow_conn and not env.get("EDUFIG_SMTP_HOST"):
        return _from_connection(settings.airflow_conn)
    if not env.get("EDUFIG_SMTP_HOST"):
        raise SecretError("no SMTP server configured (EDUFIG_SMTP_HOST or smtp.airflow_conn)")
    security = env.get("EDUFIG_SMTP_SECURITY", "starttls")
    return SmtpConfig(
        host=env["EDUFIG_SMTP_HOST"],
        port=int(env.get("EDUFIG_SMTP_PORT") or (465 if security == "ssl" else 587)),
        user=env.get("EDUFIG_SMTP_USER") or None,
        password=env.get("EDUFIG_SMTP_PASSWORD") or None,
        security=security,
        sender=env.get("EDUFIG_SMTP_FROM") or env.get("EDUFIG_SMTP_USER") or "edufig@localhost",
        ca_file=env.get("EDUFIG_SMTP_CA_FILE") or None,
    )


def email_message(message: OutboxMessage, sender: str | Address, to: str | Address) -> EmailMessage:
    """HTML with a plain-text alternative; headers hold no scraped text."""
    email = EmailMessage()
    email["Subject"] = message.subject
    email["From"] = sender
    email["To"] = to
    email["Message-ID"] = f"<{message.message_id}@edufig>"
    email["Date"] = format_datetime(datetime.now().astimezone())
    email.set_content(message.payload["text"], cte="base64")
    email.add_alternative(message.payload["html"], subtype="html", cte="base64")
    return email


def send_email(email: EmailMessage, config: SmtpConfig) -> None:
    context = ssl.create_default_context(cafile=config.ca_file)
    try:
        client = (
            smtplib.SMTP_SSL(config.host, config.port, timeout=SMTP_TIMEOUT, context=context)
            if config.security == "ssl"
            else smtplib.SMTP(config.host, config.port, timeout=SMTP_TIMEOUT)
        )
        with client:
            if config.security == "starttls":
                client.starttls(context=context)
            if config.user:
                client.login(config.user, config.password or "")
            client.send_message(email)
    except smtplib.SMTPResponseException as exc:
        transient = exc.smtp_code < 500
        raise DeliveryError(f"SMTP {exc.smtp_code}: {exc.smtp_error!r}", transient) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryError(f"SMTP {type(exc).__name__}: {exc}", transient=True) from exc
