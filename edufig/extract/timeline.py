"""Which year, period and kind a position in the text belongs to.

Resolution goes from near to far: a time reference earlier in the same sentence, then in
the same paragraph, then the period a section heading names (`一、“十三五”…情况` → 2020,
`二、“十四五”…目标任务` → 2025 targets), then the last plain year stated anywhere before,
then the document's own year. Relative periods (`近三年`, `以来`) count back from the
document's date; lasting ones (`5年间`) from the year in context.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, replace

from edufig.extract.periods import PLAN, YearMark, plan_mark

HEADING = re.compile(r"^[一二三四五六七八九十]+、")
PLAN_BASE_HEADING = re.compile(r"基础|现状|回顾|成就|成效|基本情况|发展环境|形势")
PLAN_GOAL_HEADING = re.compile(r"目标|任务|举措|重点|措施")
PLAN_OPENING = re.compile(r"^[“\"]?十[一二三四五]五[”\"]?(?:期间|时期)")
SPENT_COMPARISON = re.compile(r"[;;]|增加|增长|减少|下降|提高|提升|降低|高出|低于")
CUMULATIVE = ("累计", "共计", "持续投入", "先后")
SHORT_PARAGRAPH = 150
MARKS_LOOKBACK = 64
CHAIN_CHARS = 3000
SENTENCE_CHARS = 1500
PARAGRAPH_CHARS = 6000
ANNUAL = "每年"


@dataclass(frozen=True, slots=True)
class When:
    """A figure's year, period start and target-ness; `school_year` when a `2021-2022学年`
    decided it (stocks are counted at its start, flows span it)."""

    year: int | None
    period_start: int | None
    target: bool
    school_year: bool = False


@dataclass(frozen=True, slots=True)
class Section:
    start: int
    mark: YearMark | None


def find_sections(text: str, doc_year: int | None, plan_base: int | None = None) -> list[Section]:
    """Top-level headings; those naming a five-year plan give their section a period. In a
    plan (`plan_base` = the year before its period), a heading about the starting position
    (`发展基础`) describes that year and one about goals (`主要目标`) the period's last."""
    sections: list[Section] = []
    offset = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if (len(line) <= 60 and HEADING.match(stripped)) or PLAN_OPENING.match(stripped):
            sections.append(Section(offset, _section_mark(line, offset, doc_year, plan_base)))
        offset += len(line) + 1
    return sections


def _section_mark(
    line: str, offset: int, doc_year: int | None, plan_base: int | None
) -> YearMark | None:
    plan = PLAN.search(line)
    if plan:
        return plan_mark(plan, doc_year)
    if plan_base is None:
        return None
    if PLAN_BASE_HEADING.search(line):
        return YearMark(offset, offset + len(line), plan_base, carries=False)
    if PLAN_GOAL_HEADING.search(line):
        return YearMark(offset, offset + len(line), plan_base + 5, target=True, carries=False)
    return None


