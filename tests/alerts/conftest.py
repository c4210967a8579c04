"""Fixtures for the alerts tests: a warehouse with dq.dq_flags, a real SMTP server and a real
HTTP receiver for robot webhooks, all on 127.0.0.1 and stopped after each test."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import socket
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import duckdb
import pytest
from aiosmtpd.controller import Controller

from edufig.alerts.channels import RETRY_WAIT_ENV
from edufig.core.config import Settings

FLAG_DDL = """
CREATE SCHEMA IF NOT EXISTS dq;
CREATE OR REPLACE TABLE dq.dq_flags (
    flag_id VARCHAR, check_name VARCHAR, severity VARCHAR, region_code VARCHAR,
    region_name VARCHAR, province VARCHAR, metric VARCHAR, metric_name_zh VARCHAR,
    level VARCHAR, year INTEGER, kind VARCHAR, doc_ids VARCHAR, values_json VARCHAR,
    message_zh VARCHAR, message_en VARCHAR, evidence_json VARCHAR, data_docs_url VARCHAR,
    raised_at TIMESTAMP, run_id VARCHAR
)
"""
XHL_URL = "http://www.xinghualing.gov.cn/zwgk/jyfz/202106/t20210610_1.html"


def flag(flag_id: str, **fields: object) -> dict:
    """A dq_flags row; the defaults are the 杏花岭区 2020 preschool enrolment-rate conflict."""
    row = {
        "flag_id": flag_id,
        "check_name": "conflicting_values",
        "severity": "error",
        "region_code": "140107",
        "region_name": "杏花岭区",
        "province": "山西省",
        "metric": "preschool_gross_enrollment_rate",
        "metric_name_zh": "学前三年毛入园率",
        "level": "preschool",
        "year": 2020,
        "kind": "actual",
        "doc_ids": "xinghualing_plan",
        "values_json": json.dumps({"正文": 98.5, "专栏表格": 98.91}),
        "message_zh": "同一文件中正文与专栏表格的数值不一致：98.5% 与 98.91%",
        "message_en": "text and table of the same document disagree: 98.5% vs 98.91%",
        "evidence_json": json.dumps(
            [
                {
                    "doc_id": "xinghualing_plan",
                    "url": XHL_URL,
                    "title": "杏花岭区“十四五”教育事业发展规划",
                    "text": "2020年学前三年毛入园率达到98.5%",
                }
            ],
            ensure_ascii=False,
        ),
        "data_docs_url": "http://docs.example.org/validations/conflicting_values.html",
        "raised_at": "2026-11-23 10:00:00",
        "run_id": "run-1",
    }
    row.update(fields)
    return row


def seed_flags() -> list[dict]:
    """Seed-like flags: two in 杏花岭区 (山西), one in 楚雄州 (云南)."""
    return [
        flag("f-xhl-preschool-2020"),
        flag(
            "f-xhl-retention-2025",
            metric="compulsory_retention_rate",
            metric_name_zh="九年义务教育巩固率",
            level="compulsory",
            year=2025,
            kind="target",
            values_json=json.dumps({"正文": 99.7, "专栏表格": 100}),
            message_zh="2025年目标值正文为99.7%，专栏表格为100%",
        ),
        flag(
            "f-cx-share-2021",
            severity="warning",
            check_name="plausibility_range",
            region_code="532300",
            region_name="楚雄彝族自治州",
            province="云南省",
            metric="per_student_public_funds",
            metric_name_zh="生均一般公共预算公用经费",
            level="primary",
            year=2021,
            values_json=json.dumps({"value": 150.0, "national": 2800.0}),
            message_zh="生均公用经费远低于全国同学段水平",
            evidence_json="[]",
        ),
    ]


def raise_flags(settings: Settings, rows: list[dict]) -> None:
    """What a quality run does: replace dq.dq_flags with the flags raised now."""
    settings.warehouse.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(settings.warehouse)) as con:
        con.execute(FLAG_DDL)
        for row in rows:
            columns = ", ".join(row)
            marks = ", ".join("?" for _ in row)
            con.execute(f"INSERT INTO dq.dq_flags ({columns}) VALUES ({marks})", list(row.values()))


def query(settings: Settings, sql: str) -> list[tuple]:
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def write_subscriptions(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "subscriptions.yaml"
    path.write_text(text, encoding="utf-8")
    return path


EMAIL_SX = """\
recipients:
  - name: 山西省教育厅
    province: 山西
    channels: [{type: email, address: sx@example.org}]
