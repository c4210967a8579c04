"""Digest rendering: Chinese content, escaping of scraped text, robot size limits."""

from __future__ import annotations

import json
import re

from edufig.alerts.flag_routing import Flag
from edufig.alerts.render import (
    WECOM_MAX_BYTES,
    Digest,
    render_html,
    render_markdown_parts,
    render_text,
)
from edufig.alerts.values import describe_values
from tests.alerts.conftest import XHL_URL, flag, seed_flags

HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)"> [点我](javascript:alert(3))'


def hostile_flag(flag_id: str = "f-hostile") -> Flag:
    evidence = [
        {"doc_id": "d1", "url": "javascript:alert(4)", "title": "<b>标题</b>", "text": HOSTILE}
    ]
    return Flag(**flag(flag_id, evidence_json=json.dumps(evidence), message_zh=HOSTILE))


def test_text_digest_has_every_field_in_chinese() -> None:
    digest = Digest("山西省教育厅", tuple(Flag(**row) for row in seed_flags()[:2]))
    text = render_text(digest)
    assert digest.subject == "【教育数据质量】山西省教育厅：2 条新问题（错误 2，警告 0）"
    assert "1. [错误] 太原市杏花岭区 · 学前三年毛入园率" in text
    assert "学段：学前教育；年份：2020（实际值）" in text
    assert "数值：正文：98.5；专栏表格：98.91" in text
    assert "原因：同一文件中正文与专栏表格的数值不一致：98.5% 与 98.91%" in text
    assert "证据：「2020年学前三年毛入园率达到98.5%」（杏花岭区“十四五”教育事业发展规划）" in text
    assert f"来源文件：{XHL_URL}" in text
    assert "Data Docs：http://docs.example.org/validations/conflicting_values.html" in text
    assert "2. [错误] 太原市杏花岭区 · 九年义务教育巩固率" in text
    assert "学段：义务教育；年份：2025（目标值）" in text


def test_html_escapes_scraped_text_and_refuses_script_urls() -> None:
    page = render_html(Digest("山西省教育厅", (hostile_flag(),)))
    assert "<script>" not in page and "<img" not in page and "<b>标题" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in page
    assert "javascript:" not in page.replace("(javascript:alert(3))", "")
    assert not re.search(r'href="javascript', page)
    safe = render_html(Digest("山西省教育厅", (Flag(**flag("f")),)))
    assert f'<a href="{XHL_URL}">来源文件</a>' in safe


def test_markdown_makes_scraped_text_inert() -> None:
    (part,) = render_markdown_parts(Digest("山西省教育厅", (hostile_flag(),)), WECOM_MAX_BYTES)
    assert "<" not in part and ">" not in part
    assert "](javascript" not in part and "［点我］（javascript:alert（3））" in part
    assert "＜script＞alert（1）＜/script＞" in part


def many_flags(n: int) -> tuple[Flag, ...]:
    return tuple(
        Flag(**flag(f"f{i:03d}", region_name=f"第{i}区", message_zh="数值不一致" * 20))
        for i in range(n)
    )


def test_long_digest_is_split_into_numbered_parts_within_the_limit() -> None:
    flags = many_flags(12)
    parts = render_markdown_parts(Digest("山西省教育厅", flags), WECOM_MAX_BYTES)
    assert len(parts) > 2
    assert all(len(p.encode("utf-8")) <= WECOM_MAX_BYTES for p in parts)
    for n, part in enumerate(parts, start=1):
        assert part.startswith(f"#### 教育数据质量提醒（山西省教育厅） 第 {n}/{len(parts)} 部分")
    numbers = [int(m) for p in parts for m in re.findall(r"^\*\*(\d+)\. ", p, re.M)]
    assert numbers == list(range(1, 13))
    assert "未在此列出" not in parts[-1]


def test_short_digest_is_one_unnumbered_part() -> None:
    parts = render_markdown_parts(Digest("云南省教育厅", many_flags(2)), WECOM_MAX_BYTES)
    assert len(parts) == 1
    assert "部分" not in parts[0].splitlines()[0]


def test_an_oversized_single_flag_is_truncated_not_dropped() -> None:
    huge = Flag(**flag("f-huge", region_code=None, region_name="大" * 2000, message_zh="长" * 5000))
    (part,) = render_markdown_parts(Digest("云南省教育厅", (huge,)), 1500)
    assert len(part.encode("utf-8")) <= 1500
    assert "**1. [错误]" in part and part.rstrip().endswith("…")


def test_robot_parts_are_capped_and_the_rest_counted() -> None:
    flags = many_flags(60)
    parts = render_markdown_parts(Digest("山西省教育厅", flags), WECOM_MAX_BYTES, max_parts=3)
    assert len(parts) == 3
    assert all(len(p.encode("utf-8")) <= WECOM_MAX_BYTES for p in parts)
    listed = len(re.findall(r"^\*\*\d+\. ", "".join(parts), re.M))
    note = f"……另有 {60 - listed} 条问题未在此列出，请查看邮件或 Data Docs。"
    assert parts[-1].rstrip().endswith(note)
    assert 0 < listed < 60


def test_values_from_the_quality_checks_read_as_chinese_with_units() -> None:
    conflict = {"values": [98.5, 98.91], "unit": "percent", "scope": "one document"}
    assert describe_values(conflict) == "98.5%、98.91%"
    growth = {
        "value": 4738139700.0,
        "unit": "yuan",
        "yoy_change": 117306700.0,
        "yoy_growth_pct": 2.54,
        "implied_growth_pct": 2.6,
        "tolerance_pp": None,
    }
    assert describe_values(growth) == (
        "473,813.97万元；同比增减：11,730.67万元；同比增长率(%)：2.54；按数值推算的增长率(%)：2.6"
    )
    parts = {"total": 52403, "parts_sum": 52400, "parts": [48550, 3850], "unit": "person"}
    assert describe_values(parts) == "合计：52,403人；分项之和：52,400人；分项：48,550人、3,850人"


def test_terminal_escape_sequences_never_reach_a_message() -> None:
    ansi = "\x1b[2J\x1b[31m学前三年毛入园率\x1b[0m\x07达到98.5%\x1b]0;owned\x07"
    evidence = [{"doc_id": "d1", "url": XHL_URL + "\x1b[8m", "title": "报告\x1b[5m", "text": ansi}]
    digest = Digest("山西省教育厅", (Flag(**flag("f", evidence_json=json.dumps(evidence))),))
    (markdown,) = render_markdown_parts(digest, WECOM_MAX_BYTES)
    for rendered in (render_text(digest), render_html(digest), markdown):
        assert "\x1b" not in rendered and "\x07" not in rendered and "owned" not in rendered
        assert "[31m" not in rendered and "［31m" not in rendered
    assert "证据：「学前三年毛入园率达到98.5%」（报告）" in render_text(digest)
    assert f"来源文件：{XHL_URL}\n" in render_text(digest)
