"""The alerts stage publishes its tables (`published/alert_outbox.duckdb`, read by
`edufig alerts` and the review site) only when they changed: the outbox keeps every message
ever sent, so a copy per quiet run would grow with history."""

from __future__ import annotations

from edufig.alerts.send import send_alerts
from edufig.core.config import Settings
from edufig.core.warehouse import ALERTS_SNAPSHOT_NAME, read_only_connection, snapshot_path
from tests.alerts.conftest import query, raise_flags, seed_flags

STATE_SQL = "SELECT flag_id, last_seen, last_run_id FROM alerts.flag_state ORDER BY flag_id"


def published_run_ids(settings: Settings) -> set[str]:
    with read_only_connection(snapshot_path(settings, ALERTS_SNAPSHOT_NAME)) as con:
        rows = con.execute("SELECT DISTINCT last_run_id FROM alerts.flag_state").fetchall()
    return {run_id for (run_id,) in rows}


def test_a_run_that_changes_nothing_keeps_the_snapshot(settings: Settings) -> None:
    raise_flags(settings, seed_flags())
    first = send_alerts(settings)
    snapshot = snapshot_path(settings, ALERTS_SNAPSHOT_NAME)
    copied = snapshot.stat().st_ino, snapshot.stat().st_mtime_ns
    state = query(settings, STATE_SQL)
    assert "snapshot_unchanged" not in first.counts

    quiet = send_alerts(settings)  # the quality stage skipped: the same run's flags

    assert quiet.counts["snapshot_unchanged"] == 1 and quiet.counts["messages_written"] == 0
    assert (snapshot.stat().st_ino, snapshot.stat().st_mtime_ns) == copied
    assert query(settings, STATE_SQL) == state


def test_a_new_quality_run_moves_last_seen_and_the_snapshot_follows(settings: Settings) -> None:
    raise_flags(settings, seed_flags())
    send_alerts(settings)
    before = dict((flag_id, seen) for flag_id, seen, _run in query(settings, STATE_SQL))

    raise_flags(settings, [{**flag, "run_id": "run-2"} for flag in seed_flags()])
    again = send_alerts(settings)

    assert "snapshot_unchanged" not in again.counts and again.counts["messages_written"] == 0
    after = query(settings, STATE_SQL)
    assert all(seen > before[flag_id] and run == "run-2" for flag_id, seen, run in after)
    assert published_run_ids(settings) == {"run-2"}
