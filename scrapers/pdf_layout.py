"""A PDF's laid-out lines → the text's paragraphs, read off the layout.

PDF lines are laid out, not written: a paragraph wraps across lines and pages. A line that
reaches the right margin runs on into the next, so numbers such as `473813.97万元` are never
split by a layout break, unless the next line shows a new paragraph: a first-line indent
(official documents indent two characters) or a wider gap above it. Page furniture is not
text: a page number, running header or footer left in would sit between the halves of a
sentence that runs on to the next page. Furniture is a page's first or last line set apart
from the rest: a page number, or a line repeated so on other pages, digits aside (a header
on the first page stands before the text and stays). A ruled table (pdfplumber finds it by
its lines; a single column of rules is a frame around text, not a table) comes as rows of
cells joined by " | ", the shape every format's tables take, in its place among the lines;
a row neither runs on nor is run into. A glyph drawn twice a hair apart (fake bold) counts
once; glyphs set at a slant (a watermark across the page) are no text.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from itertools import pairwise
from operator import attrgetter
from statistics import median, multimode
from typing import NamedTuple

import pdfplumber
from pdfplumber.utils.text import chars_to_textmap

from scrapers.html import render_table

SLACK = 1.5  # characters: how far short of the margin a wrapped line may end, or indent counts
# `3`, `- 3 -`, `— 3 —`, `第3页`, `第3页 共12页`, `3/12`, `Page 3`
PAGE_NUMBER = re.compile(
    r"(?:[-—–]+ ?)?\d{1,3}(?: ?[-—–]+)?|第 ?\d{1,3} ?页(?:[ ,，]*共 ?\d{1,3} ?页)?"
    r"|\d{1,3} ?/ ?\d{1,3}|(?i:page) ?\d{1,3}(?: ?(?i:of) ?\d{1,3})?"
)
DIGITS = re.compile(r"\d+")
LEADING_WORD = re.compile(r"[0-9A-Za-z.,%‰]+")
HALF_WIDTH = 0.5  # a digit's or Latin letter's width in a CJK font, in characters


class PdfLine(NamedTuple):
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    char_width: float = 0.0  # its widest glyph's: a CJK character's, in a CJK line
    row: bool = False  # a table's row


TableRows = list[list[str]]


def _cell(text: str | None) -> str:
    """A cell's lines are the cell's width wrapping its text, not breaks."""
    return "".join((text or "").split())


def _inside(line: dict, box: tuple[float, float, float, float]) -> bool:
    middle = (line["top"] + line["bottom"]) / 2
    return box[1] <= middle <= box[3] and line["x0"] < box[2] and line["x1"] > box[0]


def _drawn_twice(page: pdfplumber.page.Page) -> bool:
    """Whether some glyph is drawn twice in one place: pdfplumber's dedupe_chars costs
    twice the page's reading, so it runs only then."""
    seen: set[tuple[str, int, int]] = set()
    for char in page.chars:
        key = (char["text"], round(char["x0"]), round(char["top"]))
        if key in seen:
            return True
        seen.add(key)
    return False


def _square(obj: dict) -> bool:
    """Not a glyph set at a slant: text runs level, or a quarter turn off on a page set
    sideways (pdfplumber reads those), while a watermark runs across the page at 45°."""
    if obj.get("object_type") != "char":
        return True
    a, b = obj["matrix"][:2]
    return min(abs(a), abs(b)) <= 0.05 * max(abs(a), abs(b))


def _sideways(page: pdfplumber.page.Page) -> bool:
    """Most of the page's glyphs run a quarter turn off level: a page set sideways."""
    turned = sum(abs(c["matrix"][1]) > abs(c["matrix"][0]) for c in page.chars)
    return 2 * turned > len(page.chars)


def _turned_level(char: dict, width: float, height: float) -> dict:
    """A glyph of a page set sideways, placed as on the page turned back level."""
    if char["matrix"][1] < 0:  # runs down the page, its lines from right to left
        x0, x1, top, bottom = char["top"], char["bottom"], width - char["x1"], width - char["x0"]
    else:  # runs up the page, its lines from left to right
        x0, x1, top, bottom = height - char["bottom"], height - char["top"], char["x0"], char["x1"]
    return {**char, "x0": x0, "x1": x1, "top": top, "bottom": bottom, "upright": True}


def _text_lines(page: pdfplumber.page.Page, sideways: bool) -> list[dict]:
    """pdfplumber's text lines; a page set sideways is read turned back level (pdfplumber
    would read its lines as the words of one line, last first)."""
    if not sideways:
        return page.extract_text_lines()
    chars = [_turned_level(c, page.width, page.height) for c in page.chars]
    return chars_to_textmap(chars).extract_text_lines()


def _columned(table: pdfplumber.table.Table) -> bool:
    """A table has two columns somewhere: rules of one column are a frame around text."""
    return any(sum(cell is not None for cell in row.cells) > 1 for row in table.rows)


def _table_rows(table: pdfplumber.table.Table) -> tuple[TableRows, list[PdfLine]]:
    """A ruled table's rows with text: as cells, and as lines where they stand."""
    cells = [[_cell(c) for c in row] for row in table.extract()]
    kept = [(group.bbox, row) for group, row in zip(table.rows, cells, strict=True) if any(row)]
    return [row for _, row in kept], [
        PdfLine(render_table([row]), box[0], box[2], box[1], box[3], row=True) for box, row in kept
    ]


