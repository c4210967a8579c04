"""A failing task notifies the data engineers through the SMTP provider: the task, the
error and a link to its log, received by a real SMTP server on loopback."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from tests.airflow.conftest import airflow, airflow_env

pytestmark = pytest.mark.timeout(600)


class Inbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 OK"


@pytest.fixture
def smtp_server() -> Iterator[tuple[int, Inbox]]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, inbox
    finally:
        controller.stop()


def test_failed_load_emails_task_error_and_log_link(
    tmp_path: Path, dbt_manifest: Path, smtp_server: tuple[int, Inbox]
) -> None:
    port, inbox = smtp_server
    data = tmp_path / "data"
    (data / "warehouse.duckdb").mkdir(parents=True)  # a folder where the DuckDB file should be
    env = airflow_env(
        tmp_path / "home",
        data,
        dbt_manifest,
        EDUFIG_TASK_RETRIES="0",
        EDUFIG_ALERT_EMAIL="oncall@edufig.test",
        AIRFLOW_CONN_EDUFIG_SMTP=f"smtp://127.0.0.1:{port}?disable_tls=true&disable_ssl=true",
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
    assert "/dags/edufig_extract_load/runs/" in body and "/tasks/load" in body, "log link"
    assert not (data / "outbox" / "airflow").exists(), "sent by SMTP, not to the outbox"
