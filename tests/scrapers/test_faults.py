"""The crawler against a fault-injecting HTTP server on 127.0.0.1: every fault is recorded
for its URL and the crawl goes on; challenges block the source without retries."""

from __future__ import annotations

import itertools

import pytest

from edufig.core.config import Settings
from edufig.core.records import ParsedDocument
from tests.scrapers.conftest import crawl_and_parse, fault_source, fetch_log
from tests.scrapers.fault_server import (
    ChallengeHandler,
    CookieChallengeHandler,
    FaultServer,
    challenge_server,
)


def landed(settings: Settings) -> list[ParsedDocument]:
    return [ParsedDocument.load(p) for p in sorted(settings.parsed_dir.glob("*.json"))]


@pytest.mark.parametrize(
    ("case", "reason", "attempts"),
    [
        ("truncated", "ChunkedEncodingError", 2),
        ("hang", "timed out", 2),
        ("reset", "ConnectionError", 2),
        ("foreign-redirect", "redirect to foreign host evil.example.invalid", 1),
        ("oversized", "body of 300013 bytes exceeds the 100000-byte cap", 1),
        ("oversized-stream", "body exceeds the 100000-byte cap", 1),
        ("always-500", "HTTP 500 (after 3 attempts)", 3),
    ],
)
def test_transport_fault_is_an_error_line_for_that_url(
    fault: FaultServer, settings: Settings, case: str, reason: str, attempts: int
) -> None:
    hang_limit = {"read_timeout": 0.4} if case == "hang" else {}  # the server sleeps 1.5 s
    sources = [
        fault_source(
            fault.base_url, case, max_bytes=100_000, retries=attempts - 1 or 1, **hang_limit
        ),
        fault_source(fault.base_url, "ok", name="healthy"),
    ]
    result = crawl_and_parse(sources, settings)
    url = f"{fault.base_url}/case/{case}.html"
    assert [e for e in result.errors if e.startswith(url)], result.errors
    assert reason in " ".join(result.errors)
    assert fault.state.paths().count(f"/case/{case}.html") == attempts
    assert result.counts["failed"] == 1
    assert [d.source for d in landed(settings)] == ["healthy"]
    assert "473813.97万元" in landed(settings)[0].text


@pytest.mark.parametrize(
    ("case", "error"),
    [("empty", "empty content"), ("junk", "binary content that is not PDF or DOCX")],
)
def test_unparseable_page_lands_as_failed_document(
    fault: FaultServer, settings: Settings, case: str, error: str
) -> None:
    result = crawl_and_parse([fault_source(fault.base_url, case)], settings)
    (doc,) = landed(settings)
    assert (doc.parse_status, doc.parse_error, doc.text) == ("failed", error, "")
    assert result.errors == [f"{fault.base_url}/case/{case}.html: {error}"]


@pytest.mark.parametrize("case", ["gbk-no-charset", "gbk-wrong-header"])
def test_gbk_without_or_against_its_header_decodes(
    fault: FaultServer, settings: Settings, case: str
) -> None:
    result = crawl_and_parse([fault_source(fault.base_url, case)], settings)
    (doc,) = landed(settings)
    assert result.errors == []
    assert doc.encoding == "gb18030"
    assert "全县教育经费总投入为473813.97万元,比上年增长2.54%。" in doc.text
    assert "专任教师六千二百人" in doc.text


def test_malformed_html_still_yields_text_and_table(fault: FaultServer, settings: Settings) -> None:
    crawl_and_parse([fault_source(fault.base_url, "malformed")], settings)
    (doc,) = landed(settings)
    assert doc.parse_status == "ok"
    assert "473813.97万元" in doc.text and "未闭合段落" in doc.text
    assert "指标 | 数值\n学校 | 120" in doc.text


def test_5xx_then_success_is_retried(fault: FaultServer, settings: Settings) -> None:
    result = crawl_and_parse([fault_source(fault.base_url, "flaky")], settings)
    assert fault.state.paths().count("/case/flaky.html") == 2
    assert result.errors == [] and result.counts["new"] == 1


def test_429_waits_for_retry_after(fault: FaultServer, settings: Settings) -> None:
    result = crawl_and_parse([fault_source(fault.base_url, "rate-limited")], settings)
    hits = [r.at for r in fault.state.requests if r.path == "/case/rate-limited.html"]
    assert len(hits) == 2
    assert hits[1] - hits[0] >= 0.95
    assert result.counts["new"] == 1


