"""The daily chain end to end with `airflow dags test`, on the embedded defaults: the scrape
task serves the bundled mirror on loopback itself, the warehouse is a DuckDB file in a
temporary folder, and every dbt model runs as its own Cosmos task."""

from __future__ import annotations

import email
import email.policy
import json
import re
import sqlite3
from pathlib import Path

import duckdb
import pytest

from edufig.core.config import Settings
from edufig.core.warehouse import snapshot_path
from tests.airflow.conftest import (
    airflow,
    airflow_env,
    guard_connections,
    marts_snapshot,
    outbound_attempts,
)

DATE = "2026-03-02"
CHAIN = ("edufig_scrape", "edufig_extract_load", "edufig_warehouse", "edufig_alerts")
CHUXIONG_BUDGET = """
    SELECT value, yoy_growth_pct, region_name FROM marts.fct_funding
    WHERE region_code = '532300' AND year = 2021
      AND metric = 'edu_general_budget_expenditure' AND level = 'all'
"""

# structlog's level column, and the stdlib format dbt and some libraries fall back to.
ERROR_LINE = re.compile(r"\[(error|critical)\s*\]|\b(ERROR|CRITICAL)\b[ :-]")

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1500)]


class Chain:
    def __init__(self, home: Path, env: dict[str, str]) -> None:
        self.home = home
        self.env = guard_connections(env, home / "outbound.log")
        self.warehouse = Path(env["EDUFIG_WAREHOUSE"])
        self.output: dict[str, str] = {}

    def test(self, dag_id: str) -> str:
        """`airflow dags test` one DAG for DATE; returns the state of the run it made."""
        done = airflow(self.env, "dags", "test", dag_id, DATE, timeout=1200)
        self.output[dag_id] = done.stdout + done.stderr
        return self.metadata(
            "SELECT state FROM dag_run WHERE dag_id = ? ORDER BY id DESC LIMIT 1", dag_id
        )[0][0]

    def metadata(self, sql: str, *params: object) -> list[tuple]:
        with sqlite3.connect(self.home / "airflow.db") as con:
            return con.execute(sql, params).fetchall()

    def asset_events(self, name: str) -> list[dict]:
        rows = self.metadata(
            "SELECT e.extra FROM asset_event e JOIN asset a ON a.id = e.asset_id"
            " WHERE a.name = ? ORDER BY e.id",
            name,
        )
        return [json.loads(extra) for (extra,) in rows]

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.warehouse), read_only=True) as con:
            return con.execute(sql).fetchall()


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory, dbt_manifest: Path) -> Chain:
    home = tmp_path_factory.mktemp("airflow_chain")
    env = airflow_env(
        home, home / "data", dbt_manifest, EDUFIG_TASK_RETRIES="0", EDUFIG_DBT_TASKS="per_node"
    )
    airflow(env, "db", "migrate")
    run = Chain(home, env)
    states = {dag_id: run.test(dag_id) for dag_id in CHAIN}
    assert states == dict.fromkeys(CHAIN, "success")
    return run


def test_a_successful_chain_logs_no_error_line(chain: Chain) -> None:
    errors = {
        dag_id: [line[:300] for line in output.splitlines() if ERROR_LINE.search(line)]
        for dag_id, output in chain.output.items()
    }
    assert not any(errors.values()), errors
    assert set(errors) == set(CHAIN)


def test_no_task_of_the_chain_reaches_outside_the_machine(chain: Chain) -> None:
    """36 Cosmos dbt tasks among them: none may phone home."""
    assert outbound_attempts(chain.home / "outbound.log") == []


def test_the_skipped_source_is_counted_by_the_completeness_check(chain: Chain) -> None:
    states = chain.metadata(
        "SELECT task_id, state FROM task_instance WHERE dag_id = 'edufig_scrape'"
        " AND task_id IN ('scrape_source', 'every_source_crawled')"
    )
    assert ("scrape_source", "skipped") in states, "the blocked mirror site shows as skipped"
    assert ("every_source_crawled", "success") in states
    assert "5 of 6 sources crawled, 1 skipped" in chain.output["edufig_scrape"]


def test_chain_lands_the_seed_figures_in_the_marts(chain: Chain) -> None:
    rows = chain.query(CHUXIONG_BUDGET)
    assert len(rows) == 1, rows
    value, growth, region = rows[0]
    assert value == pytest.approx(4738139700.0)
    assert growth == pytest.approx(2.54)
    assert region == "楚雄彝族自治州"


def test_chain_raises_quality_flags_and_writes_alerts(chain: Chain) -> None:
    flags = chain.query(
        "SELECT check_name, severity, message_zh FROM dq.dq_flags WHERE region_name = '杏花岭区'"
    )
    assert flags, "the planted 杏花岭区 inconsistency raised no flag"
    assert all(severity in ("error", "warning") and message for _, severity, message in flags)
    outbox = chain.warehouse.parent / "outbox"
    bodies = [
        email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
        .get_body(preferencelist=("plain",))
        .get_content()
        for p in outbox.rglob("*.eml")
        if p.parent.name != "airflow"
    ]
    assert any("杏花岭区" in body for body in bodies), "no alert digest names 杏花岭区"


def test_the_published_snapshot_carries_the_flags_of_its_marts(chain: Chain) -> None:
    """Analysts read flags beside the marts they describe: the snapshot is published after
    the checks (it once was published before them, with the previous run's flags)."""
    flags = "SELECT flag_id, check_name, severity FROM dq.dq_flags ORDER BY flag_id"
    published = snapshot_path(Settings(warehouse=chain.warehouse, data_dir=chain.warehouse.parent))
    with duckdb.connect(str(published), read_only=True) as con:
        assert con.execute(flags).fetchall() == chain.query(flags)
    assert chain.query(flags), "the chain raised no flag to compare"


def test_asset_events_carry_the_crawl_counts_and_the_chain_date(chain: Chain) -> None:
    crawl = chain.asset_events("edufig://crawl")
    assert crawl[0]["archived"] == 6 and crawl[0]["chain_date"] == DATE
    assert len(chain.asset_events("edufig://parsed")) == 1
    for name in ("edufig://landing", "edufig://marts", "edufig://alerts"):
        events = chain.asset_events(name)
        assert [e["chain_date"] for e in events] == [DATE], name
    assert chain.asset_events("edufig://marts")[0]["rows_fct_funding"] > 0


def test_rerunning_the_date_changes_nothing(chain: Chain) -> None:
    before = marts_snapshot(chain.warehouse)
    landing = "SELECT count(*), sum(hash(figure_id, value)) FROM landing.figures"
    landing_before = chain.query(landing)
    assert chain.test("edufig_scrape") == "success"
    rerun = chain.asset_events("edufig://crawl")[-1]
    assert rerun["archived"] == 0 and rerun["fetched"] == 0 and rerun["known"] == 6
    assert len(chain.asset_events("edufig://parsed")) == 1, "no new documents, no parsed event"
    assert chain.test("edufig_extract_load") == "success"
    assert chain.query(landing) == landing_before
    assert marts_snapshot(chain.warehouse) == before
    assert before["fct_funding"][0] > 0
