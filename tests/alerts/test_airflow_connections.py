"""Secrets and SMTP settings from Airflow connections (here from AIRFLOW_CONN_* variables,
which Airflow's own lookup reads), delivered to the real loopback servers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from edufig.alerts import send_alerts
from edufig.alerts.smtp import smtp_config
from edufig.alerts.subscriptions import SmtpSettings
from edufig.core.config import Settings
from tests.alerts.conftest import (
    DINGTALK_SECRET,
    DINGTALK_TOKEN,
    all_persisted_text,
    raise_flags,
    seed_flags,
    subscribed,
)

BY_CONNECTION = """\
smtp: {airflow_conn: smtp_edufig}
recipients:
  - name: 山西省教育厅
    province: 山西
    channels:
      - {type: email, address: sx@example.org}
      - type: dingtalk
        webhook: {airflow_conn: dingtalk_sx}
        secret: {airflow_conn: dingtalk_sx}
"""


def test_robot_and_smtp_settings_from_airflow_connections(
    settings: Settings, tmp_path: Path, smtp_server, robots, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    webhook = os.environ["EDUFIG_DINGTALK_WEBHOOK_SX"]
    for name in ("EDUFIG_DINGTALK_WEBHOOK_SX", "EDUFIG_DINGTALK_SECRET_SX", "EDUFIG_SMTP_HOST"):
        monkeypatch.delenv(name)
    dingtalk = {"conn_type": "http", "host": webhook, "password": DINGTALK_SECRET}
    smtp = {
        "conn_type": "smtp",
        "host": "127.0.0.1",
        "port": smtp_server.port,
        "extra": {"security": "plain", "from_email": "airflow@example.org"},
    }
    monkeypatch.setenv("AIRFLOW_CONN_DINGTALK_SX", json.dumps(dingtalk))
    monkeypatch.setenv("AIRFLOW_CONN_SMTP_EDUFIG", json.dumps(smtp))
    raise_flags(settings, seed_flags())
    result = send_alerts(subscribed(settings, tmp_path, BY_CONNECTION))
    assert result.errors == [] and result.counts["messages_sent"] == 2
    (post,) = robots.posts
    assert post["params"]["access_token"] == DINGTALK_TOKEN
    assert post["body"]["markdown"]["text"].count("杏花岭区 · ") == 2
    (message,) = smtp_server.messages()
    assert message["From"] == "airflow@example.org"
    persisted = all_persisted_text(settings)
    assert "conn:dingtalk_sx" in persisted
    assert DINGTALK_TOKEN not in persisted and DINGTALK_SECRET not in persisted


def test_missing_connection_is_an_error_on_the_message(settings: Settings, tmp_path: Path) -> None:
    raise_flags(settings, seed_flags())
    text = BY_CONNECTION.replace("dingtalk_sx", "no_such_conn").replace(
        "      - {type: email, address: sx@example.org}\n", ""
    )
    result = send_alerts(subscribed(settings, tmp_path, text))
    assert result.counts["messages_failed"] == 1
    assert "SecretError: Airflow connection 'no_such_conn' not found" in result.errors[0]


@pytest.mark.parametrize(
    ("extra", "security", "port"),
    [
        ({}, "ssl", 465),
        ({"disable_ssl": True}, "starttls", 587),
        ({"security": "starttls", "from_email": "dq@example.org"}, "starttls", 587),
    ],
)
def test_airflow_smtp_provider_extras_choose_the_security(
    extra: dict, security: str, port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    conn = {"conn_type": "smtp", "host": "smtp.example.org", "login": "dq", "extra": extra}
    monkeypatch.delenv("EDUFIG_SMTP_HOST", raising=False)
    monkeypatch.setenv("AIRFLOW_CONN_SMTP_PROVINCE", json.dumps(conn))
    config = smtp_config(SmtpSettings(airflow_conn="smtp_province"))
    assert (config.host, config.security, config.port) == ("smtp.example.org", security, port)
    assert config.sender == extra.get("from_email", "dq")
