"""The chain on a real CeleryExecutor on this machine: Redis (DB 5, a queue of the test's
own) as broker, a PostgreSQL database of the test's own as metadata database and Celery
result backend, the execution API, a DAG processor, a scheduler and two `airflow celery
worker` processes, worker-1 and worker-2. The scrape fan-out and the extraction batches
are mapped tasks, so both workers take task instances; the marts they build equal those of
one single-process `edufig run` over the same embedded mirror.

Every process is started in its own session and stopped by its process group id, also
when the test fails.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from tests.airflow import deployment as components
from tests.airflow.conftest import BIN, airflow_env, marts_snapshot

WORKERS = ("worker-1", "worker-2")
# A few fact rows, read from both warehouses: Chuxiong's 2021 education budget and the rows
# of the attainment and enrollment marts for the same prefecture.
FACT_ROWS = {
    "fct_funding": "SELECT metric, level, year, value, unit FROM marts.fct_funding"
    " WHERE region_code = '532300' ORDER BY ALL",
    "fct_attainment": "SELECT region_code, metric, level, year, value FROM marts.fct_attainment"
    " ORDER BY ALL LIMIT 20",
    "fct_enrollment": "SELECT region_code, metric, level, year, value FROM marts.fct_enrollment"
    " ORDER BY ALL LIMIT 20",
}

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1500)]


@pytest.fixture(scope="module")
def single_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[subprocess.Popen]:
    """`edufig run` on the embedded mirror, started beside the deployment (it is independent)."""
    warehouse = tmp_path_factory.mktemp("single_process") / "warehouse.duckdb"
    env = airflow_env(warehouse.parent, warehouse.parent, Path())
    proc = subprocess.Popen(
        [BIN / "edufig", "run", "--quiet", "--warehouse", warehouse],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    proc.warehouse = warehouse  # type: ignore[attr-defined]
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


@pytest.fixture(scope="module")
def reference(single_process: subprocess.Popen) -> Path:
    output, _ = single_process.communicate(timeout=900)
    assert single_process.returncode == 0, output[-4000:]
    return single_process.warehouse  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def celery(
    tmp_path_factory: pytest.TempPathFactory, dbt_manifest: Path, single_process: object
) -> Iterator[components.Deployment]:
    home = tmp_path_factory.mktemp("airflow_celery")
    env = airflow_env(home, home / "data", dbt_manifest, EDUFIG_TASK_RETRIES="0")
    with (
        components.scratch_database("edufig_celery") as db,
        components.celery_deployment(home, env, db, workers=len(WORKERS)) as run,
    ):
        seconds = components.run_chain(run)
        print(f"chain on {len(WORKERS)} Celery workers: {seconds:.0f} s")
        yield run


def test_both_workers_ran_task_instances(celery: components.Deployment) -> None:
    rows = celery.sql(
        "SELECT hostname, count(*) FROM task_instance WHERE dag_id LIKE 'edufig%%'"
        " AND state = 'success' GROUP BY hostname"
    )
    ran = dict(rows)
    assert set(ran) == set(WORKERS), rows
    mapped = celery.sql(
        "SELECT DISTINCT hostname FROM task_instance WHERE map_index >= 0 AND state = 'success'"
    )
    assert {host for (host,) in mapped} == set(WORKERS), "the mapped tasks ran on one worker"


def test_every_chain_task_succeeded(celery: components.Deployment) -> None:
    unfinished = celery.sql(
        "SELECT dag_id, task_id, map_index, state FROM task_instance"
        " WHERE dag_id LIKE 'edufig%%' AND state NOT IN ('success', 'skipped')"
    )
    assert unfinished == []


def test_marts_equal_a_single_process_run(celery: components.Deployment, reference: Path) -> None:
    # Two builds differ only in their run stamps: timestamps and dbt's invocation id.
    distributed = marts_snapshot(celery.warehouse, ignore=("dbt_invocation_id",))
    single = marts_snapshot(reference, ignore=("dbt_invocation_id",))
    assert distributed["fct_funding"][0] >= 1 and distributed["fct_attainment"][0] >= 1
    assert distributed == single
    for table, query in FACT_ROWS.items():
        with duckdb.connect(str(celery.warehouse), read_only=True) as con:
            rows = con.execute(query).fetchall()
        with duckdb.connect(str(reference), read_only=True) as con:
            assert rows == con.execute(query).fetchall(), table
        assert rows, table


def test_the_chuxiong_budget_is_in_the_marts(celery: components.Deployment) -> None:
    with duckdb.connect(str(celery.warehouse), read_only=True) as con:
        value = con.execute(
            "SELECT value FROM marts.fct_funding WHERE region_code = '532300' AND year = 2021"
            " AND metric = 'edu_general_budget_expenditure' AND level = 'all'"
        ).fetchall()
    assert value == [(pytest.approx(4738139700.0),)]


def test_extraction_ran_as_mapped_batches(celery: components.Deployment) -> None:
    """The mirror's five documents make four batches (one per worker slot), each a task."""
    batches = celery.sql(
        "SELECT map_index, state, rendered_map_index FROM task_instance"
        " WHERE dag_id = 'edufig_extract_load' AND task_id = 'extract_batch' ORDER BY map_index"
    )
    assert [(i, state) for i, state, _ in batches] == [(i, "success") for i in range(4)]
    assert all(label.endswith(".json") and "documents from" in label for *_, label in batches)
