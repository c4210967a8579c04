"""End to end through real servers on 127.0.0.1: an aiosmtpd SMTP server and an HTTP receiver
standing in for the DingTalk and WeCom robots (it checks DingTalk signatures)."""

from __future__ import annotations

import json
import logging
import re
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from edufig.alerts import list_alerts, send_alerts
from edufig.alerts.render import WECOM_MAX_BYTES
from edufig.alerts.tables import MAX_FAILED_RUNS
from edufig.core.config import Settings
from tests.alerts.conftest import (
    DINGTALK_SECRET,
    DINGTALK_TOKEN,
    EMAIL_SX,
    WECOM_KEY,
    all_persisted_text,
    flag,
    free_port,
    query,
    raise_flags,
    seed_flags,
    subscribed,
)

DINGTALK_SX = """
      - type: dingtalk
        webhook: {secret_env: EDUFIG_DINGTALK_WEBHOOK_SX}
        secret: {secret_env: EDUFIG_DINGTALK_SECRET_SX}"""
WECOM_YN = """
      - type: wecom
        webhook: {secret_env: EDUFIG_WECOM_WEBHOOK_YN}"""


def shanxi_and_yunnan(shanxi_channels: str, yunnan_channels: str) -> str:
    return (
        "recipients:\n  - name: 山西省教育厅\n    province: 山西\n    channels:"
        f"{shanxi_channels}\n  - name: 云南省教育厅\n    province: 云南\n    channels:"
        f"{yunnan_channels}\n"
    )


SUBSCRIPTIONS = shanxi_and_yunnan(
    "\n      - {type: email, address: sx@example.org}" + DINGTALK_SX,
    "\n      - {type: email, address: yn@example.org}" + WECOM_YN,
)
ROBOTS_ONLY = shanxi_and_yunnan(DINGTALK_SX, WECOM_YN)


def later(hours: float = 1) -> datetime:
    return datetime.now() + timedelta(hours=hours)


def bodies(smtp_server) -> dict[str, str]:
    """Plain-text body per To address, as the mail client shows it."""
    return {str(m["To"]): m.get_body(("plain",)).get_content() for m in smtp_server.messages()}


def test_seed_flags_reach_the_right_province_on_every_channel_once(
    settings: Settings, tmp_path: Path, smtp_server, robots
) -> None:
    raise_flags(settings, seed_flags())
    result = send_alerts(subscribed(settings, tmp_path, SUBSCRIPTIONS))
    assert result.errors == []
    assert result.counts == {
        "digests": 2,
        "messages_written": 4,
        "messages_sent": 4,
        "messages_failed": 0,
        "messages_dead": 0,
        "flags_new": 3,
        "flags_resolved": 0,
        "flags_unassigned": 0,
        "flags_reviewed": 0,
    }
    mail = bodies(smtp_server)
    assert set(mail) == {"sx@example.org", "yn@example.org"}
    assert mail["sx@example.org"].count("杏花岭区 · ") == 2
    assert "学前三年毛入园率" in mail["sx@example.org"]
    assert "九年义务教育巩固率" in mail["sx@example.org"]
    assert "楚雄" not in mail["sx@example.org"]
    assert "杏花岭区" not in mail["yn@example.org"]
    assert "楚雄彝族自治州 · 生均一般公共预算公用经费" in mail["yn@example.org"]

    dingtalk, wecom = sorted(robots.posts, key=lambda p: p["path"], reverse=True)
    assert (
        dingtalk["path"] == "/robot/send" and dingtalk["params"]["access_token"] == DINGTALK_TOKEN
    )
    assert dingtalk["body"]["msgtype"] == "markdown"
    assert dingtalk["body"]["markdown"]["text"].count("杏花岭区 · ") == 2
    assert wecom["params"] == {"key": WECOM_KEY}
    assert "楚雄彝族自治州" in wecom["body"]["markdown"]["content"]
    assert "杏花岭区" not in wecom["body"]["markdown"]["content"]

    again = send_alerts(settings)
    assert again.counts["messages_written"] == again.counts["messages_sent"] == 0
    assert len(smtp_server.envelopes) == 2 and len(robots.posts) == 2
    sent = query(settings, "SELECT count(*) FROM alerts.deliveries WHERE sent_at IS NOT NULL")
    assert sent == [(6,)]  # 山西: 2 flags × 2 channels, 云南: 1 flag × 2 channels


