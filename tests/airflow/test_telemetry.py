"""No dbt task reaches for the vendor's telemetry endpoint: a real Cosmos task run under
`airflow tasks test` with the settings the docs and docker-compose.yml use, every outbound
name lookup and connect recorded by an audit hook. The same task with telemetry switched
on is caught, so the check can fail."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.airflow.conftest import airflow, airflow_env, guard_connections, outbound_attempts

SEED_TASK = "dbt.education_levels_seed_build"
TELEMETRY_HOST = "astronomer.gateway.scarf.sh"

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]


def run_seed_task(tmp_path: Path, dbt_manifest: Path, **extra: str) -> list[str]:
    """One Cosmos dbt task, run for real; returns the outbound attempts it made."""
    env = airflow_env(
        tmp_path / "home", tmp_path / "data", dbt_manifest, EDUFIG_DBT_TASKS="per_node", **extra
    )
    airflow(env, "db", "migrate")
    log = tmp_path / "outbound.log"
    done = airflow(
        guard_connections(env, log), "tasks", "test", "edufig_warehouse", SEED_TASK, "2026-03-02"
    )
    assert "education_levels" in done.stdout + done.stderr, "the seed task did not run dbt"
    return outbound_attempts(log)


def test_a_dbt_task_makes_no_outbound_connection(tmp_path: Path, dbt_manifest: Path) -> None:
    assert run_seed_task(tmp_path, dbt_manifest) == []


def test_the_guard_catches_cosmos_telemetry_when_it_is_on(
    tmp_path: Path, dbt_manifest: Path
) -> None:
    attempts = run_seed_task(tmp_path, dbt_manifest, AIRFLOW__COSMOS__ENABLE_TELEMETRY="True")
    assert any(TELEMETRY_HOST in line for line in attempts), attempts
