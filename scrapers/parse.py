"""Raw bytes of any supported format → `ParsedDocument` text and metadata.

The crawler, the local corpus ingester and `edufig extract` all go through `parse_bytes`,
so a report parses the same whether it was fetched, dropped in a folder or named on the
command line. The declared content type is only a hint: the bytes are sniffed.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from edufig.core.divisions import resolve_region
from edufig.core.records import ParsedDocument
from scrapers.decode import decode_bytes
from scrapers.html import parse_html
from scrapers.metadata import normalise_date
from scrapers.office import OfficeText, docx_text, pdf_text

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


class UnparseableError(ValueError):
    """Bytes that no parser can turn into text; the message says why."""


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
    if _looks_binary(data):
        raise UnparseableError("binary content that is not PDF or DOCX")
    declared = (content_type or "").lower()
    if "html" in declared or _HTML_START.match(data[:512]):
        return "html"
    return _SUFFIX_KIND.get(suffix.lower(), "text")


def _office(kind: str, data: bytes) -> OfficeText:
    try:
        return pdf_text(data) if kind == "pdf" else docx_text(data)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise UnparseableError(f"corrupt {kind.upper()}: {exc}") from exc
    except Exception as exc:  # pdfminer raises its own hierarchy on truncated files
        raise UnparseableError(f"corrupt {kind.upper()}: {type(exc).__name__}: {exc}") from exc


def parse_bytes(
    data: bytes, content_type: str | None = None, url: str = "", suffix: str = ""
) -> Parsed:
    if not data.strip():
        raise UnparseableError("empty content")
    kind = sniff(data, content_type, suffix)
    if kind in ("pdf", "docx"):
        office = _office(kind, data)
        if not office.text.strip():
            raise UnparseableError(f"{kind.upper()} holds no extractable text (scanned?)")
        return Parsed(kind, office.text, None, office.title, tables=office.tables)
    text, encoding = decode_bytes(data, content_type)
    if kind == "text":
        return Parsed(kind, text.replace("\r\n", "\n"), encoding)
    page = parse_html(text, url)
    if not page.text.strip():
        raise UnparseableError("HTML page without text")
    return Parsed(kind, page.text, encoding, page.title, page.meta, page.tables, page.links)


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


def parse_file(path: Path) -> ParsedDocument:
    """A local .txt/.html/.htm/.pdf/.docx file; ValueError naming the file if unreadable."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"{path}: cannot read file: {exc.strerror or exc}") from exc
    try:
        parsed = parse_bytes(data, url=path.resolve().as_uri(), suffix=path.suffix)
    except UnparseableError as exc:
        raise ValueError(f"{path}: {exc}") from exc
    doc = document_from(parsed, path.stem, data)
    if not doc.url:
        doc.url = path.resolve().as_uri()
    doc.source = doc.source or "local"
    return doc
