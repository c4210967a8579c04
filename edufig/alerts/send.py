"""The alerts stage: sync flag state, queue new digests in the outbox, deliver what is due.

Delivery runs even when no quality run produced flags, so messages queued by an earlier run
that failed are still retried: nothing queued is ever dropped.
"""

from __future__ import annotations

import logging
from datetime import datetime

import duckdb

from edufig.alerts.channels import Deliverer, Outcome
from edufig.alerts.digests import digest_messages
from edufig.alerts.flag_routing import Flag, flags_table_exists, in_scope, read_flags, uncovered
from edufig.alerts.secrets import Redactor, redacted_logs
from edufig.alerts.subscriptions import Fallback, Recipient, Subscriptions, load_subscriptions
from edufig.alerts.tables import (
    ALERT_TABLES,
    MAX_FAILED_RUNS,
    FlagChanges,
    OutboxMessage,
    dead_letters,
    delivered_flags,
    due_messages,
    ensure_schema,
    list_messages,
    mark_failed,
    mark_sending,
    mark_sent,
    queue,
    requeue,
    sync_flag_state,
)
from edufig.core import landing_fingerprint
from edufig.core.config import Settings, StageResult, timed
from edufig.core.warehouse import (
    ALERTS_SNAPSHOT_NAME,
    has_table,
    read_only_connection,
    reader,
    replace_snapshot,
    snapshot_path,
    writer,
    writer_lock,
)
from edufig.review.landing import reviewed_flag_ids

log = logging.getLogger("edufig.alerts")
COUNT_KEYS = (
    "digests",
    "messages_written",
    "messages_sent",
    "messages_failed",
    "messages_dead",
    "flags_new",
    "flags_resolved",
    "flags_unassigned",
    "flags_reviewed",
)
# meta.stage_fingerprints: what the alerts' snapshot was last copied from
SNAPSHOT_STAGE = "alerts_snapshot"


def _now() -> datetime:
    return datetime.now()


def _queue_recipient(
    con: duckdb.DuckDBPyConnection,
    recipient: Recipient | Fallback,
    scoped: list[Flag],
    changes: FlagChanges,
    now: datetime,
) -> int | None:
    """Messages written for one recipient, or None when nothing in scope is new for them."""
    written: int | None = None
    for channel in recipient.channels:
        done = delivered_flags(con, recipient.name, channel.key())
        new = [f for f in scoped if (f.flag_id, changes.times_raised[f.flag_id]) not in done]
        if not new:
            continue
        messages = digest_messages(recipient, channel, new, changes.times_raised)
        keys = [(f.flag_id, changes.times_raised[f.flag_id]) for f in new]
        written = (written or 0) + queue(con, messages, keys, now)
        log.info("queued %d new flag(s) for %s via %s", len(new), recipient.name, channel.type)
    return written


def plan(
    con: duckdb.DuckDBPyConnection, subscriptions: Subscriptions, result: StageResult, now: datetime
) -> None:
    """Update flag state from dq.dq_flags and queue one digest per recipient with new flags.

    A flag a reviewer already decided on is not sent again while it is raised with the same
    values (its id hashes them); flags no recipient covers go to the fallback, if any."""
    changes = sync_flag_state(con, now)
    result.add("flags_new", changes.new)
    result.add("flags_resolved", changes.resolved)
    decided = reviewed_flag_ids(con)
    flags = [f for f in read_flags(con) if f.flag_id not in decided]
    result.add("flags_reviewed", len(changes.times_raised) - len(flags))
    routes: list[tuple[Recipient | Fallback, list[Flag]]] = [
        (r, [f for f in flags if in_scope(r, f)]) for r in subscriptions.recipients
    ]
    unassigned = uncovered(subscriptions.recipients, flags)
    result.add("flags_unassigned", len(unassigned))
    if subscriptions.fallback and unassigned:
        routes.append((subscriptions.fallback, unassigned))
    for recipient, scoped in routes:
        written = _queue_recipient(con, recipient, scoped, changes, now)
        if written is not None:
            result.add("digests")
            result.add("messages_written", written)


def _record(settings: Settings, message: OutboxMessage, outcome: Outcome, result: StageResult):
    attempts = message.attempts + outcome.attempts
    with writer(settings) as con:
        if outcome.error is None:
            mark_sent(con, message, attempts, outcome.body_path, _now())
        else:
            mark_failed(con, message, attempts, outcome.error, _now())
    if outcome.error is None:
        result.add("messages_sent")
        log.info("sent %s to %s via %s", message.message_id, message.recipient, message.channel)
        return
    result.add("messages_failed")
    result.errors.append(
        f"alert {message.message_id} to {message.recipient} via {message.channel_key}:"
        f" {outcome.error}"
    )
    log.warning("delivery of %s failed: %s", message.message_id, outcome.error)


