"""The deadline watch's runs as Airflow creates them, without a scheduler: a backfill of past
days (their deadlines long gone) gets no deadline, so no alarm; a run triggered by hand is
given one, measured from its trigger. Real metadata database, real CLI."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.airflow.conftest import airflow, airflow_env

WATCH = "edufig_chain_deadline"
DEADLINE_MINUTES = 240

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]


def deadlines_by_run(home: Path) -> dict[str, tuple[str, str | None]]:
    """run_type and deadline time (None: no deadline) of every watch run."""
    with sqlite3.connect(home / "airflow.db") as con:
        rows = con.execute(
            "SELECT r.run_id, r.run_type, r.run_after, d.deadline_time FROM dag_run r"
            " LEFT JOIN deadline d ON d.dagrun_id = r.id WHERE r.dag_id = ?",
            (WATCH,),
        ).fetchall()
    return {
        run_id: (run_type, run_after, deadline) for run_id, run_type, run_after, deadline in rows
    }


def test_backfilled_days_get_no_deadline_and_a_manual_run_gets_one(
    tmp_path: Path, dbt_manifest: Path
) -> None:
    home = tmp_path / "home"
    env = airflow_env(home, tmp_path / "data", dbt_manifest)
    airflow(env, "db", "migrate")
    airflow(env, "dags", "reserialize")
    airflow(
        env, "backfill", "create", "--dag-id", WATCH,
        "--from-date", "2026-03-01", "--to-date", "2026-03-03",
    )  # fmt: skip
    airflow(env, "dags", "trigger", WATCH)
    runs = deadlines_by_run(home)
    backfilled = {
        run_id: deadline for run_id, (kind, _, deadline) in runs.items() if kind == "backfill"
    }
    # 06:00 Shanghai on March 2 and 3 (22:00 UTC the day before) fall in the range.
    assert backfilled == {
        "backfill__2026-03-01T22:00:00+00:00": None,
        "backfill__2026-03-02T22:00:00+00:00": None,
    }, runs
    (manual,) = [(after, deadline) for kind, after, deadline in runs.values() if kind == "manual"]
    run_after, deadline = (datetime.fromisoformat(v) for v in manual)
    assert deadline - run_after == timedelta(minutes=DEADLINE_MINUTES)
