"""Every DAG imports cleanly and quickly, without heavy libraries, with owners, retries,
tags, pools, failure callbacks and the deadline alert in place."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from edufig.stages import STAGE_GRAPH
from tests.airflow.conftest import DAGS_FOLDER, airflow_env
from tests.airflow.deployment import CHAIN

EXPECTED_DAGS = {
    "edufig_scrape",
    "edufig_extract_load",
    "edufig_warehouse",
    "edufig_alerts",
    "edufig_chain_deadline",
}
PARSE_BUDGET_SECONDS = 10.0


def dag_report(home: Path, dbt_manifest: Path, **extra: str) -> dict:
    env = airflow_env(home, home / "data", dbt_manifest, **extra)
    done = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("dag_report.py")), str(DAGS_FOLDER)],
        env=env, capture_output=True, text=True, timeout=180, check=True,
    )  # fmt: skip
    line = next(x for x in done.stdout.splitlines() if x.startswith("DAG_REPORT "))
    return json.loads(line.removeprefix("DAG_REPORT "))


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory, dbt_manifest: Path) -> dict:
    """The DAGs with dbt rendered per node, the richest shape to check."""
    home = tmp_path_factory.mktemp("airflow_home")
    return dag_report(home, dbt_manifest, EDUFIG_DBT_TASKS="per_node")


def test_every_dag_imports_without_errors(report: dict) -> None:
    assert report["import_errors"] == {}
    assert set(report["dags"]) == EXPECTED_DAGS


def test_no_dag_file_is_named_like_dbt_output() -> None:
    assert not list(DAGS_FOLDER.glob("dbt_*.py"))


def test_each_file_parses_within_budget(report: dict) -> None:
    assert len(report["parse_seconds"]) == len(EXPECTED_DAGS)
    slow = {f: s for f, s in report["parse_seconds"].items() if s > PARSE_BUDGET_SECONDS}
    assert not slow, f"DAG files over {PARSE_BUDGET_SECONDS}s to parse: {slow}"


def test_parsing_imports_no_heavy_library(report: dict) -> None:
    assert report["heavy_modules"] == []


def test_owners_retries_tags_and_failure_callbacks(report: dict) -> None:
    for dag_id, dag in report["dags"].items():
        assert dag["owners"] == ["data-engineering"], dag_id
        assert "edufig" in dag["tags"] and len(dag["tags"]) >= 2, dag_id
        assert all(r >= 1 for r in dag["retries"].values()), dag_id
        assert all(dag["callbacks"].values()), f"{dag_id}: a task without failure callback"


def test_daily_dags_use_a_trigger_timetable(report: dict) -> None:
    assert report["dags"]["edufig_scrape"]["timetable"] == "CronTriggerTimetable"
    assert report["dags"]["edufig_chain_deadline"]["timetable"] == "CronTriggerTimetable"
    for dag_id in ("edufig_extract_load", "edufig_warehouse", "edufig_alerts"):
        assert report["dags"][dag_id]["timetable"] == "AssetTriggeredTimetable", dag_id


def test_every_dag_keeps_time_in_shanghai(report: dict) -> None:
    for dag_id, dag in report["dags"].items():
        assert dag["timezone"] == "Asia/Shanghai", dag_id
    for dag_id in ("edufig_scrape", "edufig_chain_deadline"):
        assert report["dags"][dag_id]["schedule_timezone"] == "Asia/Shanghai", dag_id


def test_chain_deadline_is_an_airflow_deadline_alert(report: dict) -> None:
    assert report["dags"]["edufig_chain_deadline"]["deadline"] == ["ChainSlotDeadline"]


def test_every_model_is_its_own_task_in_the_single_writer_pool(report: dict) -> None:
    pools = report["dags"]["edufig_warehouse"]["pools"]
    dbt_tasks = [t for t in pools if t.startswith("dbt.")]
    for model in ("fct_funding", "fct_staffing", "fct_attainment", "dim_region"):
        assert f"dbt.{model}_model_build" in dbt_tasks
    assert {pools[t] for t in [*dbt_tasks, "dbt_test", "publish"]} == {"duckdb_writer"}
    upstream = report["dags"]["edufig_warehouse"]["upstream"]
    assert "dbt.stg_figures_model_build" in _ancestors(upstream, "dbt.fct_funding_model_build")
    assert set(dbt_tasks) <= _ancestors(upstream, "dbt_test"), "cross-model tests run last"
    assert upstream["check_quality"] == ["dbt_test"]
    assert upstream["publish"] == ["check_quality"]
    assert pools["check_quality"] == pools["publish"] == "duckdb_writer"


@pytest.mark.parametrize(
    ("settings", "rendering"),
    [
        ({}, "single"),
        ({"EDUFIG_DBT_TARGET": "postgres", "AIRFLOW__CORE__PARALLELISM": "2"}, "single"),
        ({"EDUFIG_DBT_TARGET": "postgres", "AIRFLOW__CORE__PARALLELISM": "8"}, "per_node"),
        ({"EDUFIG_DBT_TASKS": "per_node"}, "per_node"),
    ],
)
def test_dbt_rendering_defaults_to_one_task_unless_nodes_can_run_side_by_side(
    tmp_path: Path, dbt_manifest: Path, settings: dict[str, str], rendering: str
) -> None:
    pools = dag_report(tmp_path, dbt_manifest, **settings)["dags"]["edufig_warehouse"]["pools"]
    if rendering == "single":
        assert set(pools) == {"dbt_build", "check_quality", "publish"}
    else:
        assert "dbt.fct_funding_model_build" in pools and "dbt_test" in pools


def test_scrape_fans_out_per_source_in_the_scrape_pool(report: dict) -> None:
    scrape = report["dags"]["edufig_scrape"]
    assert scrape["pools"]["scrape_source"] == "edufig_scrape"
    assert scrape["upstream"]["scrape_source"] == ["list_sources"]
    assert scrape["upstream"]["announce"] == ["scrape_source"]
    assert scrape["upstream"]["every_source_crawled"] == ["list_sources", "scrape_source"]


# The task that runs each stage of edufig/stages.py in the chain (per-node dbt: its last).
STAGE_TASKS = {
    "scrape": "scrape_source",
    "parse": "parse",
    "extract": "extract_batch",
    "load": "load",
    "build": "dbt_test",
    "quality": "check_quality",
    "publish": "publish",
    "alerts": "send_alerts",
}


def test_the_chain_runs_each_stage_after_the_stages_it_reads_from(report: dict) -> None:
    """What a stage reads was written earlier in the chain, as `edufig run` orders it: the
    snapshot once published before the checks, so it carried the previous run's flags."""
    dag_of = {task_id: dag_id for dag_id in CHAIN for task_id in report["dags"][dag_id]["upstream"]}

    def runs_before(first: str, then: str) -> bool:
        if dag_of[first] != dag_of[then]:
            return CHAIN.index(dag_of[first]) < CHAIN.index(dag_of[then])
        return first in _ancestors(report["dags"][dag_of[then]]["upstream"], then)

    checked = 0
    for reader in (s for s in STAGE_GRAPH if s.name in STAGE_TASKS):
        for writer in (s for s in STAGE_GRAPH if s.name in STAGE_TASKS and s is not reader):
            if set(writer.writes) & set(reader.reads):
                checked += 1
                assert runs_before(STAGE_TASKS[writer.name], STAGE_TASKS[reader.name]), (
                    f"{reader.name} reads what {writer.name} writes, but runs first"
                )
    assert checked >= 8


def _ancestors(upstream: dict[str, list[str]], task_id: str) -> set[str]:
    seen: set[str] = set()
    stack = list(upstream[task_id])
    while stack:
        current = stack.pop()
        if current not in seen:
            seen.add(current)
            stack.extend(upstream[current])
    return seen
