"""Sentence, paragraph and clause boundaries in report prose."""

from __future__ import annotations

import re
from dataclasses import dataclass

SENTENCE_END = re.compile(r"[。!?!?\n]")
CLAUSE_MARKS = ",;:,;:"
GROUP_MARKS = ";;"


@dataclass(frozen=True, slots=True)
class Sentence:
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
        start = match.end()
        if match.group() == "\n":
            paragraph = start
    if start < len(text):
        out.append(Sentence(start, len(text), paragraph))
    return out


def last_mark(text: str, marks: str, lo: int, hi: int) -> int:
    """Index just after the last of `marks` in text[lo:hi], or lo when there is none."""
    best = lo
    for mark in marks:
        found = text.rfind(mark, lo, hi)
        if found >= best:
            best = found + 1
    return best


def clause_end(text: str, start: int, hi: int) -> int:
    """Index of the next clause mark at or after `start`, capped at `hi`."""
    best = hi
    for mark in CLAUSE_MARKS:
        found = text.find(mark, start, best)
        if found != -1:
            best = found
    return best
