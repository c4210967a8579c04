"""PDF (pdfplumber) and DOCX (python-docx) attachments → text and tables.

PDF lines are laid out, not written: a paragraph wraps across lines and pages. Lines that
reach the right margin are joined to the next one so numbers such as `473813.97万元` are
never split by a layout break, unless the next line shows a new paragraph: a first-line
indent (official documents indent two characters) or a wider gap above it. A page number
above or below a page's text is furniture, not text: left in, it would sit between the
halves of a sentence that runs on to the next page.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from itertools import pairwise
from statistics import median, multimode
from typing import NamedTuple

import pdfplumber
from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph
from pdfminer.pdftypes import resolve1

from scrapers.html import render_table, tidy_lines
from scrapers.limits import DEFAULT_LIMITS, Limits, PdfClock, check_pdf_pages, check_zip


@dataclass
class OfficeText:
    text: str
    tables: list[list[list[str]]] = field(default_factory=list)
    title: str | None = None


class PdfLine(NamedTuple):
    text: str
    x0: float
    x1: float
    top: float
    bottom: float


SLACK = 1.5  # characters: how far short of the margin a wrapped line may end, or indent counts


def _full(line: PdfLine, right: float, char_width: float) -> bool:
    return line.x1 >= right - SLACK * char_width


class Layout(NamedTuple):
    """What a document's lines share: a line that does not reach `right` ends its paragraph,
    one that starts right of `left` or further below than `gap` begins one."""

    left: float
    right: float
    gap: float
    char_width: float

    @classmethod
    def of(cls, lines: list[PdfLine], char_width: float) -> Layout:
        """`left` is where lines after a full line start most often (ties to the leftmost):
        mostly a paragraph's continuations, whatever indent its first line has."""
        right = max(line.x1 for line in lines)
        pairs = list(pairwise(lines))
        after_full = [round(b.x0) for a, b in pairs if _full(a, right, char_width)]
        gaps = [b.top - a.bottom for a, b in pairs if b.top > a.bottom]
        return cls(
            left=min(multimode(after_full)) if after_full else min(line.x0 for line in lines),
            right=right,
            gap=median(gaps) if gaps else 0.0,
            char_width=char_width,
        )

    def runs_on(self, line: PdfLine, after: PdfLine) -> bool:
        """Whether `after` continues the paragraph `line` is in. A page break puts `after`
        above `line` (a negative gap), which says nothing."""
        if not _full(line, self.right, self.char_width):
            return False
        if after.x0 >= self.left + SLACK * self.char_width or after.text[:1].isspace():
            return False
        return after.top - line.bottom <= self.gap + 0.5 * (line.bottom - line.top)


# `3`, `- 3 -`, `— 3 —`, `第3页`, `第3页 共12页`, `3/12`, `Page 3`
PAGE_NUMBER = re.compile(
    r"(?:[-—–]+ ?)?\d{1,3}(?: ?[-—–]+)?|第 ?\d{1,3} ?页(?:[ ,，]*共 ?\d{1,3} ?页)?"
    r"|\d{1,3} ?/ ?\d{1,3}|(?i:page) ?\d{1,3}(?: ?(?i:of) ?\d{1,3})?"
)


def _is_page_number(line: PdfLine) -> bool:
    return PAGE_NUMBER.fullmatch(line.text.strip()) is not None


def _page_lines(page: pdfplumber.page.Page) -> list[PdfLine]:
    """The page's text lines without a page number first or last (a page of nothing else
    keeps it)."""
    lines = [
        PdfLine(line["text"], line["x0"], line["x1"], line["top"], line["bottom"])
        for line in page.extract_text_lines()
    ]
    if len(lines) > 1 and _is_page_number(lines[-1]):
        lines.pop()
    if len(lines) > 1 and _is_page_number(lines[0]):
        lines.pop(0)
    return lines


def _reflow(lines: list[PdfLine], layout: Layout) -> str:
    out = [lines[0].text]
    for line, after in pairwise(lines):
        if layout.runs_on(line, after):
            out[-1] += after.text
        else:
            out.append(after.text)
    return "\n".join(out)


def _page_count(pdf: pdfplumber.PDF) -> int:
    """The page tree's declared /Count, read without laying out any page."""
    count = resolve1(resolve1(pdf.doc.catalog.get("Pages")) or {}).get("Count")
    return int(count) if isinstance(count, int) else len(pdf.pages)


def _pdf_lines(pdf: pdfplumber.PDF, limits: Limits) -> list[PdfLine]:
    """Text lines of every page; each page's layout cache is dropped once read."""
    check_pdf_pages(_page_count(pdf), limits)
    clock = PdfClock(limits)
    lines: list[PdfLine] = []
    for number, page in enumerate(pdf.pages, start=1):
        clock.check(number)
        lines.extend(_page_lines(page))
        page.close()
    return lines


def pdf_text(data: bytes, limits: Limits = DEFAULT_LIMITS) -> OfficeText:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        lines = _pdf_lines(pdf, limits)
        chars = [c for page in pdf.pages[:1] for c in page.chars]
        title = (pdf.metadata or {}).get("Title")
    if not lines:
        return OfficeText(text="", title=title)
    char_width = max((c["x1"] - c["x0"] for c in chars), default=10.0)
    return OfficeText(text=tidy_lines(_reflow(lines, Layout.of(lines, char_width))), title=title)


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