class Timeline:
    """Year marks of one document, queried by position."""

    def __init__(
        self,
        text: str,
        marks: list[YearMark],
        sections: list[Section],
        doc_year: int | None,
        reference_year: int | None = None,
    ):
        self.text = text
        self.marks = marks
        self.starts = [m.start for m in marks]
        self.sections = sections
        self.section_starts = [s.start for s in sections]
        self.doc_year = doc_year
        self.reference_year = reference_year if reference_year is not None else doc_year
        self.last_cue = ""

    def _last(self, lo: int, hi: int, carrying: bool, relative: bool = False) -> YearMark | None:
        index = bisect_left(self.starts, hi) - 1
        stop = max(-1, index - MARKS_LOOKBACK)
        while index > stop and self.marks[index].start >= lo:
            mark = self.marks[index]
            if not carrying or (mark.carries and mark.year is not None):
                return mark
            if relative and mark.relative and mark.year is None:
                return mark
            index -= 1
        return None

    def _section(self, position: int) -> YearMark | None:
        index = bisect_left(self.section_starts, position) - 1
        return self.sections[index].mark if index >= 0 else None

    def context_year(self, position: int, paragraph_start: int) -> int | None:
        mark = self._last(paragraph_start, position, True) or self._section(position)
        mark = mark or self._last(0, position, True)
        return mark.year if mark and mark.year else self.reference_year

    def _from_mark(self, mark: YearMark, position: int, paragraph_start: int) -> When:
        if mark.year is not None:
            return When(mark.year, mark.period_start, mark.target, mark.school_year)
        if mark.lasting:
            anchor = self.context_year(mark.start, paragraph_start)
            start = anchor - mark.lasting + 1 if anchor else None
            return When(anchor, start, False)
        anchor = self.doc_year or self.context_year(mark.start, paragraph_start)
        start = mark.period_start or (anchor - mark.relative + 1 if anchor else None)
        return When(anchor, start, False)

    def _far(self, position: int, paragraph_start: int, sentence: str) -> When:
        chained = self._chained(paragraph_start)
        self.last_cue = "year of the statistical lines before"
        if chained is not None:
            period = chained.period_start if chained.school_year else None
            return When(chained.year, period, chained.target, chained.school_year)
        section = self._section(position)
        self.last_cue = "section heading"
        if section is not None and section.year is not None:
            return When(section.year, None, section.target)
        self.last_cue = "the document's reference year"
        if self.reference_year is not None:
            return When(self.reference_year, None, False)
        self.last_cue = "last year named before"
        mark = self._last(0, position, True)
        if mark is not None:
            return When(mark.year, None, mark.target)
        return When(None, None, False)

    def _chained(self, paragraph_start: int) -> YearMark | None:
        """The last plain year before this paragraph, if only short lines (statistical
        enumerations, `(1)全市幼儿园为…`) stand between it and here."""
        mark = self._last(max(0, paragraph_start - CHAIN_CHARS), paragraph_start, True)
        if mark is None:
            return None
        line_start = self.text.rfind("\n", 0, mark.start) + 1
        between = self.text[line_start:paragraph_start].split("\n")
        return mark if all(len(line) <= SHORT_PARAGRAPH for line in between) else None

    def _cumulative(self, found: When, position: int, sentence: str) -> When:
        """A running total (`累计`, `共计`) in a section about a plan period spans it."""
        section = self._section(position)
        if found.period_start is not None or section is None or section.year != found.year:
            return found
        if any(word in sentence for word in CUMULATIVE):
            return replace(found, period_start=section.period_start)
        return found

    def _in_sentence(self, sentence_start: int, position: int) -> YearMark | None:
        """The nearest time reference before `position` in its sentence; a comparison base
        (`比2013年增加35%`) stops applying once its change has been stated."""
        hi = position
        while True:
            mark = self._last(sentence_start, hi, False)
            if mark is None or not mark.compared:
                return mark
            if not SPENT_COMPARISON.search(self.text[mark.end : position]):
                return mark
            hi = mark.start

    def when(self, position: int, sentence_start: int, paragraph_start: int) -> When:
        sentence_start = max(sentence_start, position - SENTENCE_CHARS)
        paragraph_start = min(max(paragraph_start, position - PARAGRAPH_CHARS), sentence_start)
        sentence = self.text[sentence_start:position]
        mark = self._in_sentence(sentence_start, position)
        self.last_cue = "stated in the sentence"
        if mark is None:
            mark = self._last(paragraph_start, sentence_start, True, relative=True)
            self.last_cue = "stated earlier in the paragraph"
        if mark is None:
            found = self._far(position, paragraph_start, sentence)
        elif mark.year is not None and mark.start < sentence_start:
            period = mark.period_start if mark.school_year else None
            found = When(mark.year, period, mark.target, mark.school_year)
        else:
            found = self._from_mark(mark, position, paragraph_start)
        found = self._cumulative(found, position, sentence)
        if ANNUAL in sentence and found.period_start is not None and found.year is not None:
            found = replace(found, period_start=None)
        ahead = bool(self.doc_year and found.year and found.year > self.doc_year)
        return replace(found, target=True) if ahead and not found.target else found
