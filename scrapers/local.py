"""The local-corpus stage (`edufig run --corpus DIR`): files archived like fetches.

Each file is archived under its file:// URL exactly as a response would be, and recorded as
an `ArchivedDocument`, so lineage and parsing work the same for crawled and dropped-in
reports: the parse stage reads both. A file whose bytes are unchanged is not archived again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from edufig.core.config import Settings, StageResult, timed
from scrapers.archive import Archive, ArchivedDocument, ArchivedPart, FetchLog, utc_now
from scrapers.limits import DEFAULT_LIMITS, LimitExceeded
from scrapers.parse import sha256_hex

SUFFIXES = {".txt", ".html", ".htm", ".pdf", ".docx"}
COUNT_KEYS = ("fetched", "archived", "files_unchanged", "failed")


def corpus_files(corpus_dir: Path) -> list[Path]:
    return sorted(p for p in corpus_dir.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)


def outside_corpus(path: Path, corpus_dir: Path) -> str | None:
    """Why `path` must not be read: a link (or a link to a folder on the way) that leads
    out of the corpus folder would let a dropped-in symlink read any file on the host."""
    target = path.resolve()
    if target.is_relative_to(corpus_dir.resolve()):
        return None
    return f"{path}: symlink to {target}, outside the corpus folder {corpus_dir}; refused"


def _read(path: Path) -> bytes:
    """The file's bytes, refused unread when it is over the size ceiling."""
    size = path.stat().st_size
    if size > DEFAULT_LIMITS.file_bytes:
        raise OSError(str(LimitExceeded("file_bytes", size, DEFAULT_LIMITS.file_bytes, "bytes")))
    return path.read_bytes()


def _archive_file(
    path: Path, archive: Archive, archived: dict[str, str], result: StageResult
) -> None:
    url = path.resolve().as_uri()
    try:
        data = _read(path)
    except OSError as exc:
        result.add("failed")
        result.errors.append(f"{path}: cannot read file: {exc.strerror or exc}")
        return
    result.add("fetched")
    sha = sha256_hex(data)
    unchanged = archived.get(path.stem) == sha
    outcome = "unchanged" if unchanged else "new"
    archive.log(FetchLog(url, "local", utc_now(), 200, outcome, sha, 0 if unchanged else len(data)))
    if unchanged:
        result.add("files_unchanged")
        return
    headers = {"Content-Length": str(len(data)), "X-Source-File": str(path)}
    fetched_at = utc_now()
    archive.store(url, 200, headers, data, fetched_at)
    page = ArchivedPart(url, sha, None, path.suffix)
    archive.add_document(ArchivedDocument(path.stem, url, "local", fetched_at, page))
    result.add("archived")


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


def ingest_corpus(
    settings: Settings, corpus_dir: Path, progress: Callable[[str], None] | None = None
) -> StageResult:
    """Every .txt/.html/.htm/.pdf/.docx under `corpus_dir` → the archive."""
    settings.ensure_dirs()
    result = StageResult("ingest", counts=dict.fromkeys(COUNT_KEYS, 0))
    with timed(result):
        corpus_dir = Path(corpus_dir)
        if not corpus_dir.is_dir():
            result.failed = True
            result.errors.append(f"{corpus_dir}: not a directory")
            return result
        if progress:
            progress(f"ingesting {corpus_dir}")
        archive = Archive(settings.archive_dir)
        archived = {d.doc_id: d.page.sha256 for d in archive.documents()}
        for path in _admitted(corpus_dir, result):
            _archive_file(path, archive, archived, result)
    return result
