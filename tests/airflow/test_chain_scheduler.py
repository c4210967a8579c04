"""The chain under a real scheduler: LocalExecutor, PostgreSQL as metadata database, a
fresh install with every DAG paused, as an engineer finds it. The deadline is one minute
after the 06:00 tick, so today's slot has always passed when the test starts.

1. Unpausing the deadline watch makes its run for today's passed slot: no deadline, no
   alert. A watch triggered by hand is measured from its trigger and, with no chain
   running, its deadline passes: one "daily chain late" notice, for that run only.
2. Unpausing the rest runs the chain; the downstream DAGs start from asset events and both
   watch runs finish on its events.
3. A scrape triggered by hand (no logical date) stamps its events with the Shanghai date of
   its trigger, and a watch triggered by hand matches it.

The api-server, scheduler and dag-processor are started here and stopped by their process
group ids. dbt runs as one task, the default on DuckDB; the per-node rendering is covered
by the `airflow dags test` chain.
"""

from __future__ import annotations

import email
import email.policy
import json
import secrets
from collections.abc import Iterator
from pathlib import Path

import pendulum
import pytest

from tests.airflow import deployment as components
from tests.airflow.conftest import POOLS_FILE, airflow, airflow_env, marts_snapshot

DOWNSTREAM = components.CHAIN[1:]
WATCH = "edufig_chain_deadline"
LATE = "[edufig] daily chain late"

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1500)]


@pytest.fixture(scope="module")
def metadata_db() -> Iterator[str]:
    with components.scratch_database("edufig_airflow") as name:
        yield name


class Deployment(components.Deployment):
    """The components plus what the deadline watch leaves behind."""

    def __init__(self, home: Path, env: dict[str, str], db: str) -> None:
        super().__init__(home, env, db)
        self.manual_watch: str | None = None

    def late_notices(self) -> list[email.message.EmailMessage]:
        outbox = self.warehouse.parent / "outbox" / "airflow"
        messages = [
            email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
            for p in outbox.glob("*.eml")
        ]
        return [m for m in messages if m["Subject"].startswith(LATE)]

    def trigger(self, dag_id: str) -> str:
        """`airflow dags trigger` without a logical date, as an engineer does; the run id."""
        done = airflow(self.env, "dags", "trigger", dag_id, "--output", "json")
        return json.loads(done.stdout.strip().splitlines()[-1])[0]["dag_run_id"]

    def run_state(self, dag_id: str, run_id: str) -> str | None:
        rows = self.sql(
            "SELECT state FROM dag_run WHERE dag_id = %s AND run_id = %s", dag_id, run_id
        )
        return rows[0][0] if rows else None


@pytest.fixture(scope="module")
def deployment(
    tmp_path_factory: pytest.TempPathFactory, dbt_manifest: Path, metadata_db: str
) -> Iterator[Deployment]:
    home = tmp_path_factory.mktemp("airflow_scheduler")
    port = components.free_port()
    env = airflow_env(
        home,
        home / "data",
        dbt_manifest,
        AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=f"postgresql+psycopg2://postgres@127.0.0.1/{metadata_db}",
        AIRFLOW__CORE__EXECUTOR="LocalExecutor",
        AIRFLOW__CORE__PARALLELISM="2",
        AIRFLOW__CORE__EXECUTION_API_SERVER_URL=f"http://127.0.0.1:{port}/execution/",
        AIRFLOW__API_AUTH__JWT_SECRET=secrets.token_urlsafe(32),
        AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL="5",
        AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC="2",
        AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION="True",
        EDUFIG_TASK_RETRIES="0",
        EDUFIG_CHAIN_DEADLINE_MINUTES="1",
    )
    airflow(env, "db", "migrate")
    airflow(env, "pools", "import", str(POOLS_FILE))
    run = Deployment(home, env, metadata_db)
    try:
        run.start(
            "api-server", "api-server", "--apps", "execution", "--port", str(port), "--workers", "1"
        )
        run.start("dag-processor", "dag-processor")
        run.start("scheduler", "scheduler")
        run.wait_for(
            "the DAGs to be serialized",
            lambda: (
                len(run.sql("SELECT dag_id FROM serialized_dag WHERE dag_id LIKE 'edufig%%'")) >= 5
            ),
        )
        airflow(env, "dags", "unpause", WATCH)
        run.wait_for("the watch's run for today's slot", lambda: run.runs(WATCH))
        run.manual_watch = run.trigger(WATCH)
        run.wait_for("the late notice of the watch triggered by hand", run.late_notices)
        # Downstream first: an asset event queues only the DAGs unpaused when it is emitted.
        for dag_id in (*reversed(DOWNSTREAM), "edufig_scrape"):
            airflow(env, "dags", "unpause", dag_id)
        run.wait_for(
            "the chain to finish",
            lambda: (
                run.runs("edufig_alerts") == [("asset_triggered", "success")]
                and run.runs(WATCH) == [("scheduled", "success"), ("manual", "success")]
            ),
        )
        yield run
    finally:
        run.stop()


