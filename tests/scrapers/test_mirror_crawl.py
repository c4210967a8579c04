"""The production crawler against the real offline mirror (HTTP on 127.0.0.1)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from edufig.core.config import Settings
from edufig.core.records import ParsedDocument
from scrapers.mirror import SITES_DIR, serve_mirror
from scrapers.state import CrawlState
from tests.conftest import SEEDS_DIR
from tests.scrapers.conftest import crawl_and_parse, fetch_log


def seed(prefix: str) -> str:
    return next(SEEDS_DIR.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def nonblank(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def docs_by_source(settings: Settings) -> dict[str, ParsedDocument]:
    docs = [ParsedDocument.load(p) for p in sorted(settings.parsed_dir.glob("*.json"))]
    return {d.source: d for d in docs}


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory, mirror):
    """Two crawls of the unchanged mirror into one data dir: (settings, first, second, n)."""
    settings = Settings(warehouse=tmp_path_factory.mktemp("crawl") / "warehouse.duckdb")
    first = crawl_and_parse(mirror.sources(), settings)
    first_lines = len(fetch_log(settings))
    second = crawl_and_parse(mirror.sources(), settings)
    return settings, first, second, first_lines


def test_first_crawl_lands_the_five_reports(crawled) -> None:
    settings, first, _second, _n = crawled
    assert first.counts["new"] == 5
    assert first.counts["documents"] == 5
    assert first.counts["blocked"] == 1
    docs = docs_by_source(settings)
    assert sorted(docs) == [
        "chuxiong-jyj",
        "puer-jtj",
        "qianjiang-jyj",
        "wenku-fanwen",
        "xinghualing-jyty",
    ]


@pytest.mark.parametrize("site", ["chuxiong", "qianjiang", "puer", "wenku", "xinghualing"])
def test_each_report_matches_the_expected_parse_kept_beside_its_fixture(crawled, site: str) -> None:
    expected = json.loads((SITES_DIR / site / "_expected.json").read_text(encoding="utf-8"))
    ((path, want),) = expected.items()
    (doc,) = [ParsedDocument.load(p) for p in crawled[0].parsed_dir.glob(f"{site}-*.json")]
    assert doc.url == f"http://{site}.mirror{path}"
    fields = ("title", "index_number", "doc_number", "published_date")
    assert {f: getattr(doc, f) for f in fields} == {f: want[f] for f in fields}
    assert [a.removeprefix(f"http://{site}.mirror") for a in doc.attachments][
        : len(want["attachments"])
    ] == want["attachments"]


def test_gbk_page_decodes_to_the_seed_text_with_metadata(crawled) -> None:
    doc = docs_by_source(crawled[0])["chuxiong-jyj"]
    assert doc.encoding == "gb18030"
    assert doc.text == seed("000")
    assert "473813.97万元" in doc.text
    assert doc.title == "楚雄州人民政府履行教育职责工作情况报告"
    assert doc.index_number == "11532300015182938F/2022-00087"
    assert doc.published_date == "2022-07-05"
    assert (doc.region_code, doc.region_name, doc.province) == (
        "532300",
        "楚雄彝族自治州",
        "云南省",
    )
    assert doc.doc_type == "履行教育职责自评报告"
    assert doc.url == "http://chuxiong.mirror/zwgk/jyj/202207/t20220705_1131877.shtml"


def test_hanweb_article_metadata_in_the_hubei_dialect(crawled) -> None:
    doc = docs_by_source(crawled[0])["qianjiang-jyj"]
    assert nonblank(doc.text) == nonblank(seed("001"))
    assert doc.index_number == "011396186/2021-53338"
    assert doc.doc_number is None  # 文号 cell reads "文  号:无"
    assert doc.publisher == "潜江市教育局"
    assert doc.published_date == "2021-10-18"
    assert doc.region_code == "429005"


def test_report_only_in_a_pdf_behind_a_redirecting_download(crawled) -> None:
    settings, first, _second, _n = crawled
    doc = docs_by_source(settings)["puer-jtj"]
    assert doc.text.startswith("林灵委员：\n您提出的提案已办理完毕，答复函全文见附件。")
    assert seed("003") in doc.text
    assert "积极筹措19亿元资金" in doc.text
    assert doc.doc_number == "普教体提复〔2023〕23号"
    assert doc.index_number == "11530800MB1A47215X/2023-00219"
    assert doc.published_date == "2023-07-14"
    assert any("downfile.jsp" in url for url in doc.attachments)
    dead = "http://puer.mirror/attach/0/missing_20230714.docx: HTTP 404"
    assert dead in first.errors


def test_report_in_a_docx_attachment_keeps_its_indicator_table(crawled) -> None:
    doc = docs_by_source(crawled[0])["xinghualing-jyty"]
    assert doc.text.startswith("杏政发〔2022〕17号\n太原市杏花岭区人民政府")
    assert "杏花岭区“十四五”教育事业发展规划" in doc.text
    assert "学前教育毛入园率(%) | 98.91 | 99 | 预期性" in doc.text
    assert ["九年义务教育巩固率(%)", "99.64", "100", "预期性"] in doc.tables[0]
    assert doc.doc_number == "杏政发〔2022〕17号"
    assert doc.index_number == "012236934/2022-01279"
    assert doc.published_date == "2022-08-25"
    assert doc.doc_type == "教育事业发展规划"
    assert doc.attachments[0].endswith("/P020220825613524860391.docx")


def test_anonymised_fanwen_has_no_region(crawled) -> None:
    doc = docs_by_source(crawled[0])["wenku-fanwen"]
    assert doc.text == seed("002")
    assert doc.region_code is None and doc.region_name is None


def test_decoys_robots_and_off_site_links_are_never_requested(crawled) -> None:
    settings, _first, _second, n = crawled
    log = fetch_log(settings)[:n]
    requested = [e["url"] for e in log if e["status"] is not None]
    assert not [u for u in requested if "t20220712_1521002" in u or "art_4521_1800" in u]
    robots = [e for e in log if "/zwgk/nbgl/" in e["url"]]
    assert [(e["status"], e["outcome"], e["error"]) for e in robots] == [
        (None, "skipped", "disallowed by robots.txt")
    ]
    off_site = [e for e in log if "jyt.shanxi.gov.cn" in e["url"]]
    assert off_site[0]["outcome"] == "skipped" and off_site[0]["status"] is None


def test_declared_page_count_beyond_existing_pages_stops_paging(crawled) -> None:
    settings, first, _second, n = crawled
    log = fetch_log(settings)[:n]
    trs_pages = [e for e in log if "/jyty/index_" in e["url"]]
    assert [(e["url"].rsplit("/", 1)[1], e["status"]) for e in trs_pages] == [
        ("index_1.html", 200),
        ("index_2.html", 200),
        ("index_3.html", 404),
    ]
    assert not [e for e in first.errors if "index_3" in e]


def test_challenge_marks_the_source_blocked_after_one_request(crawled) -> None:
    settings, first, second, n = crawled
    log = fetch_log(settings)
    guarded = [e for e in log[:n] if e["source"] == "kunming-jtj"]
    assert [(e["status"], e["outcome"]) for e in guarded] == [(412, "blocked")]
    assert any("kunming-jtj: blocked" in e and "412" in e for e in first.errors)
    assert not [e for e in log[n:] if e["source"] == "kunming-jtj"]
    with CrawlState.open(settings.data_dir) as state:
        assert "$_ts" in (state.blocked_reason("kunming-jtj", retry_hours=24) or "")
    assert second.counts["blocked"] == 1


def test_second_crawl_asks_only_robots_and_first_list_pages_conditionally(crawled, mirror) -> None:
    settings, _first, second, n = crawled
    again = [e for e in fetch_log(settings)[n:] if e["status"] is not None]
    starts = {s.identity(u) for s in mirror.sources() if s.enabled for u in s.start_urls}
    assert {e["url"] for e in again if not e["url"].endswith("/robots.txt")} == starts - {
        "http://kunming.mirror/zwgk/jyj/index.html"  # blocked in the first crawl: not asked
    }
    assert {e["status"] for e in again} == {304}
    assert sum(e["bytes"] for e in again) == 0
    assert second.counts["fetched"] == 0 and second.counts["known"] == 6
    assert second.counts["new"] == 0
    assert second.counts["documents"] == 0
    assert second.counts["unchanged"] == 5


def test_same_report_at_two_urls_is_one_document(crawled) -> None:
    settings, first, _second, _n = crawled
    qianjiang = list(settings.parsed_dir.glob("qianjiang-jyj-*.json"))
    assert len(qianjiang) == 1
    assert first.counts["duplicates"] == 1


def test_archive_keeps_exact_bytes_and_headers(crawled) -> None:
    settings = crawled[0]
    doc = docs_by_source(settings)["chuxiong-jyj"]
    blob = settings.archive_dir / "blobs" / doc.sha256[:2] / doc.sha256
    assert (
        blob.read_bytes()
        == (SITES_DIR / "chuxiong" / "zwgk/jyj/202207/t20220705_1131877.shtml").read_bytes()
    )
    responses = (settings.archive_dir / "responses.jsonl").read_text(encoding="utf-8").splitlines()
    record = next(json.loads(r) for r in responses if json.loads(r)["sha256"] == doc.sha256)
    assert record["headers"]["Content-Type"] == "text/html"


def test_changed_page_lands_again_as_a_new_version(tmp_path: Path, settings: Settings) -> None:
    sites = tmp_path / "sites"
    shutil.copytree(SITES_DIR, sites)
    with serve_mirror(sites) as running:
        crawl_and_parse(running.sources(), settings)
    before = {p.name: p.read_bytes() for p in settings.parsed_dir.glob("*.json")}
    page = sites / "chuxiong" / "zwgk/jyj/202207/t20220705_1131877.shtml"
    page.write_bytes(page.read_bytes().replace(b"473813.97", b"473999.01"))
    with serve_mirror(sites) as running:  # new ports: identities must not depend on them
        sources = running.sources()
        for source in sources:  # a known page is asked again only once due for revalidation
            source.revalidate_days = 0
        again = crawl_and_parse(sources, settings)
    assert (again.counts["new"], again.counts["documents"], again.counts["changed"]) == (1, 1, 1)
    after = {p.name: p.read_bytes() for p in settings.parsed_dir.glob("*.json")}
    changed = [name for name in after if after[name] != before.get(name)]
    assert len(changed) == 1 and changed[0].startswith("chuxiong-jyj-")
    doc = ParsedDocument.load(settings.parsed_dir / changed[0])
    assert "473999.01万元" in doc.text
    assert doc.sha256 != json.loads(before[changed[0]])["sha256"]
