"""Airflow components started for real by the scheduler and Celery tests: a metadata
database of the test's own on the local PostgreSQL, the processes, and SQL on that database.
Every process runs in its own session and is stopped by its process group id."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import psycopg2

from tests.airflow.conftest import BIN, POOLS_FILE, airflow

PG_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
CHAIN = ("edufig_scrape", "edufig_extract_load", "edufig_warehouse", "edufig_alerts")
WAIT_SECONDS = 900


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def scratch_database(prefix: str) -> Iterator[str]:
    """A database of the test's own on the local PostgreSQL, dropped afterwards."""
    name = f"{prefix}_{secrets.token_hex(4)}"
    admin = psycopg2.connect(PG_ADMIN)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f"CREATE DATABASE {name}")
    try:
        yield name
    finally:
        with admin.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()


class Deployment:
    """The metadata database, the started components and the warehouse they write."""

    def __init__(self, home: Path, env: dict[str, str], db: str) -> None:
        self.home, self.env, self.db = home, env, db
        self.warehouse = Path(env["EDUFIG_WAREHOUSE"])
        self.processes: dict[str, subprocess.Popen] = {}

    def start(self, name: str, *args: str, **extra_env: str) -> None:
        """Start `airflow ARGS` as component `name`, logging to `<home>/<name>.log`."""
        log = (self.home / f"{name}.log").open("w")
        proc = subprocess.Popen(
            [str(BIN / "airflow"), *args],
            env={**self.env, **extra_env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes[name] = proc

    def stop(self) -> None:
        for proc in self.processes.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.processes.values():
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)

    def sql(self, query: str, *params: object) -> list[tuple]:
        dsn = f"host=127.0.0.1 user=postgres dbname={self.db}"
        with closing(psycopg2.connect(dsn)) as con, con.cursor() as cur:
            cur.execute(query, params)
            return cur.fetchall()

    def runs(self, dag_id: str) -> list[tuple[str, str]]:
        return self.sql("SELECT run_type, state FROM dag_run WHERE dag_id = %s ORDER BY id", dag_id)

    def wait_for(self, what: str, condition: Callable[[], object]) -> None:
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            if condition():
                return
            for name, proc in self.processes.items():
                assert proc.poll() is None, f"{name} exited:\n{self.log_tail(name)}"
            time.sleep(3)
        states = {d: self.runs(d) for d in CHAIN}
        failed = self.sql("SELECT dag_id, task_id FROM task_instance WHERE state = 'failed'")
        raise AssertionError(f"timed out waiting for {what}: runs {states}, failed {failed}")

    def log_tail(self, name: str) -> str:
        return (self.home / f"{name}.log").read_text(errors="replace")[-3000:]


WORKER_IDENTITY = Path(__file__).resolve().parent / "worker_identity"
REDIS_BROKER_DB = 5


@contextmanager
def celery_deployment(
    home: Path, env: dict[str, str], db: str, workers: int, concurrency: int = 2
) -> Iterator[Deployment]:
    """A CeleryExecutor deployment on this machine, every chain DAG paused, all stopped on exit.

    `env` is `airflow_env(...)` for `home`; this adds the metadata database `db` (also the
    Celery result backend), Redis DB 5 as broker with a queue of this deployment's own (so a
    leftover message of another run is never picked up), the execution API that Airflow 3
    workers report to, and `workers` `airflow celery worker` processes named worker-1, …;
    each records its name as `task_instance.hostname`.
    """
    port = free_port()
    queue = f"edufig_{secrets.token_hex(4)}"
    env = {
        **env,
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"postgresql+psycopg2://postgres@127.0.0.1/{db}",
        "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
        "AIRFLOW__CELERY__BROKER_URL": f"redis://127.0.0.1:6379/{REDIS_BROKER_DB}",
        "AIRFLOW__CELERY__RESULT_BACKEND": f"db+postgresql://postgres@127.0.0.1/{db}",
        "AIRFLOW__CELERY__WORKER_CONCURRENCY": str(concurrency),
        "AIRFLOW__OPERATORS__DEFAULT_QUEUE": queue,
        "AIRFLOW__CORE__PARALLELISM": str(workers * concurrency),
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{port}/execution/",
        "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_urlsafe(32),
        "AIRFLOW__CORE__HOSTNAME_CALLABLE": "edufig_worker_identity.hostname",
        "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5",
        "AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC": "2",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(WORKER_IDENTITY), env.get("PYTHONPATH")])),
    }
    airflow(env, "db", "migrate")
    airflow(env, "pools", "import", str(POOLS_FILE))
    run = Deployment(home, env, db)
    try:
        run.start("api-server", "api-server", "--apps", "execution", "--port", str(port),
                  "--workers", "1")  # fmt: skip
        run.start("dag-processor", "dag-processor")
        run.start("scheduler", "scheduler")
        for number in range(1, workers + 1):
            name = f"worker-{number}"
            run.start(
                name, "celery", "worker", "--celery-hostname", f"{name}@%h", "--queues", queue,
                "--concurrency", str(concurrency), "--skip-serve-logs",
                EDUFIG_WORKER_NAME=name,
            )  # fmt: skip
        run.wait_for(
            "the DAGs to be serialized",
            lambda: (
                len(run.sql("SELECT dag_id FROM serialized_dag WHERE dag_id LIKE 'edufig%%'"))
                >= len(CHAIN)
            ),
        )
        yield run
    finally:
        run.stop()
        forget_queue(queue)


def forget_queue(queue: str) -> None:
    """Delete what Celery left in the broker DB for this deployment's queue (its bindings)."""
    import redis

    client = redis.Redis(host="127.0.0.1", port=6379, db=REDIS_BROKER_DB)
    for key in client.scan_iter(match=f"*{queue}*"):
        client.delete(key)
    client.close()


def run_chain(run: Deployment) -> float:
    """Unpause the chain (the scrape DAG runs for today's passed slot, the rest follow its
    asset events) and wait until the quality DAG succeeded; the seconds that took.

    Downstream first: an asset event queues only the DAGs unpaused when it is emitted, and
    one `airflow` command takes long enough on a busy machine for the crawl to finish."""
    for dag_id in reversed(CHAIN[1:]):
        airflow(run.env, "dags", "unpause", dag_id)
    started = time.monotonic()
    airflow(run.env, "dags", "unpause", CHAIN[0])
    run.wait_for(
        "the chain to finish",
        lambda: (
            run.runs(CHAIN[0])[:1] == [("scheduled", "success")]
            and run.runs(CHAIN[-1]) == [("asset_triggered", "success")]
        ),
    )
    return time.monotonic() - started
