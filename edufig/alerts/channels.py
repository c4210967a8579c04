"""Delivery of one outbox message over its channel: SMTP, DingTalk, WeCom or local files.

Each sender raises `DeliveryError` unless the server accepted the message; transient
failures (connection errors, HTTP 5xx/429, SMTP 4xx) are retried within the call with
exponential backoff, the rest wait for the next run's retry of the outbox.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import smtplib
import ssl
import time
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import quote_plus

import requests
from pydantic import TypeAdapter
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_exponential

from edufig.alerts.secrets import Redactor, SecretError, airflow_connection, resolve
from edufig.alerts.state import OutboxMessage
from edufig.alerts.subscriptions import (
    Channel,
    DingTalkChannel,
    EmailChannel,
    SmtpSettings,
    WeComChannel,
)

HTTP_TIMEOUT = (5, 20)
SMTP_TIMEOUT = 30
IN_CALL_ATTEMPTS = 3
IN_CALL_WAIT = wait_exponential(multiplier=0.5, max=4)
LOOPBACK = ("127.0.0.1", "localhost", "::1")
OUTBOX_SENDER = Address("EduFigures", "edufig", "localhost")
_CHANNEL = TypeAdapter(Channel)


class DeliveryError(RuntimeError):
    """The server did not accept the message; `transient` says whether to retry now."""

    def __init__(self, message: str, transient: bool = False) -> None:
        super().__init__(message)
        self.transient = transient


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
        if self.security == "plain" and self.host not in LOOPBACK:
            raise SecretError(f"plain SMTP is only allowed to a loopback server, not {self.host}")


def smtp_config(settings: SmtpSettings) -> SmtpConfig:
    """SMTP settings from the Airflow connection named in the subscriptions, else EDUFIG_SMTP_*."""
    if settings.airflow_conn and not os.environ.get("EDUFIG_SMTP_HOST"):
        conn = airflow_connection(settings.airflow_conn)
        extra = conn.extra_dejson
        return SmtpConfig(
            host=conn.host,
            port=int(conn.port or 587),
            user=conn.login,
            password=conn.password,
            security=extra.get("security", "starttls"),
            sender=extra.get("from_email") or conn.login or "edufig@localhost",
            ca_file=extra.get("ca_file"),
        )
    env = os.environ
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


def dingtalk_signed_url(webhook: str, secret: str, now_ms: int | None = None) -> str:
    """DingTalk 加签: HMAC-SHA256 of "timestamp\\nsecret", base64, as query parameters."""
    timestamp = str(now_ms if now_ms is not None else int(time.time() * 1000))
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = quote_plus(base64.b64encode(digest).decode())
    separator = "&" if "?" in webhook else "?"
    return f"{webhook}{separator}timestamp={timestamp}&sign={sign}"


def post_robot(url: str, body: dict) -> None:
    """POST a robot message; both robots answer HTTP 200 with errcode 0 when they accept it."""
    try:
        response = requests.post(url, json=body, timeout=HTTP_TIMEOUT)
    except requests.RequestException as exc:
        raise DeliveryError(f"{type(exc).__name__}: {exc}", transient=True) from exc
    if response.status_code != 200:
        transient = response.status_code >= 500 or response.status_code == 429
        raise DeliveryError(f"HTTP {response.status_code}", transient=transient)
    try:
        answer = response.json()
    except ValueError as exc:
        raise DeliveryError("robot answered with a body that is not JSON", True) from exc
    if answer.get("errcode") != 0:
        raise DeliveryError(f"robot errcode {answer.get('errcode')}: {answer.get('errmsg')}")


def write_outbox_files(message: OutboxMessage, outbox_dir: Path) -> str:
    """The local 'channel': the email as .eml and the digest as .json, written atomically."""
    outbox_dir.mkdir(parents=True, exist_ok=True)
    to = Address(message.recipient, "outbox", "localhost")
    eml = email_message(message, OUTBOX_SENDER, to).as_bytes()
    record = {
        "message_id": message.message_id,
        "recipient": message.recipient,
        "subject": message.subject,
        "flags": message.payload["flags"],
        "text": message.payload["text"],
    }
    base = outbox_dir / message.message_id
    _write_atomic(base.with_suffix(".eml"), eml)
    _write_atomic(base.with_suffix(".json"), json.dumps(record, ensure_ascii=False).encode())
    return str(base.with_suffix(".eml"))


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


@dataclass
class Deliverer:
    """Sends outbox messages; resolves secrets only here, and registers them for redaction."""

    outbox_dir: Path
    smtp: SmtpSettings
    redact: Redactor

    def send(self, message: OutboxMessage) -> str | None:
        channel = _CHANNEL.validate_json(message.channel_spec)
        if isinstance(channel, EmailChannel):
            config = smtp_config(self.smtp)
            self.redact.add(config.password)
            send_email(email_message(message, config.sender, channel.address), config)
        elif isinstance(channel, DingTalkChannel):
            webhook = resolve(channel.webhook, "host")
            secret = resolve(channel.secret) if channel.secret else None
            self.redact.add(webhook, secret)
            url = dingtalk_signed_url(webhook, secret) if secret else webhook
            post_robot(url, message.payload["body"])
        elif isinstance(channel, WeComChannel):
            webhook = resolve(channel.webhook, "host")
            self.redact.add(webhook)
            post_robot(webhook, message.payload["body"])
        else:
            return write_outbox_files(message, self.outbox_dir)
        return None

    def attempt(self, message: OutboxMessage) -> Outcome:
        """Send with in-call retries of transient failures; never raises, so one bad message
        cannot stop the others. Errors come back redacted."""
        retrying = Retrying(
            stop=stop_after_attempt(IN_CALL_ATTEMPTS),
            wait=IN_CALL_WAIT,
            retry=retry_if_exception(lambda e: isinstance(e, DeliveryError) and e.transient),
            reraise=True,
        )
        try:
            body_path = retrying(self.send, message)
        except Exception as exc:  # any failure is recorded on the message and retried later
            error = self.redact(f"{type(exc).__name__}: {exc}")
            return Outcome(retrying.statistics.get("attempt_number", 1), None, error)
        return Outcome(retrying.statistics.get("attempt_number", 1), body_path, None)


@dataclass(frozen=True)
class Outcome:
    attempts: int
    body_path: str | None
    error: str | None
