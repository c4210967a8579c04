"""What a document is and which year it describes, decided once per document.

A figure whose sentence names no year takes the document's reference year, so one wrong
guess here turns every such figure wrong. The rules are the spec's: an annual bulletin or
report describes its title year, a school-year bulletin the year the school year starts, a
plan's starting position the year before its period, a reply or news item the year it was
written. `now_year` is separate because targets lie after it and `今年`/`近三年` count from
it: a 十四五 plan written in 2021 describes 2020 in its 基本情况 but speaks from 2021.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from edufig.core.records import ParsedDocument
from edufig.extract.periods import (
    PLAN,
    PLAN_FIRST_YEAR,
    YEAR,
    date_year,
    document_year,
    subject_year,
)

HEADING_CHARS = 240
HEADING_LINES = 3
SCHOOL_YEAR = re.compile(rf"(?P<a>{YEAR}) ?[-—–~至] ?(?P<b>{YEAR}) ?学年|(?P<y>{YEAR}) ?学年")
DOC_TYPES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("plan", re.compile(r"规划|纲要|行动计划|实施方案")),
    ("bulletin", re.compile(r"公告|公报|统计")),
    ("budget", re.compile(r"(?:部门|单位)(?:预算|决算)|(?:预算|决算)(?:公开|说明|报告)")),
    ("reply", re.compile(r"答复|复函|提案|建议的|议案|回复")),
    ("report", re.compile(r"报告|总结|汇报|自评|工作情况|执行情况")),
    ("news", re.compile(r"新闻|通讯|记者|[日电]讯|通报")),
)


@dataclass(frozen=True, slots=True)
class DocumentContext:
    """The document's type, the year it speaks from, the year it describes, and why."""

    doc_type: str
    now_year: int | None
    reference_year: int | None
    basis: str


TITLE_LINE = re.compile(
    r"报告|公告|公报|总结|汇报|规划|纲要|计划|方案|答复|复函|提案|说明|情况|打算|通知|意见"
)
TITLE_SEARCH_LINES = 15
TITLE_LINE_CHARS = 60


def heading_lines(doc: ParsedDocument, text: str) -> list[str]:
    """Title, the first line that reads like one and the first lines: where a document says
    what it is (`2021年教育经费执行情况统计公告`), even below a download site's header."""
    top = text.strip().split("\n", TITLE_SEARCH_LINES)[:TITLE_SEARCH_LINES]
    lines = [line.strip() for line in top]
    titled = next((ln for ln in lines if len(ln) <= TITLE_LINE_CHARS and TITLE_LINE.search(ln)), "")
    first = [line for line in lines[:HEADING_LINES] if "|" not in line]
    return [line[:HEADING_CHARS] for line in (doc.title or "", titled, *first) if line]


def document_type(heading: str) -> str:
    return next((name for name, pattern in DOC_TYPES if pattern.search(heading)), "other")


def _plan_context(heading: str, now: int | None) -> DocumentContext | None:
    plan = PLAN.search(heading)
    if plan is None:
        return None
    first = PLAN_FIRST_YEAR[plan["n"]]
    return DocumentContext("plan", now or first, first - 1, "plan_period")


def _school_year_context(heading: str, doc_type: str) -> DocumentContext | None:
    found = SCHOOL_YEAR.search(heading)
    if found is None:
        return None
    start = int(found["a"] or found["y"])
    return DocumentContext(doc_type, start + 1, start, "school_year")


def document_context(doc: ParsedDocument, text: str) -> DocumentContext:
    """The reference year by the spec's rules, in order: a plan's period, a school year in
    the heading, a report's title year, else the year the document was written."""
    lines = heading_lines(doc, text)
    heading = " ".join([*lines, doc.doc_type or ""])
    doc_type = document_type(heading)
    published = date_year(doc.published_date)
    titled = next((y for y in (subject_year(ln, published) for ln in lines) if y), None)
    now = titled or document_year(text, doc.published_date, doc.title or "")
    if doc_type == "plan":
        planned = _plan_context(heading, now)
        if planned is not None:
            return planned
    school = _school_year_context(heading, doc_type)
    if school is not None:
        return school
    if titled is not None:
        return DocumentContext(doc_type, titled, titled, "title")
    basis = "published" if published is not None else ("text" if now is not None else "none")
    return DocumentContext(doc_type, now, now, basis)
