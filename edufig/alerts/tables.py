"""Alert state in the warehouse (schema `alerts`): flag lifecycle, deliveries, the outbox.

The outbox table is the source of truth for delivery: a message is written (with the
deliveries it covers, in one transaction) before anything is sent, marked `sending` just
before each attempt and flipped to `sent` only after the server accepted it. A crash in
between leaves it `sending`, and the next run sends it again: delivery is at-least-once,
a crash resends at most the one message in flight, and receivers drop the copy by its
stable id (the e-mail Message-ID, `msgid` in robot posts). After MAX_FAILED_RUNS failed
runs a message is `dead`: never retried by itself, reported on every run until an
engineer requeues it (`edufig alerts --requeue`). Nothing persisted here holds a
secret — channels are stored by reference (variable or connection names), never by
resolved URL or key.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

import duckdb

MAX_FAILED_RUNS = 10  # with the backoff below: about a day and a half of retries
RETRY_BASE = timedelta(minutes=5)
RETRY_CAP = timedelta(hours=6)
ALERT_TABLES = (("alerts", "flag_state"), ("alerts", "deliveries"), ("alerts", "outbox"))

SCHEMA = """
CREATE SCHEMA IF NOT EXISTS alerts;
CREATE TABLE IF NOT EXISTS alerts.flag_state (
    flag_id VARCHAR PRIMARY KEY, check_name VARCHAR, severity VARCHAR, region_code VARCHAR,
    region_name VARCHAR, metric VARCHAR, year INTEGER, message_zh VARCHAR,
    first_seen TIMESTAMP, last_seen TIMESTAMP, resolved_at TIMESTAMP,
    times_raised INTEGER, last_run_id VARCHAR
);
CREATE TABLE IF NOT EXISTS alerts.outbox (
    message_id VARCHAR PRIMARY KEY, digest_id VARCHAR, recipient VARCHAR, channel VARCHAR,
    channel_key VARCHAR, channel_spec VARCHAR, part INTEGER, parts INTEGER, subject VARCHAR,
    flag_count INTEGER, payload_json VARCHAR, body_path VARCHAR, status VARCHAR,
    attempts INTEGER, failed_runs INTEGER, last_error VARCHAR, next_attempt_at TIMESTAMP,
    created_at TIMESTAMP,
    sent_at TIMESTAMP
);
CREATE TABLE IF NOT EXISTS alerts.deliveries (
    flag_id VARCHAR, times_raised INTEGER, recipient VARCHAR, channel_key VARCHAR,
    digest_id VARCHAR, queued_at TIMESTAMP, sent_at TIMESTAMP,
    PRIMARY KEY (flag_id, times_raised, recipient, channel_key)
);
"""


@dataclass(frozen=True)
class OutboxMessage:
    message_id: str
    digest_id: str
    recipient: str
    channel: str
    channel_key: str
    channel_spec: str
    part: int
    parts: int
    subject: str
    flag_count: int
    payload: dict
    attempts: int = 0
    failed_runs: int = 0


@dataclass(frozen=True)
class FlagChanges:
    new: int
    resolved: int
    times_raised: dict[str, int]


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(SCHEMA)
    # messages abandoned before dead letters existed: failed for good, yet never reported
    con.execute(
        "UPDATE alerts.outbox SET status = 'dead' WHERE status = 'failed' AND failed_runs >= ?",
        [MAX_FAILED_RUNS],
    )


def sync_flag_state(con: duckdb.DuckDBPyConnection, now: datetime) -> FlagChanges:
    """Record which flags dq.dq_flags raises now; a flag missing from this run is resolved,
    and a resolved flag raised again starts a new occurrence (times_raised + 1) so it is resent.
    `last_seen` is when this stage first saw the latest quality run that raised the flag: a run
    after a skipped quality stage changes no row."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE current_flags AS SELECT DISTINCT ON (flag_id) flag_id,"
        " check_name, severity, region_code, region_name, metric, year, message_zh, run_id"
        " FROM dq.dq_flags ORDER BY flag_id"
    )
    con.execute("BEGIN")
    reappeared = _count(
        con,
        "UPDATE alerts.flag_state SET resolved_at = NULL, times_raised = times_raised + 1"
        " WHERE resolved_at IS NOT NULL AND flag_id IN (SELECT flag_id FROM current_flags)",
    )
    con.execute(
        "UPDATE alerts.flag_state s SET last_seen = ?, last_run_id = c.run_id,"
        " severity = c.severity, message_zh = c.message_zh"
        " FROM current_flags c WHERE s.flag_id = c.flag_id"
        " AND s.last_run_id IS DISTINCT FROM c.run_id",
        [now],
    )
    inserted = _count(
        con,
        "INSERT INTO alerts.flag_state SELECT flag_id, check_name, severity, region_code,"
        " region_name, metric, year, message_zh, ?, ?, NULL, 1, run_id FROM current_flags"
        " WHERE flag_id NOT IN (SELECT flag_id FROM alerts.flag_state)",
        [now, now],
    )
    resolved = _count(
        con,
        "UPDATE alerts.flag_state SET resolved_at = ? WHERE resolved_at IS NULL"
        " AND flag_id NOT IN (SELECT flag_id FROM current_flags)",
        [now],
    )
    con.execute("COMMIT")
    raised = con.execute(
        "SELECT s.flag_id, s.times_raised FROM alerts.flag_state s"
        " JOIN current_flags USING (flag_id)"
    ).fetchall()
    return FlagChanges(reappeared + inserted, resolved, dict(raised))


