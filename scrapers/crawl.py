"""The scrape stage: crawl every source and archive every response; parsing is a stage of
its own (`scrapers.parse_stage`).

A run walks each source's list pages newest first and keeps the links whose title names
an education report. Links it has not archived before are fetched with their PDF/DOCX
attachments and recorded as one `ArchivedDocument` each (which archived bodies make it up
and what the registry says about where it came from). Known links are not asked again:
paging a list stops at the first page holding only known reports, and a bounded rotation
of the longest-unchecked known reports is revalidated each run (conditionally, so an
unchanged one costs a 304). A no-change run thus costs robots.txt and the first list
page(s), whatever the number of known documents. One failing URL or source never stops
the run; a blocked source stops only itself.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from edufig.core.config import Settings, StageResult, timed
from scrapers.archive import Archive, ArchivedDocument, ArchivedPart
from scrapers.decode import decode_bytes
from scrapers.fetch import Fetched, Fetcher, FetchFailed, Skipped, SourceBlocked
from scrapers.html import parse_html
from scrapers.listing import Link, list_pages
from scrapers.parse import UnparseableError, sniff
from scrapers.registry import Source, load_sources
from scrapers.sitemap import sitemap_lastmods
from scrapers.state import CrawlState, KnownArticle

Progress = Callable[[str], None]
COUNT_KEYS = (
    "list_pages",  # list pages read (200 or 304)
    "known",  # known report links seen on them, not requested again
    "fetched",  # detail pages fetched (200 or 304)
    "archived",
    "pages_unchanged",
    "revalidated",  # known reports asked again by the rotation or the sitemap
    "sitemap_changed",  # known reports a sitemap dates after their last check
    "failed",
    "blocked",
)


def doc_id_for(source: Source, url: str) -> str:
    return f"{source.name}-{hashlib.sha1(source.identity(url).encode()).hexdigest()[:12]}"


def page_links(page: Fetched) -> list[tuple[str, str]]:
    """Links of an HTML detail page, for its attachments; other bodies link nowhere."""
    try:
        if sniff(page.body, page.content_type) != "html":
            return []
    except UnparseableError:
        return []
    return parse_html(decode_bytes(page.body, page.content_type)[0], page.url).links


def _provenance(source: Source) -> dict:
    """What the registry knows about a source's documents, kept for the parse stage."""
    region = source.region
    return {
        "publisher": source.publisher,
        "region_name": region.name,
        "region_code": region.code,
        "province": region.province,
        "doc_types": [[rule.pattern, rule.doc_type] for rule in source.doc_types],
    }


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
    ) -> None:
        self.source = source
        self.settings = settings
        self.archive = archive
        self.state = state
        self.listed_known = 0  # known report links seen on this run's list pages
        self.result = result
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
        self.result.add("list_pages")
        return decode_bytes(fetched.body, fetched.content_type)[0]

    def reports(self, links: list[Link]) -> dict[str, Link]:
        """A list page's report links by canonical URL: title wanted, on an allowed host,
        article-shaped."""
        pattern = re.compile(self.source.article_pattern)
        found: dict[str, Link] = {}
        for url, title in links:
            key = self.source.identity(url)
            if not title or not self.source.wants(title) or key in found:
                continue
            if not self.source.is_allowed(url):
                self.fetcher.skip(url, f"off-site host {urlsplit(url).netloc}")
                self.result.add("skipped")
            elif pattern.search(urlsplit(url).path):
                found[key] = (url, title)
        return found

    def candidates(self) -> dict[str, Link]:
        """New report links by canonical URL. Lists run newest first, so paging a list stops
        at the first page whose report links are all known: what follows was seen before.
        Every `relist_days` the lists are walked to their end instead."""
        whole = self.state.listing_due(self.source.name, self.source.relist_days)
        errors_before = len(self.result.errors)
        found: dict[str, Link] = {}
        for start_url in self.source.start_urls:
            for links in list_pages(self.source, start_url, self.fetch_text):
                on_page = self.reports(links)
                known = self.state.known_among(self.source.name, on_page)
                new = {key: link for key, link in on_page.items() if key not in known}
                self.listed_known += len(on_page) - len(new)
                for key, link in new.items():
                    found.setdefault(key, link)
                if on_page and not new and not whole:
                    break
        if whole and len(self.result.errors) == errors_before:
            self.state.listed(self.source.name)
        self.result.add("known", self.listed_known)
        return found

    def changed_on_sitemap(self) -> list[KnownArticle]:
        """Known reports the source's sitemap dates after their last check (none without a
        sitemap, or when it cannot be read: the rotation still comes round to them)."""
        if not self.source.sitemap:
            return []
        fetched = self.fetch(self.source.sitemap)
        if fetched is None:
            return []
        text = decode_bytes(fetched.body, fetched.content_type)[0]
        lastmods = {
            self.source.identity(url): seconds
            for url, seconds in sitemap_lastmods(text, self.source.sitemap).items()
        }
        changed = self.state.changed_since_checked(self.source.name, lastmods)
        self.result.add("sitemap_changed", len(changed))
        return changed

    def due(self, candidates: dict[str, Link]) -> list[KnownArticle]:
        """Known reports to ask again: those the sitemap says changed, then the rotation's."""
        source, due = self.source, {}
        rotation = self.state.due(source.name, source.revalidate_days, source.revalidate_per_run)
        for article in [*self.changed_on_sitemap(), *rotation]:
            if article.url not in candidates:
                due.setdefault(article.url, article)
        return list(due.values())

    def run(self, progress: Progress) -> None:
        errors_before = len(self.result.errors)
        candidates = self.candidates()
        source = self.source
        due = self.due(candidates)
        progress(
            f"{source.name}: {len(candidates)} new report link(s), {self.listed_known} known"
            f" on the lists, {len(due)} known report(s) due for revalidation"
        )
        listing_failed = len(self.result.errors) > errors_before
        if (
            not candidates
            and not self.listed_known
            and not self.source.expect_empty
            and not listing_failed
        ):
            starts = ", ".join(self.source.start_urls)
            self.result.errors.append(
                f"{self.source.name}: no report links found from {starts}"
                " (set expect_empty: true if this column has none)"
            )
        before = dict(self.result.counts)
        for url, title in candidates.values():
            self.archive_guarded(url, title)
        for article in due:
            self.revalidate(article)
        done = {k: self.result.counts.get(k, 0) - before.get(k, 0) for k in COUNT_KEYS}
        progress(
            f"{self.source.name}: {done['archived']} archived, "
            f"{done['pages_unchanged']} unchanged, {done['failed']} failed"
        )

    def revalidate(self, article: KnownArticle) -> None:
        """Ask a known report again; its check time moves on even when the ask fails, so
        one dead page does not hold the rotation (its archived version stays)."""
        self.result.add("revalidated")
        self.archive_guarded(self.source.fetchable(article.url), article.title or "")
        self.state.checked(article.url, self.source.name, article.doc_id, article.title)

    def archive_guarded(self, url: str, title: str) -> None:
        """`archive_document`, with any fault but a block confined to this one document."""
        try:
            self.archive_document(url, title)
        except SourceBlocked:
            raise
        except Exception as exc:
            self.fail(f"{self.source.identity(url)}: {type(exc).__name__}: {_short(exc)}")

    def archive_document(self, url: str, title: str) -> None:
        """Fetch a detail page and its attachments and record them as one document; an
        unchanged page (304 or same bytes) already recorded costs nothing more."""
        key = self.source.identity(url)
        doc_id = doc_id_for(self.source, url)
        page = self.fetch(url)
        if page is None:
            return
        self.result.add("fetched")
        if not page.changed and self.state.is_known(self.source.name, key):
            self.state.checked(key, self.source.name, doc_id, title or None)
            self.result.add("pages_unchanged")
            return
        urls = self.attachment_urls(page)
        document = ArchivedDocument(
            doc_id=doc_id,
            url=self.source.identity(page.url),
            source=self.source.name,
            fetched_at=page.fetched_at,
            page=ArchivedPart(page.url, page.sha256, page.content_type),
            attachments=[part for part in map(self.attachment, urls) if part is not None],
            attachment_urls=[self.source.identity(u) for u in urls],
            list_title=title,
            provenance=_provenance(self.source),
        )
        self.archive.add_document(document)
        self.state.checked(key, self.source.name, doc_id, title or None)  # after: kill-safe
        self.result.add("archived")

    def attachment_urls(self, page: Fetched) -> list[str]:
        pattern = re.compile(self.source.attachment_pattern, re.I)
        try:
            links = page_links(page)
        except Exception as exc:  # a hostile page costs its attachments, not the crawl
            self.fail(f"{self.source.identity(page.url)}: links not readable: {exc}")
            return []
        urls: list[str] = []
        for url, _label in links:
            if pattern.search(url) and self.source.is_allowed(url) and url not in urls:
                urls.append(url)
        return urls

    def attachment(self, url: str) -> ArchivedPart | None:
        fetched = self.fetch(url)
        if fetched is None:
            return None
        suffix = PurePosixPath(urlsplit(fetched.url).path).suffix
        return ArchivedPart(url, fetched.sha256, fetched.content_type, suffix)


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
    """Crawl `sources` into settings.archive_dir."""
    progress = progress or (lambda _message: None)
    settings.ensure_dirs()
    result = StageResult("scrape", counts=dict.fromkeys(COUNT_KEYS, 0))
    with timed(result), CrawlState.open(settings.data_dir) as state:
        archive = Archive(settings.archive_dir)
        if not state.articles_seeded():
            state.seed_articles(_archived_articles(archive))
        last_request: dict[str, float] = {}  # per host, shared: sources may share a host
        for source in sources:
            crawl = SourceCrawl(source, settings, archive, state, result, last_request)
            try:
                _crawl_one(crawl, progress)
            finally:
                result.add("requests", crawl.fetcher.requests)
                result.add("bytes", crawl.fetcher.bytes)
                crawl.fetcher.close()
        enabled = [s for s in sources if s.enabled]
        reached = result.counts["fetched"] or result.counts["list_pages"]
        result.failed = bool(enabled) and not reached and bool(result.errors)
    return result


