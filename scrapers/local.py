"""The local-corpus stage (`edufig run --corpus DIR`): files archived and parsed like fetches.

Each file is archived under its file:// URL exactly as a response would be, so lineage
works the same for crawled and dropped-in reports. A file that cannot be parsed still
lands, as a document with parse_status 'failed', so the registry shows what was skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from edufig.core.config import Settings, StageResult, timed
from edufig.core.records import ParsedDocument
from scrapers.archive import Archive, FetchLog, utc_now
from scrapers.limits import DEFAULT_LIMITS, LimitExceeded
from scrapers.parse import Parsed, UnparseableError, document_from, sha256_hex
from scrapers.worker import ParseWorkers

SUFFIXES = {".txt", ".html", ".htm", ".pdf", ".docx"}
COUNT_KEYS = ("fetched", "new", "unchanged", "failed", "documents")
PARSE_BATCH = 16  # files read ahead and parsed on all workers at once
Acquired = tuple[Path, bytes, str]  # path, bytes, file:// URL


def corpus_files(corpus_dir: Path) -> list[Path]:
    return sorted(p for p in corpus_dir.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)


def outside_corpus(path: Path, corpus_dir: Path) -> str | None:
    """Why `path` must not be read: a link (or a link to a folder on the way) that leads
    out of the corpus folder would let a dropped-in symlink read any file on the host."""
    target = path.resolve()
    if target.is_relative_to(corpus_dir.resolve()):
        return None
    return f"{path}: symlink to {target}, outside the corpus folder {corpus_dir}; refused"


def _previous(target: Path) -> ParsedDocument | None:
    try:
        return ParsedDocument.load(target)
    except (OSError, ValueError, TypeError):
        return None


def _local_document(
    path: Path, data: bytes, url: str, parsed: Parsed | UnparseableError
) -> ParsedDocument:
    if isinstance(parsed, UnparseableError):
        doc = ParsedDocument(
            doc_id=path.stem,
            text="",
            sha256=sha256_hex(data),
            parse_status="failed",
            parse_error=str(parsed),
        )
    else:
        doc = document_from(parsed, path.stem, data)
    doc.url = doc.url or url
    doc.source = "local"
    doc.fetched_at = utc_now()
    return doc


def _read(path: Path) -> bytes:
    """The file's bytes, refused unread when it is over the size ceiling."""
    size = path.stat().st_size
    if size > DEFAULT_LIMITS.file_bytes:
        raise OSError(str(LimitExceeded("file_bytes", size, DEFAULT_LIMITS.file_bytes, "bytes")))
    return path.read_bytes()


def _acquire(
    path: Path, archive: Archive, settings: Settings, result: StageResult
) -> tuple[bytes, str] | None:
    """Read and archive one file; its bytes and URL when it needs parsing."""
    url = path.resolve().as_uri()
    try:
        data = _read(path)
    except OSError as exc:
        result.add("failed")
        result.errors.append(f"{path}: cannot read file: {exc.strerror or exc}")
        return None
    result.add("fetched")
    sha = sha256_hex(data)
    previous = _previous(settings.parsed_dir / f"{path.stem}.json")
    unchanged = previous is not None and previous.sha256 == sha
    if not unchanged:
        headers = {"Content-Length": str(len(data)), "X-Source-File": str(path)}
        archive.store(url, 200, headers, data, utc_now())
    outcome = "unchanged" if unchanged else "new"
    archive.log(FetchLog(url, "local", utc_now(), 200, outcome, sha, 0 if unchanged else len(data)))
    if not unchanged:
        return data, url
    result.add("unchanged")
    if previous.parse_status != "ok":
        result.add("failed")
        result.errors.append(f"{path}: {previous.parse_error} (unchanged since the last run)")
    return None


def _land(
    batch: list[Acquired], workers: ParseWorkers, settings: Settings, result: StageResult
) -> None:
    """Parse a batch on all workers at once and save each document, failed ones too."""
    jobs = [(data, None, url, path.suffix) for path, data, url in batch]
    for (path, data, url), parsed in zip(batch, workers.parse_all(jobs), strict=True):
        doc = _local_document(path, data, url, parsed)
        if doc.parse_status == "ok":
            result.add("new")
        else:
            result.add("failed")
            result.errors.append(f"{path}: {doc.parse_error}")
        doc.save(settings.parsed_dir / f"{path.stem}.json")
        result.add("documents")


def ingest_corpus(corpus_dir: Path, settings: Settings) -> StageResult:
    """Every .txt/.html/.htm/.pdf/.docx under `corpus_dir` → archive/ and parsed/."""
    settings.ensure_dirs()
    result = StageResult("ingest", counts=dict.fromkeys(COUNT_KEYS, 0))
    with timed(result):
        corpus_dir = Path(corpus_dir)
        if not corpus_dir.is_dir():
            result.failed = True
            result.errors.append(f"{corpus_dir}: not a directory")
            return result
        archive = Archive(settings.archive_dir)
        with ParseWorkers() as workers:
            batch: list[Acquired] = []
            for path in _admitted(corpus_dir, result):
                acquired = _acquire(path, archive, settings, result)
                batch += [(path, *acquired)] if acquired else []
                if len(batch) >= PARSE_BATCH:
                    _land(batch, workers, settings, result)
                    batch = []
            _land(batch, workers, settings, result)
    return result


def _admitted(corpus_dir: Path, result: StageResult) -> Iterator[Path]:
    """Corpus files that may be read: inside the folder, one per doc_id."""
    seen: dict[str, Path] = {}
    for path in corpus_files(corpus_dir):
        refused = outside_corpus(path, corpus_dir)
        if refused is None and path.stem in seen:
            refused = f"{path}: doc_id {path.stem!r} already taken by {seen[path.stem]}"
        if refused:
            result.add("failed")
            result.errors.append(refused)
            continue
        seen[path.stem] = path
        yield path
