"""The parse stage: archived documents → `ParsedDocument` files, keyed by the archived bytes
and the parser version.

The crawler and the local ingester only archive; this stage reads `documents.jsonl` and
the blobs and parses what changed: new bytes, or the same bytes under a new PARSER_VERSION.
So a parser fix reaches every archived document on the next run without one HTTP request.
The state remembers how far into the append-only `documents.jsonl` it has read, so a run
reads only the lines archived since (the whole log again only for a new parser version).
A document is new when its text is: the same text reached by another URL is a duplicate,
not a document. One unreadable document is recorded as failed and never stops the stage.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, replace
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from edufig.core.config import Settings, StageResult, timed
from edufig.core.records import ParsedDocument
from scrapers.archive import Archive, ArchivedDocument
from scrapers.metadata import doc_number_in_text
from scrapers.parse import Parsed, UnparseableError, document_from
from scrapers.parse_state import STATE_FILE, DocumentEntry, ParseState
from scrapers.worker import Job, ParseWorkers

# Bump whenever a change to scrapers.parse/html/office/decode/metadata changes what parsing
# yields: the next parse stage re-parses every archived document from its blobs.
# 3: PDF layout read: paragraphs by margin, indent and spacing; page furniture and ruled
# tables found; fake bold read once, watermarks dropped, sideways pages turned back;
# unmapped glyphs as U+FFFD
PARSER_VERSION = "3"
COUNT_KEYS = ("documents", "new", "changed", "reparsed", "unchanged", "duplicates", "failed")

PARSE_BATCH = 16  # documents read ahead and parsed on all workers at once
Progress = Callable[[str], None]
Outcome = Parsed | UnparseableError


def text_sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def state_path(settings: Settings) -> Path:
    return settings.data_dir / STATE_FILE


def _jobs(archive: Archive, record: ArchivedDocument) -> list[Job]:
    """The page and each attachment as a parser job, in that order."""
    parts = (record.page, *record.attachments)
    return [(archive.blob(p.sha256), p.content_type, p.url, p.suffix) for p in parts]


def _attachments(
    record: ArchivedDocument, outcomes: list[Outcome], errors: list[str]
) -> list[Parsed]:
    parsed = []
    for part, office in zip(record.attachments, outcomes, strict=True):
        if isinstance(office, UnparseableError):
            errors.append(f"{part.url}: attachment not readable: {office}")
        elif office.kind in ("pdf", "docx"):
            parsed.append(office)
    return parsed


def _doc_type(rules: list[list[str]], title: str) -> str | None:
    """The registry's first doc-type rule whose pattern the title matches."""
    return next((doc_type for pattern, doc_type in rules if re.search(pattern, title)), None)


def where(record: ArchivedDocument) -> str:
    """How an error names a document: its file for a local one, its URL otherwise."""
    parts = urlsplit(record.url)
    return url2pathname(parts.path) if parts.scheme == "file" else record.url


def _with_provenance(doc: ParsedDocument, record: ArchivedDocument) -> ParsedDocument:
    doc.source, doc.fetched_at = record.source, record.fetched_at
    facts = record.provenance
    if not facts:  # a local file: its own header may name its URL
        doc.url = doc.url or record.url
        return doc
    doc.url, doc.http_status = record.url, 200
    doc.title = doc.title or record.list_title
    doc.publisher = doc.publisher or facts.get("publisher")
    doc.doc_number = doc.doc_number or doc_number_in_text(doc.text)
    doc.doc_type = _doc_type(facts.get("doc_types", []), doc.title or record.list_title or "")
    doc.region_name, doc.region_code = facts.get("region_name"), facts.get("region_code")
    doc.province = facts.get("province")
    return doc


def build_document(
    archive: Archive, record: ArchivedDocument, outcomes: list[Outcome], errors: list[str]
) -> ParsedDocument:
    """The document's page and readable attachments (`outcomes`, parsed in `_jobs` order) as
    one text; a page no parser can read becomes a failed document, so the registry shows
    what was skipped and why."""
    parsed, *attached = outcomes
    if isinstance(parsed, UnparseableError):
        errors.append(f"{where(record)}: {parsed}")
        doc = ParsedDocument(
            doc_id=record.doc_id,
            text="",
            sha256=record.page.sha256,
            parse_status="failed",
            parse_error=str(parsed),
        )
        return _with_provenance(doc, record)
    attachments = _attachments(record, attached, errors)
    tables = list(parsed.tables or [])
    for office in attachments:
        tables.extend(office.tables or [])
    parsed.text = "\n\n".join(t for t in [parsed.text, *(a.text for a in attachments)] if t)
    doc = document_from(parsed, record.doc_id, archive.blob(record.page.sha256))
    doc.tables, doc.attachments = tables, list(record.attachment_urls)
    return _with_provenance(doc, record)