def _count(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> int:
    row = con.execute(sql, params or []).fetchone()
    return int(row[0]) if row else 0


def delivered_flags(con: duckdb.DuckDBPyConnection, recipient: str, channel_key: str) -> set:
    """(flag_id, times_raised) already queued or sent to this recipient on this channel."""
    rows = con.execute(
        "SELECT flag_id, times_raised FROM alerts.deliveries"
        " WHERE recipient = ? AND channel_key = ?",
        [recipient, channel_key],
    ).fetchall()
    return {(flag_id, n) for flag_id, n in rows}


def queue(
    con: duckdb.DuckDBPyConnection,
    messages: list[OutboxMessage],
    flag_keys: list[tuple[str, int]],
    now: datetime,
) -> int:
    """Persist one digest's messages and the deliveries they cover, atomically.
    Returns how many messages were new (a digest planned twice is written once)."""
    first = messages[0]
    con.execute("BEGIN")
    written = sum(
        _count(
            con,
            "INSERT OR IGNORE INTO alerts.outbox VALUES"
            " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, 'pending', 0, 0, NULL, NULL, ?, NULL)",
            [
                m.message_id,
                m.digest_id,
                m.recipient,
                m.channel,
                m.channel_key,
                m.channel_spec,
                m.part,
                m.parts,
                m.subject,
                m.flag_count,
                json.dumps(m.payload, ensure_ascii=False),
                now,
            ],
        )
        for m in messages
    )
    con.executemany(
        "INSERT OR IGNORE INTO alerts.deliveries VALUES (?, ?, ?, ?, ?, ?, NULL)",
        [
            (flag_id, n, first.recipient, first.channel_key, first.digest_id, now)
            for flag_id, n in flag_keys
        ],
    )
    con.execute("COMMIT")
    return written


def due_messages(con: duckdb.DuckDBPyConnection, now: datetime) -> list[OutboxMessage]:
    """Unsent messages whose next attempt is due, oldest first; a part waits while an earlier
    part of its digest waits, so robot parts arrive in order."""
    rows = con.execute(
        "SELECT message_id, digest_id, recipient, channel, channel_key, channel_spec, part,"
        " parts, subject, flag_count, payload_json, attempts, failed_runs FROM alerts.outbox o"
        " WHERE status IN ('pending', 'failed', 'sending')"
        " AND (next_attempt_at IS NULL OR next_attempt_at <= ?)"
        " AND NOT EXISTS (SELECT 1 FROM alerts.outbox p WHERE p.digest_id = o.digest_id"
        "   AND p.part < o.part AND p.status <> 'sent'"
        "   AND p.next_attempt_at > ?)"
        " ORDER BY created_at, recipient, channel_key, part",
        [now, now],
    ).fetchall()
    return [
        OutboxMessage(*row[:10], json.loads(row[10]), attempts=row[11], failed_runs=row[12])
        for row in rows
    ]


def mark_sending(con: duckdb.DuckDBPyConnection, message: OutboxMessage) -> None:
    """Recorded (and committed) before the send: a crash from here on resends this one."""
    con.execute(
        "UPDATE alerts.outbox SET status = 'sending' WHERE message_id = ?", [message.message_id]
    )


def mark_sent(
    con: duckdb.DuckDBPyConnection,
    message: OutboxMessage,
    attempts: int,
    body_path: str | None,
    now: datetime,
) -> None:
    con.execute(
        "UPDATE alerts.outbox SET status = 'sent', attempts = ?, sent_at = ?, body_path = ?,"
        " next_attempt_at = NULL WHERE message_id = ?",
        [attempts, now, body_path, message.message_id],
    )
    con.execute(
        "UPDATE alerts.deliveries SET sent_at = ? WHERE digest_id = ? AND sent_at IS NULL"
        " AND NOT EXISTS (SELECT 1 FROM alerts.outbox WHERE digest_id = ? AND status <> 'sent')",
        [now, message.digest_id, message.digest_id],
    )


def next_attempt(failed_runs: int, now: datetime) -> datetime | None:
    """Exponential backoff across runs (5 min, 10, 20, … up to 6 h); None once given up."""
    if failed_runs >= MAX_FAILED_RUNS:
        return None
    return now + min(RETRY_BASE * 2 ** max(failed_runs - 1, 0), RETRY_CAP)


def mark_failed(
    con: duckdb.DuckDBPyConnection, message: OutboxMessage, attempts: int, error: str, now: datetime
) -> None:
    failed = message.failed_runs + 1
    retry_at = next_attempt(failed, now)
    con.execute(
        "UPDATE alerts.outbox SET status = ?, attempts = ?, failed_runs = ?,"
        " last_error = ?, next_attempt_at = ? WHERE message_id = ?",
        [
            "failed" if retry_at else "dead",
            attempts,
            failed,
            error[:1000],
            retry_at,
            message.message_id,
        ],
    )


def dead_letters(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "SELECT message_id FROM alerts.outbox WHERE status = 'dead' ORDER BY created_at"
    ).fetchall()
    return [row[0] for row in rows]


def requeue(con: duckdb.DuckDBPyConnection, message_ids: list[str]) -> int:
    """Dead or failed messages back to pending with a fresh retry budget; ['all'] takes
    every dead letter. Returns how many were requeued."""
    every = message_ids == ["all"]
    where = "status = 'dead'" if every else "status IN ('dead', 'failed') AND message_id IN ?"
    return _count(
        con,
        "UPDATE alerts.outbox SET status = 'pending', failed_runs = 0, next_attempt_at = NULL"
        f" WHERE {where}",
        [] if every else [message_ids],
    )


OUTBOX_COLUMNS = (
    "message_id",
    "recipient",
    "channel",
    "channel_key",
    "subject",
    "part",
    "parts",
    "flag_count",
    "status",
    "attempts",
    "failed_runs",
    "last_error",
    "next_attempt_at",
    "created_at",
    "sent_at",
    "body_path",
)


def list_messages(con: duckdb.DuckDBPyConnection, status: str | None) -> list[dict]:
    """Outbox rows for display; 'pending' means still to be sent (including failed, to
    retry), 'failed' means failed at least once and not sent, dead letters included."""
    where = {
        None: "TRUE",
        "pending": "status NOT IN ('sent', 'dead')",
        "sent": "status = 'sent'",
        "failed": "status IN ('failed', 'dead')",
        "dead": "status = 'dead'",
    }
    if status not in where:
        raise ValueError(f"unknown alert status {status!r}; use pending, sent, failed or dead")
    cursor = con.execute(
        f"SELECT {', '.join(OUTBOX_COLUMNS)} FROM alerts.outbox WHERE {where[status]}"
        " ORDER BY created_at, recipient, channel_key, part"
    )
    return [dict(zip(OUTBOX_COLUMNS, row, strict=True)) for row in cursor.fetchall()]
