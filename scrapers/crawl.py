"""The scrape stage: crawl every source, archive every response, land parsed reports.

A run walks each source's list pages, keeps the links whose title names an education
report, fetches each article (conditionally, so an unchanged site costs only 304s), pulls
its PDF/DOCX attachments, and saves one `ParsedDocument` per report. A document is new
when its text is; the same text reached by another URL is a duplicate, not a document.
One failing URL or source never stops the run; a blocked source stops only itself.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from edufig.core.config import Settings, StageResult, timed
from edufig.core.records import ParsedDocument
from scrapers.archive import Archive
from scrapers.decode import decode_bytes
from scrapers.fetch import Fetched, Fetcher, FetchFailed, Skipped, SourceBlocked
from scrapers.listing import list_links
from scrapers.metadata import doc_number_in_text
from scrapers.parse import Parsed, UnparseableError, document_from
from scrapers.registry import Source
from scrapers.state import CrawlState
from scrapers.worker import ParseWorkers

Progress = Callable[[str], None]
Parser = Callable[..., Parsed]  # parse_bytes(data, content_type, url, suffix) or a worker's
COUNT_KEYS = ("fetched", "new", "unchanged", "failed", "blocked", "documents")


def doc_id_for(source: Source, url: str) -> str:
    return f"{source.name}-{hashlib.sha1(source.identity(url).encode()).hexdigest()[:12]}"


def text_sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class SourceCrawl:
    """One source's crawl within a run; counts and errors go to the shared result."""

    def __init__(
        self,
        source: Source,
        settings: Settings,
        archive: Archive,
        state: CrawlState,
        result: StageResult,
        last_request: dict[str, float],
        parse: Parser,
    ) -> None:
        self.source = source
        self.settings = settings
        self.state = state
        self.result = result
        self.parse = parse
        self.fetcher = Fetcher(source, archive, state, settings.crawl_delay, last_request)

    def fail(self, message: str) -> None:
        self.result.add("failed")
        self.result.errors.append(message)

    def fetch(self, url: str) -> Fetched | None:
        try:
            return self.fetcher.get(url)
        except FetchFailed as exc:
            self.fail(str(exc))
        except Skipped:
            self.result.add("skipped")
        return None

    def fetch_text(self, url: str, required: bool = True) -> str | None:
        """A list page's text. A later page that is 404/410 is the real end of a list whose
        declared page count is too high, not a failure; any other fault is reported."""
        try:
            fetched = self.fetcher.get(url)
        except Skipped:
            self.result.add("skipped")
            return None
        except FetchFailed as exc:
            gone = self.state.is_gone(
                self.source.identity(url), self.source.options.gone_retry_hours
            )
            if required or not gone:
                self.fail(str(exc))
            return None
        return decode_bytes(fetched.body, fetched.content_type)[0]

    def candidates(self) -> dict[str, tuple[str, str]]:
        """Report links by canonical URL: title wanted, on an allowed host, article-shaped."""
        pattern = re.compile(self.source.article_pattern)
        found: dict[str, tuple[str, str]] = {}
        for url, title in list_links(self.source, self.fetch_text):
            key = self.source.identity(url)
            if not title or not self.source.wants(title) or key in found:
                continue
            if not self.source.is_allowed(url):
                self.fetcher.skip(url, f"off-site host {urlsplit(url).netloc}")
                self.result.add("skipped")
            elif pattern.search(urlsplit(url).path):
                found[key] = (url, title)
        return found

    def run(self, progress: Progress) -> None:
        errors_before = len(self.result.errors)
        candidates = self.candidates()
        progress(f"{self.source.name}: {len(candidates)} report link(s) found")
        listing_failed = len(self.result.errors) > errors_before
        if not candidates and not self.source.expect_empty and not listing_failed:
            starts = ", ".join(self.source.start_urls)
            self.result.errors.append(
                f"{self.source.name}: no report links found from {starts}"
                " (set expect_empty: true if this column has none)"
            )
        before = dict(self.result.counts)
        for url, title in candidates.values():
            self.land_guarded(url, title)
        done = {k: self.result.counts.get(k, 0) - before.get(k, 0) for k in COUNT_KEYS}
        progress(
            f"{self.source.name}: {done['new']} new, {done['unchanged']} unchanged, "
            f"{done['failed']} failed"
        )

    def land_guarded(self, url: str, title: str) -> None:
        """`land`, with any fault but a block confined to this one document."""
        try:
            self.land(url, title)
        except SourceBlocked:
            raise
        except Exception as exc:
            self.fail(f"{self.source.identity(url)}: {type(exc).__name__}: {_short(exc)}")

    def land(self, url: str, title: str) -> None:
        doc_id = doc_id_for(self.source, url)
        page = self.fetch(url)
        if page is None:
            return
        self.result.add("fetched")
        target = self.settings.parsed_dir / f"{doc_id}.json"
        if not page.changed and target.exists():
            self.result.add("unchanged")
            return
        if not page.changed and "duplicate_of" in self.state.documents.get(doc_id, {}):
            self.result.add("duplicates")
            return
        doc = self.build_document(doc_id, page, title)
        self.record(doc, target)

    def build_document(self, doc_id: str, page: Fetched, list_title: str) -> ParsedDocument:
        try:
            parsed = self.parse(page.body, page.content_type, page.url)
        except UnparseableError as exc:
            self.fail(f"{self.source.identity(page.url)}: {exc}")
            doc = ParsedDocument(
                doc_id=doc_id,
                text="",
                sha256=page.sha256,
                parse_status="failed",
                parse_error=str(exc),
            )
            return self.provenance(doc, page, list_title)
        texts, tables, attachments = [parsed.text], list(parsed.tables or []), []
        for url in self.attachment_urls(parsed):
            attachments.append(self.source.identity(url))
            office = self.attachment(url)
            if office is not None:
                texts.append(office.text)
                tables.extend(office.tables or [])
        parsed.text = "\n\n".join(t for t in texts if t)
        doc = document_from(parsed, doc_id, page.body)
        doc.tables, doc.attachments = tables, attachments
        return self.provenance(doc, page, list_title)

    def attachment_urls(self, parsed: Parsed) -> list[str]:
        pattern = re.compile(self.source.attachment_pattern, re.I)
        urls: list[str] = []
        for url, _label in parsed.links or []:
            if pattern.search(url) and self.source.is_allowed(url) and url not in urls:
                urls.append(url)
        return urls

    def attachment(self, url: str) -> Parsed | None:
        fetched = self.fetch(url)
        if fetched is None:
            return None
        try:
            suffix = PurePosixPath(urlsplit(fetched.url).path).suffix
            parsed = self.parse(fetched.body, fetched.content_type, fetched.url, suffix)
        except UnparseableError as exc:
            self.fail(f"{self.source.identity(url)}: attachment not readable: {exc}")
            return None
        return parsed if parsed.kind in ("pdf", "docx") else None

    def provenance(self, doc: ParsedDocument, page: Fetched, list_title: str) -> ParsedDocument:
        source = self.source
        doc.url, doc.source = source.identity(page.url), source.name
        doc.fetched_at, doc.http_status = page.fetched_at, 200
        doc.title = doc.title or list_title
        doc.publisher = doc.publisher or source.publisher
        doc.doc_number = doc.doc_number or doc_number_in_text(doc.text)
        doc.doc_type = source.doc_type_of(doc.title or list_title)
        doc.region_name, doc.region_code = source.region.name, source.region.code
        doc.province = source.region.province
        return doc

    def record(self, doc: ParsedDocument, target: Path) -> None:
        """Save unless the same text is already a document (this or another doc_id)."""
        digest = text_sha(doc.text)
        owner = self.state.text_index.get(digest) if doc.parse_status == "ok" else None
        if owner is not None and owner != doc.doc_id:
            self.result.add("duplicates")
            self.state.documents[doc.doc_id] = {"url": doc.url, "duplicate_of": owner}
            return
        known = self.state.documents.get(doc.doc_id)
        if owner == doc.doc_id and target.exists():
            self.result.add("unchanged")
            return
        doc.save(target)
        self.result.add("documents")
        if doc.parse_status == "ok":
            self.result.add("new")
            if known:
                self.result.add("changed")
        self.state.documents[doc.doc_id] = {
            "url": doc.url,
            "sha256": doc.sha256,
            "text_sha256": digest,
        }
        if doc.parse_status == "ok":
            self.state.text_index[digest] = doc.doc_id