class ArchiveParse:
    """One run of the parse stage; counts and errors go to `result`."""

    def __init__(
        self, settings: Settings, result: StageResult, workers: ParseWorkers, state: ParseState
    ) -> None:
        self.settings = settings
        self.result = result
        self.workers = workers
        self.archive = Archive(settings.archive_dir)
        self.state = state
        self.failed: dict[str, dict] = {}  # archived records to try again next run

    def current(self, record: ArchivedDocument) -> DocumentEntry | None:
        """The state entry when this document's bytes were parsed by this parser already."""
        entry = self.state.document(record.doc_id)
        if not entry or entry.content_key != record.content_key:
            return None
        if entry.parser_version != PARSER_VERSION:
            return None
        if entry.duplicate_of or (self.settings.parsed_dir / f"{record.doc_id}.json").exists():
            return entry
        return None

    def skip(self, entry: DocumentEntry) -> None:
        if entry.duplicate_of:
            self.result.add("duplicates")
            return
        self.result.add("unchanged")
        if entry.parse_error:
            self.report_unchanged_failure(entry.location, entry.parse_error)

    def report_unchanged_failure(self, location: str, error: str) -> None:
        self.result.add("failed")
        self.result.errors.append(f"{location}: {error} (unchanged since the last run)")

    def skip_unread(self, read: set[str]) -> None:
        """Count the documents this run's part of the log did not mention, as unchanged."""
        unread = self.state.unread(read)
        self.result.add("duplicates", unread.duplicates)
        self.result.add("unchanged", unread.unchanged)
        for location, error in unread.failed:
            self.report_unchanged_failure(location, error)

    def read_archive(self) -> None:
        """Parse what was archived since the last run and what failed to parse last time,
        then move the offset past what was read."""
        start = self.state.position_for(PARSER_VERSION)
        records, end = self.archive.documents_since(start)
        read = {record.doc_id for record in records}
        retry = self.state.retry()
        again = [ArchivedDocument.from_dict(r) for doc_id, r in retry.items() if doc_id not in read]
        self.parse_pending([*records, *again])
        self.skip_unread(read | retry.keys())
        moved = end != start or self.state.parser_version() != PARSER_VERSION
        if moved or self.failed != retry:  # a run that stops half way changes neither
            self.state.advance(end, PARSER_VERSION, self.failed)

    def parse_pending(self, records: Iterable[ArchivedDocument]) -> None:
        """Parse what changed, a batch at a time on every worker at once."""
        batch: list[ArchivedDocument] = []
        for record in records:
            entry = self.current(record)
            if entry is not None:
                self.skip(entry)
                continue
            batch.append(record)
            if len(batch) >= PARSE_BATCH:
                self.parse_batch(batch)
                batch = []
        self.parse_batch(batch)

    def parse_batch(self, batch: list[ArchivedDocument]) -> None:
        jobs: list[tuple[ArchivedDocument, list[Job]]] = []
        for record in batch:
            try:
                jobs.append((record, _jobs(self.archive, record)))
            except OSError as exc:
                self.fail(record, f"archived bytes not readable: {exc}")
        outcomes = iter(self.workers.parse_all(job for _, mine in jobs for job in mine))
        for record, mine in jobs:
            parsed = [next(outcomes) for _ in mine]
            try:
                self.land(record, parsed)
            except Exception as exc:  # one bad document never stops the stage
                self.fail(record, f"parse failed: {exc}")

    def fail(self, record: ArchivedDocument, message: str) -> None:
        """Not the document's fault: the next run tries it again."""
        self.result.add("failed")
        self.result.errors.append(f"{where(record)}: {message}")
        self.failed[record.doc_id] = asdict(record)

    def land(self, record: ArchivedDocument, outcomes: list[Outcome]) -> None:
        errors: list[str] = []
        doc = build_document(self.archive, record, outcomes, errors)
        self.result.errors.extend(errors)
        self.result.add("failed", len(errors))
        self.record(record, doc)

    def record(self, record: ArchivedDocument, doc: ParsedDocument) -> None:
        """Save unless the same text was crawled already as another document (local files
        are taken as given)."""
        previous = self.state.document(doc.doc_id)
        digest = text_sha(doc.text) if doc.parse_status == "ok" else None
        crawled = bool(record.provenance)
        owner = self.state.owner_of(digest) if digest and crawled else None
        entry = DocumentEntry(record.content_key, PARSER_VERSION, crawled, where(record))
        if owner is not None and owner != doc.doc_id:
            self.result.add("duplicates")
            self.state.put(doc.doc_id, replace(entry, duplicate_of=owner))
            return
        doc.parser_version, doc.content_key = PARSER_VERSION, record.content_key
        doc.save(self.settings.parsed_dir / f"{doc.doc_id}.json")
        self.result.add("documents")
        self._count(previous, digest)
        self.state.put(doc.doc_id, replace(entry, text_sha256=digest, parse_error=doc.parse_error))

    def _count(self, previous: DocumentEntry | None, digest: str | None) -> None:
        if digest is None:
            return
        if previous is not None and previous.text_sha256 == digest:
            self.result.add("reparsed")
            return
        self.result.add("new")
        if previous is not None:
            self.result.add("changed")


def parse_archive(settings: Settings, progress: Progress | None = None) -> StageResult:
    """Parse every archived document whose bytes or parser version changed (the parse stage)."""
    progress = progress or (lambda _message: None)
    result = StageResult("parse", counts=dict.fromkeys(COUNT_KEYS, 0))
    with timed(result), ParseWorkers() as workers:
        settings.ensure_dirs()
        with ParseState.open(settings.data_dir) as state:
            ArchiveParse(settings, result, workers, state).read_archive()
        progress(
            f"parsed {result.counts['documents']} document(s), "
            f"{result.counts['unchanged']} unchanged, {result.counts['failed']} failed"
        )
    return result