@pytest.mark.parametrize(
    ("handler", "reason"),
    [
        (ChallengeHandler, "HTTP 412 anti-bot challenge (inline $_ts script)"),
        (CookieChallengeHandler, "HTTP 521 cookie challenge (__jsl_clearance script)"),
    ],
)
def test_challenge_blocks_the_source_and_the_others_go_on(
    fault: FaultServer, settings: Settings, handler: type[ChallengeHandler], reason: str
) -> None:
    with challenge_server(handler) as guarded:
        sources = [
            fault_source(guarded.base_url, "ok", name="guarded", retries=3),
            fault_source(fault.base_url, "ok", name="healthy"),
        ]
        result = crawl_and_parse(sources, settings)
        assert len(guarded.state.requests) == 1
        again = crawl_and_parse(sources, settings)
        assert len(guarded.state.requests) == 1
    assert result.counts["blocked"] == 1
    assert any(e.startswith("guarded: blocked:") and reason in e for e in result.errors)
    assert [d.source for d in landed(settings)] == ["healthy"]
    assert again.counts["blocked"] == 1
    assert "still blocked" in again.errors[0]
    blocked = [e for e in fetch_log(settings) if e["outcome"] == "blocked"]
    assert [e["source"] for e in blocked] == ["guarded"]


def test_rerun_after_a_failure_resumes_and_keeps_what_landed(
    fault: FaultServer, settings: Settings
) -> None:
    sources = [
        fault_source(fault.base_url, "ok"),
        fault_source(fault.base_url, "always-500", name="broken"),
    ]
    crawl_and_parse(sources, settings)
    second = crawl_and_parse(sources, settings)
    assert second.counts["unchanged"] == 1 and second.counts["new"] == 0
    assert second.counts["failed"] == 1
    assert [d.source for d in landed(settings)] == ["faulty"]


def test_unreachable_host_fails_the_stage_as_a_whole(settings: Settings) -> None:
    with FaultServer() as gone:
        base = gone.base_url  # the port is closed once the server is gone
    result = crawl_and_parse([fault_source(base, "ok")], settings)
    assert result.failed
    assert result.errors[0].startswith(
        f"{base}/list/ok.html: robots.txt unreachable: ConnectionError"
    )
    assert result.counts["fetched"] == 0


def test_redirect_chain_inside_the_host_is_followed(fault: FaultServer, settings: Settings) -> None:
    result = crawl_and_parse([fault_source(fault.base_url, "redirect-chain")], settings)
    (doc,) = landed(settings)
    assert doc.url == f"{fault.base_url}/case/ok.html"
    assert "473813.97万元" in doc.text and result.errors == []
    hops = [e["error"] for e in fetch_log(settings) if e["status"] in (301, 302)]
    assert hops == [
        f"HTTP 301 redirect to {fault.base_url}/case/redirect-hop.html",
        f"HTTP 302 redirect to {fault.base_url}/case/ok.html",
    ]


@pytest.mark.parametrize(
    ("case", "reason"),
    [
        ("verify-page", "verification page titled 安全验证"),
        ("cookie-loop", "redirect to itself with Set-Cookie"),
        ("forbidden", "HTTP 403 forbidden"),
    ],
)
def test_other_walls_block_the_source(
    fault: FaultServer, settings: Settings, case: str, reason: str
) -> None:
    result = crawl_and_parse([fault_source(fault.base_url, case, retries=3)], settings)
    assert result.counts["blocked"] == 1
    assert fault.state.paths().count(f"/case/{case}.html") == 1
    assert reason in result.errors[0] and result.errors[0].startswith("faulty: blocked:")
    assert landed(settings) == []


def test_one_request_at_a_time_per_host_with_the_crawl_delay(
    fault: FaultServer, settings: Settings
) -> None:
    sources = [
        fault_source(fault.base_url, "ok", name="first", crawl_delay=0.25),
        fault_source(fault.base_url, "flaky", name="second", crawl_delay=0.25),
    ]
    crawl_and_parse(sources, settings)
    times = [r.at for r in fault.state.requests]
    assert fault.state.paths() == [
        "/robots.txt",
        "/list/ok.html",
        "/case/ok.html",
        "/list/flaky.html",  # robots.txt 404 is remembered for the host
        "/case/flaky.html",
        "/case/flaky.html",
    ]
    assert min(later - earlier for earlier, later in itertools.pairwise(times)) >= 0.24


def test_a_broken_later_list_page_is_reported_not_taken_for_the_end(
    fault: FaultServer, settings: Settings
) -> None:
    source = fault_source(fault.base_url, "ok").model_copy(
        update={"family": "trs", "start_urls": [f"{fault.base_url}/trs/index.html"]}
    )
    result = crawl_and_parse([source], settings)
    assert result.errors == [f"{fault.base_url}/trs/index_1.html: HTTP 500 (after 2 attempts)"]
    assert "/trs/index_2.html" not in fault.state.paths()
    assert [d.source for d in landed(settings)] == ["faulty"]


def test_a_source_with_no_report_links_is_an_error_unless_it_expects_none(
    fault: FaultServer, settings: Settings
) -> None:
    quiet = fault_source(fault.base_url, "ok").model_copy(update={"include": ["招生简章"]})
    result = crawl_and_parse([quiet], settings)
    assert result.errors == [
        f"faulty: no report links found from {fault.base_url}/list/ok.html"
        " (set expect_empty: true if this column has none)"
    ]
    empty_ok = quiet.model_copy(update={"expect_empty": True})
    assert crawl_and_parse([empty_ok], settings).errors == []
