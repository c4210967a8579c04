"""Chaos suite, alerts: webhook 500 storms, a kill between a robot's 200 and the state
update, an SMTP server that drops after DATA. What must hold: every message arrives, a
copy carries the same id as the original (so receivers drop it), a message that cannot be
delivered is a dead letter that fails the stage on every run until an engineer requeues
it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from edufig.alerts import list_alerts, send_alerts
from edufig.alerts.tables import MAX_FAILED_RUNS
from edufig.cli import main
from edufig.core.config import Settings
from tests.alerts.conftest import (
    EMAIL_SX,
    SmtpSink,
    query,
    raise_flags,
    seed_flags,
    subscribed,
)
from tests.alerts.test_delivery import ROBOTS_ONLY

REPO = Path(__file__).resolve().parents[2]


def robot_ids(robots) -> list[str]:
    return [post["body"]["msgid"] for post in robots.posts]


def outbox_ids(settings: Settings) -> set[str]:
    return {row[0] for row in query(settings, "SELECT message_id FROM alerts.outbox")}


def fail_every_run(settings: Settings, robots) -> datetime:
    """Runs the alerts stage until the retry budget is spent; returns the clock after."""
    robots.fail_next = 10_000
    clock = datetime.now()
    for _ in range(MAX_FAILED_RUNS):
        send_alerts(settings, now=clock)
        clock += timedelta(days=1)
    return clock


def test_a_500_storm_ends_in_a_dead_letter_reported_every_run_until_requeued(
    settings: Settings, tmp_path: Path, robots, capsys: pytest.CaptureFixture[str]
) -> None:
    raise_flags(settings, seed_flags())
    subscribed(settings, tmp_path, ROBOTS_ONLY)
    clock = fail_every_run(settings, robots)
    later = send_alerts(settings, now=clock)  # the run after the budget: nothing silent
    assert later.failed and later.counts["messages_dead"] == 2
    assert "2 alert message(s) undeliverable after 10 failed runs" in later.errors[-1]
    assert robots.posts == []

    wh = ["--warehouse", str(settings.warehouse)]
    assert main(["alerts", "--failed", *wh]) == 0
    listing = capsys.readouterr().out
    dead = [m["message_id"] for m in list_alerts(settings, "failed")]
    assert all(message_id in listing for message_id in dead) and listing.count("dead") == 2
    assert "DeliveryError: HTTP 500" in listing

    robots.fail_next = 0
    assert main(["alerts", "--requeue", dead[0], *wh]) == 0
    first = send_alerts(settings, now=clock)
    assert first.counts["messages_sent"] == 1 and first.counts["messages_dead"] == 1
    assert first.failed  # the other one is still dead
    assert main(["alerts", "--requeue", "all", *wh]) == 0
    second = send_alerts(settings, now=clock)
    assert second.counts["messages_sent"] == 1 and not second.failed and second.errors == []
    assert sorted(robot_ids(robots)) == sorted(outbox_ids(settings))  # each once, none lost


def test_requeue_of_an_unknown_id_says_so(settings: Settings, capsys) -> None:
    raise_flags(settings, seed_flags()[:1])
    send_alerts(settings)
    assert main(["alerts", "--requeue", "no-such-id", "--warehouse", str(settings.warehouse)]) == 1
    assert "0 message(s) requeued" in capsys.readouterr().out


def test_a_kill_after_the_robot_accepted_resends_only_that_message_with_its_id(
    settings: Settings, tmp_path: Path, robots
) -> None:
    raise_flags(settings, seed_flags())
    subscribed(settings, tmp_path, ROBOTS_ONLY)
    robots.hold_next = 1  # the first post is accepted, then the sender is killed
    command = [sys.executable, "-m", "edufig.cli", "stage", "alerts", "--quiet"]
    command += ["--warehouse", str(settings.warehouse)]
    command += ["--subscriptions", str(settings.subscriptions_file)]
    sender = subprocess.Popen(command, cwd=REPO, env=os.environ.copy())
    try:
        assert robots.arrived.wait(60), "the alerts stage never posted"
        sender.send_signal(signal.SIGKILL)
        sender.wait(10)
    finally:
        robots.release.set()
    in_flight = robot_ids(robots)[0]
    states = dict(query(settings, "SELECT message_id, status FROM alerts.outbox"))
    assert states[in_flight] == "sending"  # written before the send, never after

    rerun = send_alerts(settings)
    assert rerun.counts["messages_sent"] == 2 and rerun.errors == []
    copies = Counter(robot_ids(robots))
    assert set(copies) == outbox_ids(settings)  # nothing lost
    assert copies == {in_flight: 2, **{m: 1 for m in copies if m != in_flight}}
    resent = [p["body"] for p in robots.posts if p["body"]["msgid"] == in_flight]
    assert resent[0] == resent[1]  # the copy is byte-for-byte the same post


def test_an_smtp_drop_after_data_resends_with_the_same_message_id(
    settings: Settings, tmp_path: Path, smtp_server: SmtpSink
) -> None:
    smtp_server.drop_after_data = 1
    raise_flags(settings, seed_flags())
    result = send_alerts(subscribed(settings, tmp_path, EMAIL_SX))
    assert result.counts["messages_sent"] == 1 and result.errors == []
    ids = [m["Message-ID"] for m in smtp_server.messages()]
    assert len(ids) == 2 and len(set(ids)) == 1  # a duplicate the client can't avoid, same id
    (message_id,) = outbox_ids(settings)
    assert ids[0] == f"<{message_id}@edufig>"
    assert query(settings, "SELECT status, attempts FROM alerts.outbox") == [("sent", 2)]