"""


def subscribed(settings: Settings, tmp_path: Path, text: str) -> Settings:
    settings.subscriptions_file = write_subscriptions(tmp_path, text)
    return settings


def all_persisted_text(settings: Settings) -> str:
    tables = query(
        settings,
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'alerts'",
    )
    dumps = [str(query(settings, f"SELECT * FROM alerts.{name}")) for (name,) in tables]
    files = [p.read_text(encoding="utf-8", errors="replace") for p in settings.outbox_dir.glob("*")]
    return "\n".join(dumps + files)


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv(RETRY_WAIT_ENV, "0.01")
    return Settings(warehouse=tmp_path / "data" / "warehouse.duckdb")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class SmtpSink:
    """Messages the SMTP server accepted, parsed as the recipient's mail client would."""

    port: int
    envelopes: list = field(default_factory=list)
    drop_after_data: int = 0  # take this many messages, then hang up before answering

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        if self.drop_after_data > 0:
            self.drop_after_data -= 1
            server.transport.close()
        return "250 OK"

    def messages(self) -> list[EmailMessage]:
        return [message_from_bytes(e.content, policy=policy.default) for e in self.envelopes]


@pytest.fixture
def smtp_server(monkeypatch: pytest.MonkeyPatch):
    sink = SmtpSink(free_port())
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port)
    controller.start()
    monkeypatch.setenv("EDUFIG_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("EDUFIG_SMTP_PORT", str(sink.port))
    monkeypatch.setenv("EDUFIG_SMTP_SECURITY", "plain")
    monkeypatch.setenv("EDUFIG_SMTP_FROM", "edufig@example.org")
    yield sink
    controller.stop()


@dataclass
class RobotReceiver:
    """A DingTalk/WeCom stand-in: records posts, checks DingTalk signatures, can fail on cue."""

    dingtalk_secret: str
    fail_next: int = 0
    succeed_first: int = 0  # requests answered normally before fail_next applies
    posts: list[dict] = field(default_factory=list)
    failures: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    hold_next: int = 0  # accept the next post, then wait for `release` before answering
    arrived: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    def answer(self, path: str, body: dict) -> tuple[int, dict]:
        if self.hold_next > 0:
            self.hold_next -= 1
            self.posts.append({"path": urlsplit(path).path, "params": {}, "body": body})
            self.arrived.set()
            self.release.wait(30)
            return 200, {"errcode": 0, "errmsg": "ok"}
        with self.lock:
            if self.succeed_first > 0:
                self.succeed_first -= 1
            elif self.fail_next > 0:
                self.fail_next -= 1
                self.failures += 1
                return 500, {"errcode": -1, "errmsg": "busy"}
        url = urlsplit(path)
        params = {k: v[0] for k, v in parse_qs(url.query).items()}
        if url.path == "/robot/send" and not self.signature_ok(params):
            return 200, {"errcode": 310000, "errmsg": "sign not match"}
        self.posts.append({"path": url.path, "params": params, "body": body})
        return 200, {"errcode": 0, "errmsg": "ok"}

    def signature_ok(self, params: dict) -> bool:
        timestamp = params.get("timestamp", "")
        text = f"{timestamp}\n{self.dingtalk_secret}".encode()
        expected = hmac.new(self.dingtalk_secret.encode(), text, hashlib.sha256).digest()
        return params.get("sign") == base64.b64encode(expected).decode()


def _handler(receiver: RobotReceiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            status, answer = receiver.answer(self.path, body)
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            return

    return Handler


DINGTALK_TOKEN = "dt0ken5ecretvalue7a1b2c3d4e5f60718293a4b5c6d7e8f9"
DINGTALK_SECRET = "SECa1b2c3d4e5f6verysecretsigningkey0123456789abcdef"
WECOM_KEY = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"


@pytest.fixture
def robots(monkeypatch: pytest.MonkeyPatch):
    receiver = RobotReceiver(DINGTALK_SECRET)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(receiver))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    monkeypatch.setenv(
        "EDUFIG_DINGTALK_WEBHOOK_SX", f"{base}/robot/send?access_token={DINGTALK_TOKEN}"
    )
    monkeypatch.setenv("EDUFIG_DINGTALK_SECRET_SX", DINGTALK_SECRET)
    monkeypatch.setenv("EDUFIG_WECOM_WEBHOOK_YN", f"{base}/cgi-bin/webhook/send?key={WECOM_KEY}")
    yield receiver
    server.shutdown()
    server.server_close()