def outbox_json(settings: Settings) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for path in sorted(settings.outbox_dir.glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        out.setdefault(record["recipient"], []).extend(f["flag_id"] for f in record["flags"])
    return {recipient: sorted(ids) for recipient, ids in out.items()}


def test_embedded_default_writes_eml_and_json_to_the_outbox_folder(settings: Settings) -> None:
    raise_flags(settings, seed_flags())
    result = send_alerts(settings)
    assert result.counts["messages_sent"] == 2
    assert outbox_json(settings) == {
        "山西省教育厅": ["f-xhl-preschool-2020", "f-xhl-retention-2025"],
        "云南省教育厅": ["f-cx-share-2021"],
    }
    assert len(list(settings.outbox_dir.glob("*.eml"))) == 2
    assert send_alerts(settings).counts["messages_written"] == 0
    assert len(list(settings.outbox_dir.iterdir())) == 4
    assert {m["status"] for m in list_alerts(settings, "sent")} == {"sent"}
    assert list_alerts(settings, "pending") == []


def test_html_from_a_scraped_page_arrives_escaped(
    settings: Settings, tmp_path: Path, smtp_server
) -> None:
    hostile = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    evidence = [{"doc_id": "d", "url": "javascript:alert(3)", "title": hostile, "text": hostile}]
    raise_flags(settings, [flag("f-hostile", evidence_json=json.dumps(evidence))])
    send_alerts(subscribed(settings, tmp_path, EMAIL_SX))
    (message,) = smtp_server.messages()
    page = message.get_body(("html",)).get_content()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in page
    assert "<script" not in page and "<img" not in page and "javascript:" not in page
    assert hostile in message.get_body(("plain",)).get_content()


def test_webhook_failure_is_recorded_and_delivered_by_a_later_run(
    settings: Settings, tmp_path: Path, robots
) -> None:
    raise_flags(settings, seed_flags())
    robots.fail_next = 1000
    first = send_alerts(subscribed(settings, tmp_path, ROBOTS_ONLY))
    assert first.counts["messages_failed"] == 2 and first.counts["messages_sent"] == 0
    assert robots.failures == 6  # three attempts within the run for each robot
    rows = query(
        settings, "SELECT status, attempts, last_error, next_attempt_at FROM alerts.outbox"
    )
    assert [(r[0], r[1], r[2]) for r in rows] == [("failed", 3, "DeliveryError: HTTP 500")] * 2
    assert all(r[3] > datetime.now() for r in rows)
    assert {m["status"] for m in list_alerts(settings, "pending")} == {"failed"}

    robots.fail_next = 0
    too_soon = send_alerts(settings)
    assert too_soon.counts["messages_sent"] == too_soon.counts["messages_written"] == 0
    assert robots.posts == [] and robots.failures == 6

    recovered = send_alerts(settings, now=later())
    assert recovered.counts["messages_sent"] == 2 and recovered.counts["messages_written"] == 0
    assert sorted(p["path"] for p in robots.posts) == ["/cgi-bin/webhook/send", "/robot/send"]
    assert (
        query(settings, "SELECT status, attempts, failed_runs FROM alerts.outbox")
        == [("sent", 4, 1)] * 2
    )
    send_alerts(settings, now=later(48))
    assert len(robots.posts) == 2


def test_transient_failure_is_retried_within_the_run(
    settings: Settings, tmp_path: Path, robots
) -> None:
    raise_flags(settings, seed_flags()[:1])
    robots.fail_next = 1
    result = send_alerts(subscribed(settings, tmp_path, ROBOTS_ONLY))
    assert result.counts["messages_sent"] == 1 and result.errors == []
    assert robots.failures == 1 and len(robots.posts) == 1
    assert query(settings, "SELECT status, attempts FROM alerts.outbox") == [("sent", 2)]


def test_smtp_server_down_then_up_delivers_exactly_once(
    settings: Settings, tmp_path: Path, smtp_server, monkeypatch: pytest.MonkeyPatch
) -> None:
    raise_flags(settings, seed_flags())
    monkeypatch.setenv("EDUFIG_SMTP_PORT", str(free_port()))
    down = send_alerts(subscribed(settings, tmp_path, EMAIL_SX))
    assert down.counts["messages_failed"] == 1
    assert "ConnectionRefusedError" in down.errors[0] and "sx@example.org" in down.errors[0]
    monkeypatch.setenv("EDUFIG_SMTP_PORT", str(smtp_server.port))
    up = send_alerts(settings, now=later())
    assert up.counts["messages_sent"] == 1
    send_alerts(settings, now=later(10))
    assert [str(m["To"]) for m in smtp_server.messages()] == ["sx@example.org"]


def test_secrets_never_reach_tables_files_logs_or_errors(
    settings: Settings, tmp_path: Path, robots, monkeypatch: pytest.MonkeyPatch, caplog
) -> None:
    caplog.set_level(logging.DEBUG)
    closed = f"http://127.0.0.1:{free_port()}/cgi-bin/webhook/send?key={WECOM_KEY}"
    monkeypatch.setenv("EDUFIG_WECOM_WEBHOOK_YN", closed)
    raise_flags(settings, seed_flags())
    text = ROBOTS_ONLY + "  - name: 本地\n    province: 山西\n    channels: [{type: outbox}]\n"
    result = send_alerts(subscribed(settings, tmp_path, text))
    assert result.counts["messages_sent"] == 2 and result.counts["messages_failed"] == 1
    error = query(settings, "SELECT last_error FROM alerts.outbox WHERE status = 'failed'")[0][0]
    assert "ConnectionError" in error and "key=***" in error
    persisted = all_persisted_text(settings) + caplog.text + "\n".join(result.errors)
    assert "EDUFIG_DINGTALK_SECRET_SX" in persisted  # the reference is stored, not the value
    for secret in (DINGTALK_TOKEN, DINGTALK_SECRET, WECOM_KEY):
        assert secret not in persisted
        assert secret.encode() not in settings.warehouse.read_bytes()


def test_resolved_flag_that_reappears_is_sent_again(settings: Settings) -> None:
    flags = seed_flags()
    raise_flags(settings, flags)
    send_alerts(settings)
    raise_flags(settings, flags[1:])
    resolved = send_alerts(settings)
    assert resolved.counts["flags_resolved"] == 1 and resolved.counts["messages_written"] == 0
    state = query(
        settings,
        "SELECT resolved_at IS NOT NULL, times_raised FROM alerts.flag_state"
        " WHERE flag_id = 'f-xhl-preschool-2020'",
    )
    assert state == [(True, 1)]
    for path in settings.outbox_dir.iterdir():
        path.unlink()
    raise_flags(settings, flags)
    back = send_alerts(settings)
    assert back.counts["flags_new"] == 1 and back.counts["digests"] == 1
    assert outbox_json(settings) == {"山西省教育厅": ["f-xhl-preschool-2020"]}
    assert query(
        settings,
        "SELECT resolved_at, times_raised FROM alerts.flag_state"
        " WHERE flag_id = 'f-xhl-preschool-2020'",
    ) == [(None, 2)]


def test_empty_digest_is_not_sent(settings: Settings) -> None:
    raise_flags(settings, seed_flags()[2:])
    result = send_alerts(settings)
    assert result.counts["digests"] == 1
    assert list(outbox_json(settings)) == ["云南省教育厅"]
    raise_flags(settings, [])
    nothing = send_alerts(settings)
    assert nothing.counts["digests"] == 0 and nothing.counts["flags_resolved"] == 1
    assert len(list_alerts(settings)) == 1


def long_yunnan_digest(settings: Settings, n: int = 20) -> None:
    rows = [
        flag(
            f"f{i:02d}",
            region_code="532300",
            region_name="楚雄彝族自治州",
            province="云南省",
            message_zh=f"第{i}号问题：" + "正文与表格数值不一致，" * 8,
        )
        for i in range(n)
    ]
    raise_flags(settings, rows)


def wecom_contents(robots) -> list[str]:
    return [p["body"]["markdown"]["content"] for p in robots.posts if "key" in p["params"]]


def test_long_robot_digest_arrives_in_numbered_parts_within_limits(
    settings: Settings, tmp_path: Path, robots
) -> None:
    long_yunnan_digest(settings)
    send_alerts(subscribed(settings, tmp_path, ROBOTS_ONLY))
    contents = wecom_contents(robots)
    assert len(contents) > 2
    assert all(len(c.encode("utf-8")) <= 4096 for c in contents)
    for n, content in enumerate(contents, start=1):
        assert f"第 {n}/{len(contents)} 部分" in content.splitlines()[0]
    found = [int(m) for c in contents for m in re.findall(r"第(\d+)号问题", c)]
    assert sorted(found) == list(range(20)) and len(found) == 20
    subjects = [m["subject"] for m in list_alerts(settings, "sent")]
    assert subjects[-1].endswith(f"（{len(contents)}/{len(contents)}）")
    assert WECOM_MAX_BYTES < 4096


def test_parts_after_a_failed_part_wait_so_they_arrive_in_order(
    settings: Settings, tmp_path: Path, robots
) -> None:
    long_yunnan_digest(settings)
    robots.succeed_first, robots.fail_next = 1, 3
    first = send_alerts(subscribed(settings, tmp_path, ROBOTS_ONLY))
    assert first.counts["messages_sent"] == 1 and first.counts["messages_failed"] == 1
    parts = query(settings, "SELECT part, status FROM alerts.outbox ORDER BY part")
    assert parts[:3] == [(1, "sent"), (2, "failed"), (3, "pending")]
    assert send_alerts(settings).counts["messages_sent"] == 0  # part 3 waits for part 2
    send_alerts(settings, now=later())
    contents = wecom_contents(robots)
    headers = [c.splitlines()[0] for c in contents]
    assert headers == [
        f"#### 教育数据质量提醒（云南省教育厅） 第 {n}/{len(parts)} 部分"
        for n in range(1, len(parts) + 1)
    ]


def test_missing_flags_table_is_reported_and_queued_messages_still_go(
    settings: Settings, tmp_path: Path, robots
) -> None:
    raise_flags(settings, seed_flags()[:1])
    robots.fail_next = 1000
    send_alerts(subscribed(settings, tmp_path, ROBOTS_ONLY))
    with duckdb.connect(str(settings.warehouse)) as con:
        con.execute("DROP TABLE dq.dq_flags")
    robots.fail_next = 0
    result = send_alerts(settings, now=later())
    assert "no dq.dq_flags table" in result.errors[0]
    assert result.counts["messages_sent"] == 1 and result.counts["flags_resolved"] == 0


def test_backoff_doubles_per_failed_run_and_gives_up_after_the_last(
    settings: Settings, tmp_path: Path, robots
) -> None:
    raise_flags(settings, seed_flags()[:1])
    robots.fail_next = 10_000
    subscribed(settings, tmp_path, ROBOTS_ONLY)
    waits = []
    clock = datetime.now()
    for _ in range(MAX_FAILED_RUNS + 1):
        send_alerts(settings, now=clock)
        ((runs, due),) = query(settings, "SELECT failed_runs, next_attempt_at FROM alerts.outbox")
        waits.append(round((due - datetime.now()).total_seconds() / 60) if due else None)
        clock = due or clock + timedelta(days=1)
    assert runs == MAX_FAILED_RUNS
    assert waits == [5, 10, 20, 40, 80, 160, 320, 360, 360, None, None]
    assert robots.failures == 3 * MAX_FAILED_RUNS
    assert list_alerts(settings, "failed")[0]["last_error"] == "DeliveryError: HTTP 500"