def test_downstream_dags_ran_once_each_from_asset_events(deployment: Deployment) -> None:
    assert deployment.runs("edufig_scrape")[0] == ("scheduled", "success")
    for dag_id in DOWNSTREAM:
        assert deployment.runs(dag_id) == [("asset_triggered", "success")], dag_id


def test_the_marts_hold_the_seed_figures(deployment: Deployment) -> None:
    snapshot = marts_snapshot(deployment.warehouse)
    assert snapshot["fct_funding"][0] >= 1
    assert snapshot["fct_attainment"][0] >= 1
    import duckdb

    with duckdb.connect(str(deployment.warehouse), read_only=True) as con:
        value = con.execute(
            "SELECT value FROM marts.fct_funding WHERE region_code = '532300' AND year = 2021"
            " AND metric = 'edu_general_budget_expenditure' AND level = 'all'"
        ).fetchall()
    assert value == [(pytest.approx(4738139700.0),)]


def test_unpausing_sends_no_alert_and_a_real_miss_sends_one(deployment: Deployment) -> None:
    """Only the run triggered by hand had a deadline it could meet, and missed it."""
    deadlines = deployment.sql(
        "SELECT r.run_type, r.run_id, d.missed FROM deadline d"
        " JOIN dag_run r ON r.id = d.dagrun_id WHERE r.dag_id = %s",
        WATCH,
    )
    assert deadlines == [("manual", deployment.manual_watch, True)]
    late = deployment.late_notices()
    assert len(late) == 1, [m["Subject"] for m in late]
    body = late[0].get_body(preferencelist=("plain",)).get_content()
    assert deployment.manual_watch in body and f"/dags/{WATCH}/runs/" in body


def test_a_manual_trigger_carries_its_date_and_the_watch_matches_it(
    deployment: Deployment,
) -> None:
    scrape = deployment.trigger("edufig_scrape")
    deployment.wait_for(
        "the scrape triggered by hand",
        lambda: deployment.run_state("edufig_scrape", scrape) == "success",
    )
    (run_after,) = deployment.sql(
        "SELECT run_after FROM dag_run WHERE dag_id = 'edufig_scrape' AND run_id = %s", scrape
    )[0]
    # the latest chain started by then: the 06:00 Shanghai crawl of that day or the day before
    started = pendulum.instance(run_after).in_timezone("Asia/Shanghai").subtract(hours=6)
    day = started.date().isoformat()
    (extra,) = deployment.sql(
        "SELECT e.extra FROM asset_event e JOIN asset a ON a.id = e.asset_id"
        " WHERE a.name = 'edufig://crawl' ORDER BY e.id DESC LIMIT 1"
    )[0]
    extra = extra if isinstance(extra, dict) else json.loads(extra)
    assert extra["chain_date"] == day and extra["archived"] == 0
    watch = deployment.trigger(WATCH)
    deployment.wait_for(
        "the watch triggered by hand", lambda: deployment.run_state(WATCH, watch) == "success"
    )
    matched = deployment.sql(
        "SELECT value FROM xcom WHERE dag_id = %s AND run_id = %s AND task_id = 'chain_finished'",
        WATCH,
        watch,
    )
    assert [v for (v,) in matched] in ([day], [json.dumps(day)])


def test_rerunning_the_logical_date_changes_nothing(deployment: Deployment) -> None:
    before = marts_snapshot(deployment.warehouse)
    finished, logical_date = deployment.sql(
        "SELECT max(t.end_date), max(r.logical_date) FROM task_instance t"
        " JOIN dag_run r ON r.run_id = t.run_id AND r.dag_id = t.dag_id"
        " WHERE t.dag_id = 'edufig_scrape'"
    )[0]
    day = logical_date.isoformat()
    airflow(
        deployment.env, "tasks", "clear", "edufig_scrape", "--yes", "--start-date", day,
        "--end-date", day,
    )  # fmt: skip
    deployment.wait_for(
        "the cleared scrape run to finish again",
        lambda: (
            deployment.sql(
                "SELECT count(*) FROM task_instance WHERE dag_id = 'edufig_scrape'"
                " AND task_id = 'announce' AND state = 'success' AND end_date > %s",
                finished,
            )[0][0]
            == 1
            and deployment.runs("edufig_scrape")[0] == ("scheduled", "success")
        ),
    )
    for dag_id in DOWNSTREAM:
        assert len(deployment.runs(dag_id)) == 1, f"{dag_id} ran again without new documents"
    assert marts_snapshot(deployment.warehouse) == before
