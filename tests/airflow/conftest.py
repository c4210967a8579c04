"""An isolated Airflow for the tests: its own AIRFLOW_HOME, the repo's DAG folder, a dbt
manifest built the way CI and the image build it, and a warehouse in a temporary folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
DAGS_FOLDER = REPO_ROOT / "dags"
DBT_PROJECT = REPO_ROOT / "dbt_project"
POOLS_FILE = DAGS_FOLDER / "edufig_airflow" / "pools.json"
BIN = Path(sys.executable).parent
CONNECT_GUARD = Path(__file__).resolve().parent / "connect_guard"
# Switches that would hide an emitter from the test; the telemetry setting itself is set
# the way the docs and docker-compose.yml set it.
TELEMETRY_OPT_OUTS = ("DO_NOT_TRACK", "SCARF_NO_ANALYTICS")


@pytest.fixture(scope="session")
def dbt_manifest(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`dbt parse` into a temporary target: the DAGs render from this, never from dbt ls."""
    return build_dbt_manifest(tmp_path_factory.mktemp("dbt_target"))


def build_dbt_manifest(target: Path) -> Path:
    """`dbt parse` of the project into `target`; the path of the manifest it wrote."""
    subprocess.run(
        [BIN / "dbt", "parse", "--project-dir", DBT_PROJECT, "--profiles-dir", DBT_PROJECT,
         "--target-path", target, "--log-path", target / "logs", "--quiet"],
        check=True, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    return target / "manifest.json"


def airflow_env(home: Path, data_dir: Path, manifest: Path, **extra: str) -> dict[str, str]:
    """Environment for the `airflow` CLI and tasks: nothing of the developer's ~/airflow."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AIRFLOW", "EDUFIG_")) and k not in TELEMETRY_OPT_OUTS
    }
    env.update(
        {
            "AIRFLOW_HOME": str(home),
            "AIRFLOW__COSMOS__ENABLE_TELEMETRY": "False",
            "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS_FOLDER),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
            "AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO",
            "EDUFIG_WAREHOUSE": str(data_dir / "warehouse.duckdb"),
            "EDUFIG_DBT_MANIFEST": str(manifest),
            "PATH": f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        }
    )
    env.update(extra)
    return env


def guard_connections(env: dict[str, str], log: Path) -> dict[str, str]:
    """The environment with every Python process recording its outbound attempts in `log`."""
    log.touch()
    path = os.pathsep.join(filter(None, [str(CONNECT_GUARD), env.get("PYTHONPATH")]))
    return {**env, "PYTHONPATH": path, "EDUFIG_CONNECT_LOG": str(log)}


def outbound_attempts(log: Path) -> list[str]:
    return log.read_text(encoding="utf-8").splitlines()


def airflow(
    env: dict[str, str], *args: str, timeout: float = 300, check: bool = True
) -> subprocess.CompletedProcess:
    """Run the airflow CLI; a failure shows the tail of its output."""
    done = subprocess.run(
        [BIN / "airflow", *args], env=env, capture_output=True, text=True, timeout=timeout
    )
    if check and done.returncode != 0:
        raise AssertionError(
            f"airflow {' '.join(args)} exited {done.returncode}:\n"
            f"{done.stdout[-4000:]}\n{done.stderr[-6000:]}"
        )
    return done


def marts_snapshot(warehouse: Path, ignore: tuple[str, ...] = ()) -> dict[str, tuple[int, int]]:
    """Row count and an order-free checksum of every mart, ignoring processing timestamps
    and the columns in `ignore` (e.g. `dbt_invocation_id` when comparing two builds)."""
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        columns = con.execute(
            "SELECT table_name, list(column_name ORDER BY ordinal_position) "
            "FROM information_schema.columns WHERE table_schema = 'marts' "
            "AND column_name NOT LIKE '%\\_at' ESCAPE '\\' AND NOT list_contains(?, column_name)"
            " GROUP BY table_name",
            [list(ignore)],
        ).fetchall()
        return {
            table: con.execute(
                f"SELECT count(*), coalesce(sum(hash({', '.join(cols)})::HUGEINT), 0)"
                f" FROM marts.{table}"
            ).fetchone()
            for table, cols in columns
        }
