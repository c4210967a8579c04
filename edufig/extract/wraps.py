"""Hard-wrapped text: line breaks that are layout, not writing.

Reports copied out of PDFs (document-sharing sites, pages pasted from a PDF, `.txt`
conversions) break every line at the page's right margin, mid-sentence and mid-phrase
(`…全力推进教育发展,着力提高教育质量,努\\n力办好…`). The extractor reads a sentence at a
time, so such a break cuts a metric's words from its number. Like the PDF reflow of
`scrapers.office` (which has the page geometry), a line that reaches the margin is joined to
the next; here the margin is read off the text: the display width most lines end at.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

MIN_WIDTH = 40
TOLERANCE = 4
MIN_FULL_LINES = 5
MIN_FULL_SHARE = 0.25
PROSE_MARKS = frozenset(",。;、")
LIST_ITEM = re.compile(
    r"(?:[一二三四五六七八九十]+[、.]|[(（]?[一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[、.](?!\d)"
    r"|[-—•●·①-⑳])"
)


def page_width(line: str) -> int:
    """Columns the line fills on a printed page: two for CJK characters and the punctuation a
    CJK font sets full-width (`“` `—` `…`, three bytes in UTF-8), one for ASCII. Not
    `edufig.cli_tables.display_width`, a terminal's measure, which shows those marks narrow;
    counted in C, as this runs on every line of every text."""
    return (len(line.encode("utf-8", "surrogatepass")) + len(line)) // 2


class Line(NamedTuple):
    start: int
    stop: int  # after its last character that is not a space
    content: str  # without the spaces around it
    indent: int  # spaces and tabs before it


def _lines(text: str) -> Iterator[Line]:
    start = 0
    for line in text.split("\n"):
        indent = len(line) - len(line.lstrip(" \t"))
        yield Line(start, start + len(line.rstrip()), line.strip(), indent)
        start += len(line) + 1


def wrap_margin(widths: list[int]) -> int | None:
    """The width at which the text is wrapped, when it is: the narrowest window of
    TOLERANCE columns that holds most of the long lines. None for text written a
    paragraph per line, whose lines end wherever their paragraphs do."""
    long = sorted(w for w in widths if w >= MIN_WIDTH)
    if len(long) < MIN_FULL_LINES:
        return None
    best, margin = 0, None
    low = 0
    for high, width in enumerate(long):
        while width - long[low] > TOLERANCE:
            low += 1
        if high - low + 1 > best:
            best, margin = high - low + 1, width
    if best < max(MIN_FULL_LINES, MIN_FULL_SHARE * len(long)):
        return None
    return margin


def _joins(line: str, following: str, indented: bool) -> bool:
    """Whether a line at the margin runs on into the next: neither is a table row, the line
    is no heading and the next neither opens a paragraph (indented) nor a list item. A line
    that ends a sentence at the margin is joined too: its paragraph, and the year or level
    it named, go on."""
    if not line or not following or indented or "|" in line or "|" in following:
        return False
    marker = LIST_ITEM.match(line)
    if marker and not PROSE_MARKS.intersection(line[marker.end() :]):
        return False  # a heading as wide as the margin
    return not LIST_ITEM.match(following)


def soft_wraps(text: str, layout: str | None = None) -> list[tuple[int, int]]:
    """Spans to delete so hard-wrapped lines read as their sentences: each line break after
    a line that reaches the margin, with the spaces around it. Widths are measured on
    `layout`, the same text character for character as it was laid out (full-width digits
    before normalisation), when given."""
    lines = list(_lines(text))
    shown = lines if layout is None else list(_lines(layout))
    widths = [page_width(line.content) for line in shown]
    margin = wrap_margin(widths)
    if margin is None:
        return []
    spans = []
    for line, width, following in zip(lines, widths, lines[1:], strict=False):
        joins = _joins(line.content, following.content, following.indent >= 2)
        if width >= margin - TOLERANCE and joins:
            spans.append((line.stop, following.start + following.indent))
    return spans
