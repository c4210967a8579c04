"""Secrets resolved at send time, and scrubbed from everything that is persisted or logged.

Webhook URLs carry access tokens and error messages from `requests` repeat the URL, so every
string that leaves a channel (last_error, log lines, display targets) goes through `redact`.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from edufig.alerts.subscriptions import SecretRef

MASK = "***"
_TOKEN_PARAMS = re.compile(r"(?i)\b(access_token|key|sign|token|secret)=[^&\s'\"<>]+")


class SecretError(RuntimeError):
    """A referenced secret is not available (unset variable, missing connection)."""


def airflow_connection(conn_id: str) -> Any:
    """The Airflow connection `conn_id` (task context, secrets backend or AIRFLOW_CONN_*)."""
    try:
        from airflow.sdk import Connection
    except ImportError as exc:
        raise SecretError(f"airflow_conn {conn_id!r} needs Airflow installed") from exc
    try:
        return Connection.get(conn_id)
    except Exception as exc:  # Airflow raises several types for a missing connection
        problem = f"Airflow connection {conn_id!r} not found ({type(exc).__name__})"
        raise SecretError(problem) from exc


def resolve(ref: SecretRef, conn_field: str = "password") -> str:
    """The secret's value; for a connection, `conn_field` says which part holds it."""
    if ref.secret_env:
        value = os.environ.get(ref.secret_env, "")
        if not value:
            raise SecretError(f"environment variable {ref.secret_env} is not set")
        return value
    conn = airflow_connection(ref.airflow_conn or "")
    value = getattr(conn, conn_field, None) or conn.extra_dejson.get(conn_field)
    if not value:
        raise SecretError(f"Airflow connection {ref.airflow_conn!r} has no {conn_field}")
    return str(value)


def mask_url(url: str) -> str:
    """A webhook URL fit for display: scheme, host and path, token parameters masked."""
    return _TOKEN_PARAMS.sub(lambda m: f"{m.group(1)}={MASK}", url)


@dataclass
class Redactor:
    """Removes known secret values, and any token-looking query parameter, from text."""

    secrets: set[str] = field(default_factory=set)

    def add(self, *values: str | None) -> None:
        self.secrets.update(v for v in values if v and len(v) >= 4)

    def __call__(self, text: str) -> str:
        for secret in sorted(self.secrets, key=len, reverse=True):
            text = text.replace(secret, MASK)
        return mask_url(text)


class _RedactingFilter(logging.Filter):
    def __init__(self, redact: Redactor) -> None:
        super().__init__()
        self.redact = redact

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = self.redact(record.getMessage()), ()
        return True


@contextmanager
def redacted_logs(redact: Redactor, *names: str) -> Iterator[None]:
    """While sending, scrub the log records of libraries that print request URLs
    (urllib3 logs each request line, token included, at DEBUG)."""
    log_filter = _RedactingFilter(redact)
    loggers = [logging.getLogger(name) for name in names]
    for logger in loggers:
        logger.addFilter(log_filter)
    try:
        yield
    finally:
        for logger in loggers:
            logger.removeFilter(log_filter)
