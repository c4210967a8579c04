"""The incremental crawler against a generated newest-first column on loopback; what it
asked is counted on the server side (`SyntheticSite.asked`)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from edufig.core.config import Settings
from scrapers.archive import Archive
from scrapers.crawl import crawl_sources
from scrapers.mirror.synthetic import RunningSynthetic, SyntheticSite, serve_synthetic
from scrapers.registry import Source
from scrapers.state import STATE_FILE, CrawlState
from tests.scrapers.conftest import fetch_log

REPO = Path(__file__).resolve().parents[2]
CRAWL = """
import json, sys
from pathlib import Path
from edufig.core.config import Settings
from scrapers.crawl import crawl_sources
from scrapers.registry import Source

source = Source.model_validate_json(sys.argv[1])
settings = Settings(warehouse=Path(sys.argv[2]) / "warehouse.duckdb", data_dir=Path(sys.argv[2]))
print(json.dumps(crawl_sources([source], settings).counts))
"""


def asked_since(site: SyntheticSite, start: int) -> list[tuple[str, bool]]:
    return [(a.path, a.conditional) for a in site.asked[start:]]


def article(n: int) -> str:
    return SyntheticSite.article_path(n)


def crawl_in_process(source: Source, data_dir: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", CRAWL, source.model_dump_json(), str(data_dir)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )


def known(settings: Settings, source: str) -> set[str]:
    with CrawlState.open(settings.data_dir) as state:
        return state.known_urls(source)


def test_no_change_crawl_asks_only_robots_and_page_one(settings: Settings) -> None:
    site = SyntheticSite(95, page_size=10)
    with serve_synthetic(site) as running:
        first = crawl_sources([running.source()], settings)
        assert (first.counts["archived"], site.count("/col/t2024")) == (95, 95)
        assert site.count("/col/index") == 10
        lines, start = len(fetch_log(settings)), len(site.asked)
        again = crawl_sources([running.source()], settings)
    assert asked_since(site, start) == [("/robots.txt", True), ("/col/index.html", True)]
    assert [(e["url"].rsplit("/", 1)[1], e["status"]) for e in fetch_log(settings)[lines:]] == [
        ("robots.txt", 304),
        ("index.html", 304),
    ]
    assert (again.counts["requests"], again.counts["known"], again.counts["fetched"]) == (2, 10, 0)
    assert not again.errors and not again.failed


def test_new_articles_are_fetched_and_paging_stops_at_the_first_all_known_page(
    settings: Settings,
) -> None:
    site = SyntheticSite(95, page_size=10)
    with serve_synthetic(site) as running:
        crawl_sources([running.source()], settings)
        new = site.add(12)  # page one all new, page two two new and eight known
        start = len(site.asked)
        again = crawl_sources([running.source()], settings)
    asked = asked_since(site, start)
    assert [path for path, _ in asked if "index" in path] == [
        "/col/index.html",
        "/col/index_1.html",
        "/col/index_2.html",  # all known: the last list page asked
    ]
    assert sorted(path for path, _ in asked if "/t2024" in path) == sorted(map(article, new))
    assert not [conditional for path, conditional in asked if "/t2024" in path and conditional]
    assert again.counts["archived"] == 12
    titles = {d.list_title for d in Archive(settings.archive_dir).documents()}
    assert "某县教育工作报告（第107号）" in titles
    assert len(known(settings, "synth")) == 107


def test_a_backdated_article_below_page_one_waits_for_the_periodic_whole_walk(
    settings: Settings,
) -> None:
    site = SyntheticSite(95, page_size=10)
    with serve_synthetic(site) as running:
        crawl_sources([running.source()], settings)
        (backdated,) = site.add(1, at=45)  # on page five, dated among the older ones
        start = len(site.asked)
        crawl_sources([running.source()], settings)
        assert [path for path, _ in asked_since(site, start)] == ["/robots.txt", "/col/index.html"]
        start = len(site.asked)
        again = crawl_sources([running.source(relist_days=0)], settings)
    asked = [path for path, _ in asked_since(site, start)]
    lists = ["/col/index.html", *(f"/col/index_{n}.html" for n in range(1, 10))]
    assert [path for path in asked if "index" in path] == lists
    assert [path for path in asked if "/t2024" in path] == [article(backdated)]
    assert again.counts["archived"] == 1


def backdate(settings: Settings, numbers: dict[int, float], running: RunningSynthetic) -> None:
    """Set the last check of articles `numbers` to that many days ago (test setup)."""
    source = running.source()
    with sqlite3.connect(settings.data_dir / STATE_FILE) as db:
        for number, days in numbers.items():
            url = source.identity(running.base_url + article(number))
            at = time.time() - days * 86400
            db.execute("UPDATE articles SET last_checked = ? WHERE url = ?", (at, url))


def test_known_articles_past_their_age_are_asked_conditionally_oldest_first(
    settings: Settings,
) -> None:
    site = SyntheticSite(40, page_size=10)
    with serve_synthetic(site) as running:
        crawl_sources([running.source()], settings)
        backdate(settings, {3: 45, 5: 40, 7: 35, 9: 31, 11: 20}, running)
        site.edit(5)
        start = len(site.asked)
        again = crawl_sources([running.source(revalidate_days=30, revalidate_per_run=3)], settings)
        asked = asked_since(site, start)
        assert [a for a in asked if "/t2024" in a[0]] == [
            (article(3), True),
            (article(5), True),
            (article(7), True),
        ]
        assert (again.counts["revalidated"], again.counts["archived"]) == (3, 1)
        latest = {d.doc_id: d for d in Archive(settings.archive_dir).documents()}
        assert sum(d.list_title == "某县教育工作报告（第5号）" for d in latest.values()) == 1
        start = len(site.asked)
        crawl_sources([running.source(revalidate_days=30, revalidate_per_run=3)], settings)
        # 3, 5 and 7 were checked just now: the rotation moves on to 9, 11 is not due yet
        assert [a for a in asked_since(site, start) if "/t2024" in a[0]] == [(article(9), True)]


def test_known_articles_the_sitemap_dates_after_their_check_are_asked_at_once(
    settings: Settings,
) -> None:
    site = SyntheticSite(40, page_size=10)
    with serve_synthetic(site) as running:
        source = running.source(sitemap=f"{running.base_url}/sitemap.xml", revalidate_days=365)
        first = crawl_sources([source], settings)
        assert (first.counts["archived"], first.counts["sitemap_changed"]) == (40, 0)
        site.edit(17)  # lastmod now; the rotation would wait a year
        start = len(site.asked)
        again = crawl_sources([source], settings)
        asked = asked_since(site, start)
        assert [a for a in asked if "/t2024" in a[0]] == [(article(17), True)]
        assert ("/sitemap.xml", True) in asked
        assert (again.counts["sitemap_changed"], again.counts["archived"]) == (1, 1)
        start = len(site.asked)
        third = crawl_sources([source], settings)
        # checked after its lastmod: not asked again
        assert not [a for a in asked_since(site, start) if "/t2024" in a[0]]
        assert third.counts["sitemap_changed"] == 0 and not third.errors


def test_state_survives_a_kill_between_urls(settings: Settings) -> None:
    site = SyntheticSite(300, page_size=50, article_delay=0.01)
    documents = settings.archive_dir / "documents.jsonl"
    with serve_synthetic(site) as running:
        process = crawl_in_process(running.source(), settings.data_dir)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and (
            not documents.exists() or len(documents.read_bytes().splitlines()) < 40
        ):
            time.sleep(0.02)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        archived = {d.url for d in Archive(settings.archive_dir).documents()}
        kept = known(settings, "synth")
        assert 40 <= len(archived) < 300
        # each archived article is known unless the kill fell between its two writes
        assert kept <= archived and len(archived - kept) <= 1
        with sqlite3.connect(settings.data_dir / STATE_FILE) as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        start = len(site.asked)
        site.article_delay = 0
        again = crawl_sources([running.source()], settings)
    asked_articles = [path for path, _ in asked_since(site, start) if "/t2024" in path]
    assert len(asked_articles) == 300 - len(kept)
    assert again.counts["archived"] == 300 - len(kept)
    assert len(known(settings, "synth")) == 300


def test_two_processes_crawl_different_sources_into_one_store(settings: Settings) -> None:
    one, two = SyntheticSite(200, page_size=20), SyntheticSite(150, page_size=20)
    with serve_synthetic(one) as first, serve_synthetic(two) as second:
        sources = [first.source("first"), second.source("second")]
        processes = [crawl_in_process(s, settings.data_dir) for s in sources]
        counts = [json.loads(p.communicate(timeout=120)[0]) for p in processes]
        assert [p.returncode for p in processes] == [0, 0]
        assert [c["archived"] for c in counts] == [200, 150]
        assert (len(known(settings, "first")), len(known(settings, "second"))) == (200, 150)
        assert len(Archive(settings.archive_dir).documents()) == 350
        marks = len(one.asked), len(two.asked)
        processes = [crawl_in_process(s, settings.data_dir) for s in sources]
        assert all(json.loads(p.communicate(timeout=60)[0])["fetched"] == 0 for p in processes)
    for site, mark in zip((one, two), marks, strict=True):
        assert asked_since(site, mark) == [("/robots.txt", True), ("/col/index.html", True)]


def test_legacy_json_state_is_migrated_once(settings: Settings) -> None:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    legacy = settings.data_dir / "crawl_state.json"
    legacy.write_text(
        json.dumps(
            {
                "validators": {"http://a.mirror/x.html": {"etag": '"e1"', "sha256": "aa"}},
                "blocked": {"synth": {"reason": "HTTP 412 anti-bot challenge", "at": time.time()}},
                "gone": {"http://a.mirror/dead.html": time.time()},
            }
        ),
        encoding="utf-8",
    )
    site = SyntheticSite(5)
    with serve_synthetic(site) as running:
        result = crawl_sources([running.source()], settings)
    assert not legacy.exists() and legacy.with_name("crawl_state.json.migrated").is_file()
    assert site.asked == []  # still blocked, as the old file said
    assert "synth: still blocked (HTTP 412 anti-bot challenge); skipped" in result.errors
    with CrawlState.open(settings.data_dir) as state:
        validator = state.validator("http://a.mirror/x.html")
        assert validator is not None and (validator.etag, validator.sha256) == ('"e1"', "aa")
        assert state.is_gone("http://a.mirror/dead.html", retry_hours=24)
