"""Raw bytes of any supported format → `ParsedDocument` text and metadata.

The crawler, the local corpus ingester and `edufig extract` all go through `parse_bytes`,
so a report parses the same whether it was fetched, dropped in a folder or named on the
command line. The declared content type is only a hint: the bytes are sniffed.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from edufig.core.divisions import resolve_region
from edufig.core.records import ParsedDocument
from edufig.core.sanitize import strip_controls
from scrapers.decode import decode_bytes, wide_encoding
from scrapers.html import parse_html
from scrapers.limits import DEFAULT_LIMITS, LimitExceeded, Limits, UnparseableError, check_text
from scrapers.metadata import normalise_date
from scrapers.office import OfficeText, docx_text, pdf_text

__all__ = ["LimitExceeded", "Parsed", "UnparseableError", "parse_bytes", "parse_file"]

MIME = {
    "html": "text/html",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "text": "text/plain",
}
_SUFFIX_KIND = {".html": "html", ".htm": "html", ".pdf": "pdf", ".docx": "docx", ".txt": "text"}
_CJK = re.compile("[\u4e00-\u9fff]")
_TXT_HEADER = re.compile(r"^#\s*(source|region|doc_type|published)\s*:\s*(.*)$")
_HTML_START = re.compile(rb"^\s*(<!doctype html|<html|<head|<body|<meta|<div|<p[\s>]|<table)", re.I)


@dataclass
class Parsed:
    """What parsing yields before provenance (url, source, region) is attached."""

    kind: str
    text: str
    encoding: str | None
    title: str | None = None
    meta: dict[str, str | None] | None = None
    tables: list[list[list[str]]] | None = None
    links: list[tuple[str, str]] | None = None


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _looks_binary(data: bytes) -> bool:
    head = data[:2048]
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return b"\x00" in head or controls > len(head) // 20


def sniff(data: bytes, content_type: str | None = None, suffix: str = "") -> str:
    """html / pdf / docx / text from magic bytes first, then the declared type."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        if suffix.lower() not in ("", ".docx"):
            raise UnparseableError(f"unsupported attachment format {suffix.lower()}")
        return "docx"
    wide = wide_encoding(data)
    if wide is None and _looks_binary(data):
        raise UnparseableError("binary content that is not PDF or DOCX")
    head = data[:2048].decode(wide, "ignore").lstrip("\ufeff").encode() if wide else data
    declared = (content_type or "").lower()
    if "html" in declared or _HTML_START.match(head[:512]):
        return "html"
    return _SUFFIX_KIND.get(suffix.lower(), "text")


def _office(kind: str, data: bytes, limits: Limits) -> OfficeText:
    try:
        return pdf_text(data, limits) if kind == "pdf" else docx_text(data, limits)
    except UnparseableError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise UnparseableError(f"corrupt {kind.upper()}: {exc}") from exc
    except Exception as exc:  # pdfminer raises its own hierarchy on truncated files
        raise UnparseableError(f"corrupt {kind.upper()}: {type(exc).__name__}: {exc}") from exc


def _cleaned(parsed: Parsed, limits: Limits) -> Parsed:
    """Control characters out of everything a reader or the extractor will see."""
    check_text(parsed.text, limits)
    parsed.text = strip_controls(parsed.text)
    if not parsed.text.strip():
        raise UnparseableError(f"no readable text in this {parsed.kind} (control characters only)")
    parsed.title = strip_controls(parsed.title) if parsed.title else parsed.title
    if parsed.meta:
        parsed.meta = {k: strip_controls(v) if v else v for k, v in parsed.meta.items()}
    if parsed.tables:
        parsed.tables = [[[strip_controls(c) for c in row] for row in t] for t in parsed.tables]
    return parsed


def _parse_kind(
    data: bytes, kind: str, content_type: str | None, url: str, limits: Limits
) -> Parsed:
    if kind in ("pdf", "docx"):
        office = _office(kind, data, limits)
        if not office.text.strip():
            raise UnparseableError(f"{kind.upper()} holds no extractable text (scanned?)")
        return Parsed(kind, office.text, None, office.title, tables=office.tables)
    text, encoding = decode_bytes(data, content_type)
    if kind == "text":
        return Parsed(kind, text.lstrip("\ufeff"), encoding)
    page = parse_html(text, url, limits)
    if not page.text.strip():
        raise UnparseableError("HTML page without text")
    return Parsed(kind, page.text, encoding, page.title, page.meta, page.tables, page.links)


def parse_bytes(
    data: bytes,
    content_type: str | None = None,
    url: str = "",
    suffix: str = "",
    limits: Limits = DEFAULT_LIMITS,
) -> Parsed:
    """Parse in this process; `scrapers.worker` runs it in a guarded worker process."""
    if len(data) > limits.file_bytes:
        raise LimitExceeded("file_bytes", len(data), limits.file_bytes, "bytes")
    if not data.strip():
        raise UnparseableError("empty content")
    kind = sniff(data, content_type, suffix)
    return _cleaned(_parse_kind(data, kind, content_type, url, limits), limits)


def split_txt_header(text: str) -> tuple[dict[str, str], str]:
    """The optional `# source/# region/# doc_type/# published` header and the text after it."""
    header: dict[str, str] = {}
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        match = _TXT_HEADER.match(lines[index].strip())
        if not match:
            break
        header[match.group(1)] = match.group(2).strip()
        index += 1
    if header and index < len(lines) and not lines[index].strip():
        index += 1
    return header, "\n".join(lines[index:]) if header else text


def _apply_txt_header(doc: ParsedDocument) -> None:
    header, doc.text = split_txt_header(doc.text)
    doc.url = header.get("source", doc.url)
    doc.doc_type = header.get("doc_type") or None
    doc.published_date = normalise_date(header.get("published"))
    if header.get("region"):
        division = resolve_region(header["region"].replace(" ", ""))
        doc.region_name = division.name if division else header["region"]
        doc.region_code = division.code if division else None
        doc.province = division.province_name if division else None


def document_from(parsed: Parsed, doc_id: str, data: bytes) -> ParsedDocument:
    meta = parsed.meta or {}
    doc = ParsedDocument(
        doc_id=doc_id,
        text=parsed.text,
        sha256=sha256_hex(data),
        content_type=MIME[parsed.kind],
        encoding=parsed.encoding,
        title=parsed.title,
        publisher=meta.get("publisher"),
        published_date=meta.get("published_date"),
        doc_number=meta.get("doc_number"),
        index_number=meta.get("index_number"),
        tables=parsed.tables or [],
    )
    if parsed.kind == "text":
        _apply_txt_header(doc)
        doc.title = first_heading(doc.text)
    return doc


def first_heading(text: str) -> str | None:
    """The first line with Chinese text, without scraped table pipes (`标题 | ||||`)."""
    for line in text.split("\n"):
        if _CJK.search(line):
            return line.split(" |", 1)[0].strip()[:200]
    return None


def parse_file(path: Path, parse: Callable[..., Parsed] = parse_bytes) -> ParsedDocument:
    """A local .txt/.html/.htm/.pdf/.docx file; ValueError naming the file if unreadable.
    `parse` may be a `scrapers.worker.ParseWorkers.parse` to guard against hostile files."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"{path}: cannot read file: {exc.strerror or exc}") from exc
    try:
        parsed = parse(data, url=path.resolve().as_uri(), suffix=path.suffix)
    except UnparseableError as exc:
        raise ValueError(f"{path}: {exc}") from exc
    doc = document_from(parsed, path.stem, data)
    if not doc.url:
        doc.url = path.resolve().as_uri()
    doc.source = doc.source or "local"
    return doc
