"""Chaos suite, crawl: a trickling server is cut at the fetch deadline, and a source
with one hostile page still delivers every other document."""

from __future__ import annotations

from bench.hostile import docx_bomb
from edufig.core.config import Settings
from edufig.core.records import ParsedDocument
from scrapers.limits import MIB
from scrapers.registry import Source
from tests.scrapers.conftest import crawl_and_parse, fault_source, fetch_log
from tests.scrapers.fault_server import FaultServer


def multi_case_source(base_url: str, cases: list[str], **options: float) -> Source:
    """One source whose list pages link the given cases, in order."""
    source = fault_source(base_url, cases[0], **options)
    return source.model_copy(update={"start_urls": [f"{base_url}/list/{c}.html" for c in cases]})


def test_a_trickling_body_is_cut_at_the_fetch_deadline_and_the_crawl_goes_on(
    fault: FaultServer, settings: Settings
) -> None:
    # read_timeout 2 s is never hit: the server sends a byte every 0.2 s for 40 s
    source = multi_case_source(fault.base_url, ["trickle", "report-1"], fetch_deadline=1.5)
    result = crawl_and_parse([source], settings)
    seen = fault.state.requests
    trickle = next(i for i, r in enumerate(seen) if r.path == "/case/trickle.html")
    assert seen[trickle + 1].at - seen[trickle].at < 3  # cut at 1.5 s, not after 40 s
    url = f"{fault.base_url}/case/trickle.html"
    assert f"{url}: no complete answer within the 1.5 s fetch deadline" in result.errors
    assert fault.state.paths().count("/case/trickle.html") == 1  # not retried
    logged = [e for e in fetch_log(settings) if e["url"] == url]
    assert [e["outcome"] for e in logged] == ["failed"]
    docs = [ParsedDocument.load(p) for p in settings.parsed_dir.glob("*.json")]
    assert [d.url for d in docs] == [f"{fault.base_url}/case/report-1.html"]


def test_a_source_with_hostile_pages_delivers_all_its_other_documents(
    fault: FaultServer, settings: Settings
) -> None:
    fault.attachments["bomb.docx"] = docx_bomb(150 * MIB)
    cases = ["report-1", "nested", "report-2", "bomb-attachment", "trickle", "report-3"]
    source = multi_case_source(fault.base_url, cases, fetch_deadline=1.5, max_bytes=5_000_000)
    result = crawl_and_parse([source], settings)
    docs = {
        d.url.rsplit("/", 1)[-1]: d
        for d in (ParsedDocument.load(p) for p in settings.parsed_dir.glob("*.json"))
    }
    for n in (1, 2, 3):
        assert f"{n}00.5万元" in docs[f"report-{n}.html"].text
    assert "473813.97万元" in docs["nested.html"].text  # flattened, text kept
    assert "嵌套之后的段落" in docs["nested.html"].text
    bomb_page = docs["bomb-attachment.html"]  # the page lands without its attachment
    assert "473813.97万元" in bomb_page.text and bomb_page.parse_status == "ok"
    errors = "\n".join(result.errors)
    assert "bomb.docx: attachment not readable: over the zip_uncompressed_bytes limit" in errors
    assert "trickle.html: no complete answer within the 1.5 s fetch deadline" in errors
    assert result.counts["failed"] == 2 and not result.failed