def page_content(page: pdfplumber.page.Page) -> tuple[list[PdfLine], list[TableRows]]:
    """The page's lines top to bottom, each ruled table's rows in its place, and the tables.
    A watermark's glyphs standing between the lines would cut sentences, and joined to a
    line change it (`万元` → `万人`)."""
    page = page.dedupe_chars() if _drawn_twice(page) else page
    page = page.filter(_square)
    sideways = _sideways(page)  # its rules would be found turned: read as text lines
    found = [] if sideways else [t for t in page.find_tables() if _columned(t)]
    tables: list[TableRows] = []
    lines: list[PdfLine] = []
    for table in found:
        rows, row_lines = _table_rows(table)
        tables += [rows] if rows else []
        lines += row_lines
    lines += [
        PdfLine(
            line["text"],
            line["x0"],
            line["x1"],
            line["top"],
            line["bottom"],
            max(c["x1"] - c["x0"] for c in line["chars"]),
        )
        for line in _text_lines(page, sideways)
        if not any(_inside(line, table.bbox) for table in found)
    ]
    return sorted(lines, key=attrgetter("top")), tables


def line_gap(pages: list[list[PdfLine]]) -> float:
    """The usual space between one line of a page and the next, measured away from the
    pages' edges, where furniture stands; where no page has lines enough, half a line's
    height (lines set at 1.5 times their size)."""
    gaps = [b.top - a.bottom for page in pages for a, b in pairwise(page[1:-1]) if b.top > a.bottom]
    if gaps:
        return median(gaps)
    return 0.5 * median(line.bottom - line.top for page in pages for line in page)


def set_apart(above: PdfLine, below: PdfLine, gap: float) -> bool:
    """Whether `below` stands further from `above` than the lines of a paragraph do. A page
    break puts `below` above `above` (a negative gap), which says nothing."""
    return below.top - above.bottom > gap + 0.5 * (above.bottom - above.top)


def _shape(line: PdfLine) -> str:
    return DIGITS.sub("#", line.text.strip())


def _is_page_number(line: PdfLine) -> bool:
    return PAGE_NUMBER.fullmatch(line.text.strip()) is not None


def _edges(pages: list[list[PdfLine]], gap: float) -> tuple[list[PdfLine | None], ...]:
    """Each page's first and last line where set apart from the rest, else None."""
    heads = [p[0] if len(p) > 1 and set_apart(p[0], p[1], gap) else None for p in pages]
    feet = [p[-1] if len(p) > 1 and set_apart(p[-2], p[-1], gap) else None for p in pages]
    return heads, feet


def _furniture(line: PdfLine | None, repeated: Counter[str]) -> bool:
    return line is not None and (_is_page_number(line) or repeated[_shape(line)] > 1)


def body_lines(pages: list[list[PdfLine]], gap: float) -> list[PdfLine]:
    """Every page's lines in order, less its furniture (a page keeps one line at least)."""
    heads, feet = _edges(pages, gap)
    repeated_heads = Counter(_shape(line) for line in heads if line)
    repeated_feet = Counter(_shape(line) for line in feet if line)
    lines: list[PdfLine] = []
    for number, (page, head, foot) in enumerate(zip(pages, heads, feet, strict=True)):
        end = len(page) - _furniture(foot, repeated_feet)
        first_page_header = number == 0 and head is not None and not _is_page_number(head)
        start = int(end > 1 and _furniture(head, repeated_heads) and not first_page_header)
        lines.extend(page[start:end])
    return lines


class Layout(NamedTuple):
    """What a document's lines share: a line that does not reach `right` ends its paragraph,
    one that starts right of `left` or is set apart from the line above begins one."""

    left: float
    right: float
    gap: float
    char_width: float

    @classmethod
    def of(cls, lines: list[PdfLine], gap: float) -> Layout:
        """`char_width` is the text lines' median widest glyph (10 points in a document of
        table rows only); `right` is where the longest lines end, the median of those within
        a few characters of the longest (a ragged margin, a hanging comma), if two lines
        reach it at least (one longest line is no margin: nothing then runs on); `left` is
        where lines after such a full line start most often (ties to the leftmost): mostly
        a paragraph's continuations, whatever indent its first line has."""
        text = [line for line in lines if not line.row]
        char_width = median(line.char_width for line in text) if text else 10.0
        text = text or lines
        longest = max(line.x1 for line in text)
        right = median(x1 for line in text if (x1 := line.x1) >= longest - 3 * char_width)
        reach = right - SLACK * char_width
        if sum(line.x1 >= reach for line in text) < 2:
            right = math.inf
        after_full = [round(b.x0) for a, b in pairwise(text) if a.x1 >= reach]
        left = min(multimode(after_full)) if after_full else min(line.x0 for line in text)
        return cls(left=left, right=right, gap=gap, char_width=char_width)

    def full(self, line: PdfLine, after: PdfLine) -> bool:
        """Whether `line` ends at the margin, or as near as `after`'s first word let it: a
        number or Latin word is not broken, so the line before it may end short."""
        word = LEADING_WORD.match(after.text)
        room = len(word.group()) * HALF_WIDTH * self.char_width if word else 0.0
        return line.x1 + room >= self.right - SLACK * self.char_width

    def runs_on(self, line: PdfLine, after: PdfLine) -> bool:
        """Whether `after` continues the paragraph `line` is in."""
        if line.row or after.row or not self.full(line, after):
            return False
        if after.x0 >= self.left + SLACK * self.char_width or after.text[:1].isspace():
            return False
        return not set_apart(line, after, self.gap)


def paragraphs(pages: list[list[PdfLine]]) -> str:
    """The text of the pages, a line per paragraph."""
    if not any(pages):
        return ""
    gap = line_gap(pages)
    lines = body_lines(pages, gap)
    layout = Layout.of(lines, gap)
    out = [lines[0].text]
    for line, after in pairwise(lines):
        if layout.runs_on(line, after):
            out[-1] += after.text
        else:
            out.append(after.text)
    return "\n".join(out)