def _short(exc: Exception) -> str:
    text = str(exc)
    return text if len(text) <= 300 else text[:300] + "…"


def _crawl_one(crawl: SourceCrawl, progress: Progress) -> None:
    source, state, result = crawl.source, crawl.state, crawl.result
    if not source.enabled:
        progress(f"{source.name}: disabled in the registry; skipped")
        return
    reason = state.blocked_reason(source.name, source.options.blocked_retry_hours)
    if reason:
        result.add("blocked")
        result.errors.append(f"{source.name}: still blocked ({reason}); skipped")
        progress(f"{source.name}: skipped, blocked earlier: {reason}")
        return
    try:
        crawl.run(progress)
        state.unblock(source.name)
    except SourceBlocked as exc:
        state.block(source.name, str(exc))
        result.add("blocked")
        result.errors.append(f"{source.name}: blocked: {exc}")
        progress(f"{source.name}: blocked: {exc}")
    except Exception as exc:  # one broken source must not stop the others
        result.errors.append(f"{source.name}: crawl aborted: {type(exc).__name__}: {exc}")
        progress(f"{source.name}: crawl aborted: {exc}")


def crawl_sources(
    sources: list[Source], settings: Settings, progress: Progress | None = None
) -> StageResult:
    """Crawl `sources` into settings.archive_dir and settings.parsed_dir (the scrape stage)."""
    progress = progress or (lambda _message: None)
    settings.ensure_dirs()
    result = StageResult("scrape", counts=dict.fromkeys(COUNT_KEYS, 0))
    state_path = settings.data_dir / "crawl_state.json"
    with timed(result), ParseWorkers() as workers:
        archive = Archive(settings.archive_dir)
        state = CrawlState.load(state_path)
        last_request: dict[str, float] = {}  # per host, shared: sources may share a host
        for source in sources:
            crawl = SourceCrawl(
                source, settings, archive, state, result, last_request, workers.parse
            )
            try:
                _crawl_one(crawl, progress)
            finally:
                result.add("requests", crawl.fetcher.requests)
                result.add("bytes", crawl.fetcher.bytes)
                crawl.fetcher.close()
                state.save(state_path)
        enabled = [s for s in sources if s.enabled]
        result.failed = bool(enabled) and result.counts["fetched"] == 0 and bool(result.errors)
    return result
