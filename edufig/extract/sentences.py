"""Sentence, paragraph and clause boundaries in report prose."""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import cache
from typing import NamedTuple

SENTENCE_END = re.compile(r"[。!?!?\n]")
THOUSANDS_COMMA = r"(?<=\d),\d{3}(?![\d])"
CLAUSE_MARKS = ",;:,;:"
GROUP_MARKS = ";;"
LIMIT = 400


class Sentence(NamedTuple):
    """A sentence at [start, end) of its paragraph. The extractor's per-position records
    (sentences, quantities, keyword, level and year hits, cells) are named tuples: built by
    the thousand per document, they cost a third of a frozen dataclass to create."""

    start: int
    end: int
    paragraph_start: int


def split_sentences(text: str) -> list[Sentence]:
    out: list[Sentence] = []
    start = 0
    paragraph = 0
    for match in SENTENCE_END.finditer(text):
        end = match.start()
        if end > start:
            out.append(Sentence(start, end, paragraph))
        start = end + 1
        if text[end] == "\n":
            paragraph = start
    if start < len(text):
        out.append(Sentence(start, len(text), paragraph))
    return out


class MarkIndex:
    """Positions of punctuation marks in a text, for clause and group boundaries.

    Boundaries are never further than `LIMIT` characters away, so text without punctuation
    (a scraped table dump, noise) still costs linear time.
    """

    def __init__(self, text: str, marks: str):
        self.positions = [m.start() for m in _marks_pattern(marks).finditer(text)]

    def last(self, lo: int, hi: int) -> int:
        """Index just after the last mark in [lo, hi), or lo when there is none."""
        index = bisect_left(self.positions, hi) - 1
        if index >= 0 and self.positions[index] >= lo:
            lo = self.positions[index] + 1
        return lo if lo > hi - LIMIT else hi - LIMIT

    def next(self, start: int, hi: int) -> int:
        """Index of the next mark at or after `start`, capped at `hi`."""
        index = bisect_left(self.positions, start)
        cap = hi if hi < start + LIMIT else start + LIMIT
        if index < len(self.positions) and self.positions[index] < cap:
            return self.positions[index]
        return cap


@cache
def _marks_pattern(marks: str) -> re.Pattern[str]:
    """The marks, except a comma that groups a number's thousands (`37,598人次`)."""
    pattern = f"[{re.escape(marks)}]"
    if "," in marks:
        pattern = f"(?!{THOUSANDS_COMMA}){pattern}"
    return re.compile(pattern)
