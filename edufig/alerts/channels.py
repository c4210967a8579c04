"""Delivery of one outbox message over its channel: SMTP, DingTalk, WeCom or local files.

Secrets are resolved here, at send time, and registered with the redactor before use.
Transient failures (connection errors, HTTP 5xx/429, SMTP 4xx) are retried within the call
with exponential backoff; the rest wait for the outbox retry of a later run.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from pydantic import TypeAdapter
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_exponential

from edufig.alerts.chat_webhooks import dingtalk_signed_url, post_robot
from edufig.alerts.errors import DeliveryError
from edufig.alerts.outbox_files import write_outbox_files
from edufig.alerts.secrets import Redactor, resolve
from edufig.alerts.smtp import email_message, send_email, smtp_config
from edufig.alerts.subscriptions import (
    Channel,
    DingTalkChannel,
    EmailChannel,
    SmtpSettings,
    WeComChannel,
)
from edufig.alerts.tables import OutboxMessage
from edufig.core.warehouse import ensure_no_write_connection

IN_CALL_ATTEMPTS = 3
RETRY_WAIT_ENV = "EDUFIG_ALERTS_RETRY_WAIT"  # seconds before the first in-call retry
_CHANNEL = TypeAdapter(Channel)


def robot_body(message: OutboxMessage) -> dict:
    """The robot post with the message's stable id, so a receiver (or a relay in front of
    the robot) can drop the copy an at-least-once resend may produce."""
    return {**message.payload["body"], "msgid": message.message_id}


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
            post_robot(url, robot_body(message))
        elif isinstance(channel, WeComChannel):
            webhook = resolve(channel.webhook, "host")
            self.redact.add(webhook)
            post_robot(webhook, robot_body(message))
        else:
            return write_outbox_files(message, self.outbox_dir)
        return None

    def attempt(self, message: OutboxMessage) -> Outcome:
        """Send with in-call retries of transient failures; never raises, so one bad message
        cannot stop the others. Errors come back redacted."""
        ensure_no_write_connection(f"delivering {message.message_id}")
        retrying = Retrying(
            stop=stop_after_attempt(IN_CALL_ATTEMPTS),
            wait=wait_exponential(multiplier=float(os.environ.get(RETRY_WAIT_ENV, "0.5")), max=4),
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
