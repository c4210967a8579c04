"""PDF (pdfplumber) and DOCX (python-docx) attachments → text and tables.

A PDF's lines become paragraphs by their layout (`scrapers.pdf_layout`).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

import pdfplumber
from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph
from pdfminer.pdftypes import resolve1

from scrapers.html import render_table, tidy_lines
from scrapers.limits import (
    DEFAULT_LIMITS,
    Limits,
    PdfClock,
    UnparseableError,
    check_pdf_pages,
    check_zip,
)
from scrapers.pdf_layout import PdfLine, TableRows, page_content, paragraphs

# pdfminer's stand-in for a glyph whose font maps it to no character (no ToUnicode map)
UNMAPPED_GLYPH = re.compile(r"\(cid:\d+\)")
REPLACEMENT = "\ufffd"


@dataclass
class OfficeText:
    text: str
    tables: list[list[list[str]]] = field(default_factory=list)
    title: str | None = None


def _page_count(pdf: pdfplumber.PDF) -> int:
    """The page tree's declared /Count, read without laying out any page."""
    count = resolve1(resolve1(pdf.doc.catalog.get("Pages")) or {}).get("Count")
    return int(count) if isinstance(count, int) else len(pdf.pages)


def _pdf_pages(pdf: pdfplumber.PDF, limits: Limits) -> tuple[list[list[PdfLine]], list[TableRows]]:
    """Lines of every page, and its ruled tables; each page's layout cache is dropped once
    read."""
    check_pdf_pages(_page_count(pdf), limits)
    clock = PdfClock(limits)
    pages: list[list[PdfLine]] = []
    tables: list[TableRows] = []
    for number, page in enumerate(pdf.pages, start=1):
        clock.check(number)
        lines, found = page_content(page)
        pages.append(lines)
        tables += found
        page.close()
    return pages, tables


def _unmapped_marked(text: str) -> str:
    """Each unmapped glyph as U+FFFD: the evidence stays readable, and no number closes up
    across one. A PDF mostly of unmapped glyphs is a picture of text, as a scan is."""
    marked, unmapped = UNMAPPED_GLYPH.subn(REPLACEMENT, text)
    mapped = sum(not c.isspace() for c in marked) - unmapped
    if unmapped > mapped:
        raise UnparseableError(
            f"PDF fonts map {unmapped} of {unmapped + mapped} glyphs to no character "
            "(no ToUnicode map): the text needs OCR"
        )
    return marked


def pdf_text(data: bytes, limits: Limits = DEFAULT_LIMITS) -> OfficeText:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        pages, tables = _pdf_pages(pdf, limits)
        title = (pdf.metadata or {}).get("Title")
    text = _unmapped_marked(tidy_lines(paragraphs(pages)))
    tables = [
        [[UNMAPPED_GLYPH.sub(REPLACEMENT, cell) for cell in row] for row in table]
        for table in tables
    ]
    return OfficeText(text=text, tables=tables, title=title)


def _docx_table(table: Table) -> list[list[str]]:
    return [[cell.text.strip() for cell in row.cells] for row in table.rows]


def docx_text(data: bytes, limits: Limits = DEFAULT_LIMITS) -> OfficeText:
    check_zip(data, limits)
    document = Document(io.BytesIO(data))
    parts: list[str] = []
    tables: list[list[list[str]]] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            parts.append(block.text)
        elif isinstance(block, Table):
            rows = _docx_table(block)
            tables.append(rows)
            parts.append(render_table(rows))
    title = document.core_properties.title or None
    return OfficeText(text=tidy_lines("\n".join(parts)), tables=tables, title=title)
