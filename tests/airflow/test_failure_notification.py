"""A failing task notifies the data engineers through edufig.alerts: the task, the error and
a link to its log, received by a real SMTP server on loopback; the link, opened on a real
Airflow API server, is served by the UI and names the failed task instance and its try."""

from __future__ import annotations

import email
import email.policy
import os
import re
import secrets
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import requests
from aiosmtpd.controller import Controller

from tests.airflow.conftest import BIN, airflow, airflow_env

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]


class Inbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server() -> Iterator[tuple[int, Inbox]]:
    port = _free_port()
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, inbox
    finally:
        controller.stop()


class ApiServer:
    """`airflow api-server` on loopback, stopped by its process group id."""

    def __init__(self, env: dict[str, str], port: int, log: Path) -> None:
        self.base = f"http://127.0.0.1:{port}"
        command = [str(BIN / "airflow"), "api-server", "--port", str(port), "--workers", "1"]
        self.proc = subprocess.Popen(
            command, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + 180
        while not self._answers():
            assert self.proc.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, "api-server did not start"
            time.sleep(2)

    def _answers(self) -> bool:
        try:
            return requests.get(f"{self.base}/api/v2/version", timeout=5).ok
        except requests.ConnectionError:
            return False

    def stop(self) -> None:
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)


def task_instance_of_the_link(api: ApiServer, link: str) -> dict:
    """The task instance the link names, read back through the REST API as the UI page does.

    Its log text cannot be read back here: `airflow dags test` logs to its own output and
    leaves no log file for the server to serve."""
    parts = urlsplit(link)
    match = re.fullmatch(r"/dags/([^/]+)/runs/([^/]+)/tasks/([^/]+)", parts.path)
    assert match and parts.query.startswith("try_number="), link
    dag_id, run_id, task_id = (unquote(p) for p in match.groups())
    token = requests.get(f"{api.base}/auth/token", timeout=10).json()["access_token"]
    answer = requests.get(
        f"{api.base}/api/v2/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}",
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert answer.ok, answer.text[:500]
    return {**answer.json(), "linked_try": int(parts.query.removeprefix("try_number="))}


def test_failed_load_emails_task_error_and_log_link(
    tmp_path: Path, dbt_manifest: Path, smtp_server: tuple[int, Inbox]
) -> None:
    port, inbox = smtp_server
    api_port = _free_port()
    data = tmp_path / "data"
    (data / "warehouse.duckdb").mkdir(parents=True)  # a folder where the DuckDB file should be
    env = airflow_env(
        tmp_path / "home",
        data,
        dbt_manifest,
        EDUFIG_TASK_RETRIES="0",
        EDUFIG_ALERT_EMAIL="oncall@edufig.test",
        AIRFLOW_CONN_EDUFIG_SMTP=f"smtp://127.0.0.1:{port}?disable_tls=true&disable_ssl=true",
        AIRFLOW__API__BASE_URL=f"http://127.0.0.1:{api_port}",
        AIRFLOW__API__HOST="127.0.0.1",
        AIRFLOW__API_AUTH__JWT_SECRET=secrets.token_urlsafe(32),
        AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS="True",
    )
    airflow(env, "db", "migrate")
    done = airflow(env, "dags", "test", "edufig_extract_load", "2026-03-04", check=False)
    assert "state=failed" in done.stdout + done.stderr
    subjects = [m["Subject"] for m in inbox.messages]
    assert subjects == ["[edufig] task failed: edufig_extract_load.load"]
    message = inbox.messages[0]
    assert message["X-Envelope-To"] == "oncall@edufig.test"
    body = message.get_body(preferencelist=("html",)).get_content()
    assert "warehouse.duckdb" in body, "the error names the file"
    assert not (data / "outbox" / "airflow").exists(), "sent by SMTP, not to the outbox"
    text = message.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"^log: (\S+)", text, flags=re.MULTILINE).group(1)
    assert link.startswith(f"http://127.0.0.1:{api_port}/dags/edufig_extract_load/runs/")
    api = ApiServer(env, api_port, tmp_path / "api-server.log")
    try:
        page = requests.get(link, timeout=30)
        assert page.ok and "text/html" in page.headers["content-type"], "the UI serves the link"
        linked = task_instance_of_the_link(api, link)
        assert (linked["task_id"], linked["state"]) == ("load", "failed")
        assert linked["try_number"] == linked["linked_try"] == 1
    finally:
        api.stop()