def _archived_articles(archive: Archive) -> Iterator[tuple[str, str, str, str | None, float]]:
    """Known-article rows for the crawled documents of an archive older than the store's
    articles table (read once, on the first run with the table)."""
    for document in archive.documents():
        if document.provenance:  # crawled, not a local file
            at = datetime.strptime(document.fetched_at, "%Y-%m-%dT%H:%M:%SZ")
            stamp = at.replace(tzinfo=UTC).timestamp()
            yield document.url, document.source, document.doc_id, document.list_title, stamp


@contextmanager
def configured_sources(settings: Settings) -> Iterator[list[Source]]:
    """The configured sources; with none configured, the bundled mirror served on loopback."""
    if settings.sources_file is not None:
        yield load_sources(Path(settings.sources_file))
        return
    from scrapers.mirror import serve_mirror

    with serve_mirror() as mirror:
        yield mirror.sources()


def scrape(
    settings: Settings, source_names: list[str] | None = None, progress: Progress | None = None
) -> StageResult:
    """The scrape stage: the configured sources (or the named ones) into the archive."""
    with configured_sources(settings) as sources:
        if source_names is not None:
            unknown = set(source_names) - {s.name for s in sources}
            if unknown:
                raise ValueError(f"unknown source(s): {', '.join(sorted(unknown))}")
            sources = [s for s in sources if s.name in source_names]
        return crawl_sources(sources, settings, progress=progress)
