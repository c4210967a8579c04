"""The decisions store: validated, WAL-mode, durable once acknowledged, landed by load."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta

import duckdb
import pytest

from edufig.alerts.send import send_alerts
from edufig.core.config import Settings
from edufig.load import load
from edufig.review.store import Decision, DecisionStore, decisions_path
from tests.alerts.conftest import flag, raise_flags

SHANXI = "山西省教育厅"


@pytest.fixture
def settings(tmp_path, monkeypatch) -> Settings:
    monkeypatch.delenv("EDUFIG_REVIEW_DB", raising=False)
    monkeypatch.setenv("EDUFIG_REVIEW_SECRET", "store-test-secret-0123456789")
    return Settings(warehouse=tmp_path / "data" / "warehouse.duckdb")


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"action": "dismiss"}, "needs a reason"),
        ({"action": "dismiss", "reason": "misread"}, "must name the misread figure"),
        ({"action": "correct", "corrected_value": 1.0}, "value and its source"),
        ({"action": "delete"}, "unknown review action"),
    ],
)
def test_an_incomplete_decision_is_refused(fields, problem):
    with pytest.raises(ValueError, match=problem):
        Decision(flag_id="f", reviewer=SHANXI, **fields)


def test_store_is_wal_and_a_decision_survives_a_killed_writer(settings):
    path = decisions_path(settings)
    DecisionStore(path)
    writer = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from edufig.review.store import Decision, DecisionStore\n"
        "d = DecisionStore(Path(sys.argv[1])).record(Decision(flag_id='f1', action='confirm',"
        " reviewer='山西省教育厅', note='acknowledged'))\n"
        "print(d.decision_id, flush=True)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", writer, str(path)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == -9 and proc.stdout.strip() == "1", proc.stderr
    (decision,) = DecisionStore(path).all()
    assert (decision.flag_id, decision.note, decision.decision_id) == ("f1", "acknowledged", 1)
    with sqlite3.connect(path) as con:
        assert con.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def _outbox_flag_ids(settings: Settings) -> list[list[str]]:
    """Flag ids of each digest written to the outbox, oldest first."""
    files = sorted(settings.outbox_dir.glob("*.json"), key=lambda p: p.stat().st_mtime_ns)
    return [
        sorted(f["flag_id"] for f in json.loads(p.read_text(encoding="utf-8"))["flags"])
        for p in files
    ]


def test_a_decided_flag_is_not_resent_when_it_is_raised_again(settings):
    raised = [flag("f-dismissed"), flag("f-open", year=2021), flag("f-gansu", region_code="621102",
              region_name="安定区", province="甘肃省", year=2019)]  # fmt: skip
    raise_flags(settings, raised)
    first = send_alerts(settings, now=datetime(2026, 12, 1))
    assert first.counts["flags_unassigned"] == 1  # 甘肃 has no subscriber: the fallback's
    assert sorted(_outbox_flag_ids(settings)) == [["f-dismissed", "f-open"], ["f-gansu"]]

    DecisionStore(decisions_path(settings)).record(
        Decision(flag_id="f-dismissed", action="dismiss", reason="expected", reviewer=SHANXI)
    )
    assert load(settings).counts["review_decisions_loaded"] == 1
    raise_flags(settings, [])  # both resolve ...
    send_alerts(settings, now=datetime(2026, 12, 2))
    raise_flags(settings, raised[:2])  # ... and come back with the same values
    third = send_alerts(settings, now=datetime(2026, 12, 3) + timedelta(hours=1))
    assert third.counts["flags_reviewed"] == 1
    assert _outbox_flag_ids(settings)[-1] == ["f-open"]
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        landed = con.execute("SELECT flag_id, action, reason FROM landing.review_decisions")
        assert landed.fetchall() == [("f-dismissed", "dismiss", "expected")]