def deliver_due(
    settings: Settings,
    subscriptions: Subscriptions,
    result: StageResult,
    now: datetime | None = None,
) -> None:
    """Send every outbox message whose attempt is due and record each outcome as it happens.
    No write connection is open while a server is being talked to: each outcome is written
    through a connection of its own."""
    with writer(settings) as con:
        due = due_messages(con, now or _now())
    redact = Redactor()
    deliverer = Deliverer(settings.outbox_dir, subscriptions.smtp, redact)
    failed_digests: set[str] = set()
    for message in due:
        if message.digest_id in failed_digests:
            continue
        with writer(settings) as con:
            mark_sending(con, message)
        with redacted_logs(redact, "urllib3.connectionpool", "edufig.alerts"):
            outcome = deliverer.attempt(message)
        _record(settings, message, outcome, result)
        if outcome.error is not None:
            failed_digests.add(message.digest_id)


def _plan(settings: Settings, subscriptions: Subscriptions, result: StageResult, now: datetime):
    with writer(settings) as con:
        ensure_schema(con)
        if flags_table_exists(con):
            plan(con, subscriptions, result, now)
        else:
            result.errors.append(
                f"{settings.warehouse}: no dq.dq_flags table (run the quality stage first);"
                " only delivering messages already queued"
            )


def report_dead_letters(con: duckdb.DuckDBPyConnection, result: StageResult) -> None:
    """Dead letters fail the stage on every run until an engineer requeues them."""
    dead = dead_letters(con)
    result.counts["messages_dead"] = len(dead)
    if dead:
        result.failed = True
        result.errors.append(
            f"{len(dead)} alert message(s) undeliverable after {MAX_FAILED_RUNS} failed runs"
            f" (dead letters: {', '.join(dead[:5])}{' …' if len(dead) > 5 else ''});"
            " see `edufig alerts --failed`, fix the channel, then"
            " `edufig alerts --requeue MESSAGE_ID` (or `--requeue all`)"
        )


def publish_alert_tables(settings: Settings, result: StageResult) -> None:
    """Copy the alert tables into their snapshot unless it holds them already: a run that
    queued, sent and resolved nothing would copy the whole outbox (every message ever
    sent) for the same rows."""
    with reader(settings) as con:
        digest = landing_fingerprint.tables_digest(con, ALERT_TABLES)
        copied_from = landing_fingerprint.recorded_on(con).get(SNAPSHOT_STAGE)
    if digest == copied_from and snapshot_path(settings, ALERTS_SNAPSHOT_NAME).exists():
        result.counts["snapshot_unchanged"] = 1
        return
    replace_snapshot(settings, ALERTS_SNAPSHOT_NAME, list(ALERT_TABLES))
    landing_fingerprint.record(settings, {SNAPSHOT_STAGE: digest})


def send_alerts(settings: Settings, now: datetime | None = None) -> StageResult:
    """The `alerts` stage. `now` lets a caller act as a later run (retry backoff is real time).
    Ends by publishing the alert tables, which `edufig alerts` reads."""
    result = StageResult("alerts", counts=dict.fromkeys(COUNT_KEYS, 0))
    with timed(result), writer_lock(settings):
        subscriptions = load_subscriptions(settings.subscriptions_file)
        _plan(settings, subscriptions, result, now or _now())
        deliver_due(settings, subscriptions, result, now)
        with writer(settings) as con:
            report_dead_letters(con, result)
        publish_alert_tables(settings, result)
    return result


def requeue_alerts(settings: Settings, message_ids: list[str]) -> int:
    """`edufig alerts --requeue`: dead or failed messages get a fresh retry budget."""
    with writer(settings) as con:
        ensure_schema(con)
        return requeue(con, message_ids)


def list_alerts(settings: Settings, status: str | None = None) -> list[dict]:
    """Outbox messages for `edufig alerts`, as last published: all, 'pending', 'sent',
    'failed' or 'dead'."""
    path = snapshot_path(settings, ALERTS_SNAPSHOT_NAME)
    if not path.exists():
        return []
    with read_only_connection(path) as con:
        if not has_table(con, "alerts", "outbox"):
            return []
        return list_messages(con, status)


def unassigned_flags(settings: Settings) -> tuple[list[Flag], Fallback | None]:
    """Current flags no recipient covers, and who receives them instead (`edufig alerts`)."""
    subscriptions = load_subscriptions(settings.subscriptions_file)
    path = snapshot_path(settings)
    if not path.exists():
        return [], subscriptions.fallback
    with read_only_connection(path) as con:
        flags = read_flags(con) if flags_table_exists(con) else []
    return uncovered(subscriptions.recipients, flags), subscriptions.fallback
