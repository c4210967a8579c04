"""Years, periods and targets as reports state them.

A `YearMark` is one stated time reference: `2021年`, `至2020年底`, `到2025年` (a target when
it lies after the document's own date), `2018-2019学年`, `“十三五”期间`, `2017年以来`,
`近三年`. Marks inside titles and citations (《…》, 〔…〕, (…)) are ignored, as are
calendar dates (`2022年8月17日`), which date the document rather than its figures.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import NamedTuple

import cn2an

from edufig.extract.spans import Spans

YEAR = r"(?:19[5-9]\d|20[0-4]\d)"
RANGE = re.compile(rf"(?P<a>{YEAR}) ?[-—–~至到] ?(?P<b>{YEAR}) ?(?P<school>学年)?年?(?:度)?")
SINGLE = re.compile(
    rf"(?P<y>{YEAR}) ?年"
    r"(?P<date> ?\d{1,2} ?月 ?\d{1,2} ?日)?(?P<month> ?\d{1,2} ?月)?(?P<since>以来)?"
)
LEADS = ("力争到", "预计到", "截止到", "截至", "截止", "到", "至", "相比", "较", "比", "由", "从")
# The patterns scanned over whole texts open with literal characters or one character class
# (no optional part, no look-behind first), so `re` skips to the places they can match in C
# instead of trying the pattern at every position.
PLAN = re.compile(r"(?:“十|\"十|十)(?P<n>[一二三四五])五[”\"]?(?P<tail>期间|时期|以来|末)?")
# `(?P<n>[二…十]|\d{1,2})` not preceded by a digit or 年: the digits of a year (`2021年`) or
# `年三年` never start a match.
RELATIVE = re.compile(
    r"(?P<n>[二两三四五六七八九十\d](?<![\d年].)(?:(?<=\d)\d)?) ?年(?P<tail>以来|来|间|中)?"
)
SPOKEN_YEARS = {"今年": 0, "本年": 0, "去年": 1, "过去一年": 1, "上年": 1, "上一年": 1}
SPOKEN = re.compile(r"(?:今年|本年|去年|过去一年|上一?年)(?!度?以来|同期)")
# `比去年`, `较上年`: a comparison's base, read with the comparison, not as a spoken year.
NOT_SPOKEN_AFTER = frozenset("比较同与")
SINCE = re.compile(rf"自 ?(?P<y>{YEAR}) ?年[^,;。!?\n]{{0,30}}?以来")
ALIAS_YEAR = re.compile(rf"简称(?:为)?(?P<y>{YEAR})年")
BRACKETS = re.compile(r"《[^》\n]{0,80}》|〔[^〕\n]{0,20}〕|\[[^\]\n]{0,20}\]|\([^()\n]{0,40}\)")
DOC_DATE = re.compile(rf"(?P<y>{YEAR}) ?(?:年|-) ?\d{{1,2}} ?(?:月|-) ?\d{{1,2}}")
COMPARISONS = ("较", "比", "相比", "由", "从")
PLAN_FIRST_YEAR = {"一": 2006, "二": 2011, "三": 2016, "四": 2021, "五": 2026}


class YearMark(NamedTuple):
    """A time reference at [start, end): the year it names, a period start, target-ness.

    `relative` marks (`近三年`, `以来`) count back from the document's date; `lasting`
    ones (`5年间`) from the year in context. `carries` is False for marks that describe
    one sentence only (periods), True for plain years later sentences inherit.
    """

    start: int
    end: int
    year: int | None
    period_start: int | None = None
    target: bool = False
    relative: int = 0
    lasting: int = 0
    carries: bool = True
    compared: bool = False
    school_year: bool = False


LEAD_SIZES = sorted({len(word) for word in LEADS}, reverse=True)


def _lead(text: str, start: int) -> str:
    """The word right before a year (`到2025年`, `较2015年`), if it is one that matters; the
    longest one (`截止到` rather than `到`)."""
    for size in LEAD_SIZES:
        word = text[max(0, start - size) : start]
        if word in LEADS:
            return word
    return ""


def _single(match: re.Match[str], lead: str, doc_year: int | None) -> YearMark:
    """A plain year (`2021年`, `到2025年`, `2017年以来`); calendar dates are left out before."""
    year = int(match["y"])
    start = match.start() - len(lead)
    if match["since"]:
        return YearMark(start, match.end(), None, year, relative=1, carries=False)
    ahead = doc_year is not None and year > doc_year
    target = ahead or (lead in ("力争到", "预计到") and doc_year is None)
    compared = lead in COMPARISONS
    carries = not compared and not match["month"]
    return YearMark(start, match.end(), year, target=target, carries=carries, compared=compared)


def _range(match: re.Match[str], doc_year: int | None) -> YearMark:
    first, last = int(match["a"]), int(match["b"])
    target = doc_year is not None and last > doc_year and not match["school"]
    school_year = bool(match["school"])
    return YearMark(
        match.start(),
        match.end(),
        last,
        first,
        target=target,
        carries=school_year,
        school_year=school_year,
    )


def plan_mark(match: re.Match[str], doc_year: int | None) -> YearMark:
    first = PLAN_FIRST_YEAR[match["n"]]
    if match["tail"] == "以来":
        return YearMark(match.start(), match.end(), None, first, relative=1, carries=False)
    target = doc_year is not None and first + 4 > doc_year
    return YearMark(match.start(), match.end(), first + 4, first, target=target, carries=False)


def _count(text: str) -> int:
    return int(text) if text.isdigit() else int(cn2an.cn2an(text.replace("两", "二"), "normal"))


def _relative(text: str, match: re.Match[str]) -> YearMark | None:
    """`近三年`, `三年来`, `5年间`; None for a plain `21年` or `三年` without either."""
    start = match.start()
    before = text[start - 1 : start] if start else ""
    near = before == "近"
    if before.isdigit() or before == "年" or not (near or match["tail"]):
        return None
    span = _count(match["n"])
    start -= int(near)
    if match["tail"] in ("间", "中") and not near:
        return YearMark(start, match.end(), None, lasting=span, carries=False)
    return YearMark(start, match.end(), None, relative=span, carries=False)


def find_year_marks(text: str, doc_year: int | None) -> list[YearMark]:
    """Every usable time reference in `text`, in order of position."""
    hidden = Spans([m.span() for m in BRACKETS.finditer(text) if not ALIAS_YEAR.search(m.group())])
    marks: list[YearMark] = []
    ranges = []
    for match in RANGE.finditer(text):
        if match.start() not in hidden:
            marks.append(_range(match, doc_year))
            ranges.append(match.span())
    for match in SINCE.finditer(text):
        if match.start() not in hidden:
            year = int(match["y"])
            marks.append(
                YearMark(match.start(), match.end(), None, year, relative=1, carries=False)
            )
            ranges.append(match.span("y"))
    taken = Spans(ranges)
    for match in SINGLE.finditer(text):
        start = match.start()  # the year's own start: `y` opens the pattern
        if start in hidden or start in taken or match["date"]:
            continue
        marks.append(_single(match, _lead(text, start), doc_year))
    marks += [plan_mark(m, doc_year) for m in PLAN.finditer(text) if m.start() not in hidden]
    relative = (_relative(text, m) for m in RELATIVE.finditer(text) if m.start() not in hidden)
    marks += [mark for mark in relative if mark is not None]
    marks += _spoken_years(text, doc_year, hidden)
    marks.sort(key=lambda m: m.start)
    return marks


def _spoken_years(text: str, doc_year: int | None, hidden: Spans) -> list[YearMark]:
    """`今年`, `去年`, `过去一年` as the document's own year or the one before it."""
    if doc_year is None:
        return []
    return [
        YearMark(
            m.start(),
            m.end(),
            doc_year - SPOKEN_YEARS[m.group()],
            compared=text[m.start() - 1 : m.start()] == "由",
        )
        for m in SPOKEN.finditer(text)
        if m.start() not in hidden and text[m.start() - 1 : m.start()] not in NOT_SPOKEN_AFTER
    ]


REPORT_TITLE = re.compile(r"报告|公告|公报|总结|汇报|说明|统计|情况")
PLAN_TITLE = re.compile(r"规划|计划|方案|纲要")
TITLE_YEAR = re.compile(rf"(?<![\d\-—~至到])(?P<y>{YEAR}) ?年(?!\d|[-—~至到])")


def subject_year(title: str, published: int | None) -> int | None:
    """The year a report is about when its title says so (`关于2022年…的统计公告`,
    `2020年度履行教育职责…报告`), which is what `近三年` and `今年` count from."""
    if not REPORT_TITLE.search(title) or PLAN_TITLE.search(title):
        return None
    found = TITLE_YEAR.search(title)
    if not found:
        return None
    year = int(found["y"])
    return year if published is None or year <= published else None


def document_year(text: str, published_date: str | None, title: str = "") -> int | None:
    """The year the document speaks from: the year its title reports on, else its
    published date, else a date at its end or its top, else the year it names most."""
    lines = [line for line in text.strip().split("\n", 2)[:2] if "|" not in line]
    heading = " ".join([title, *lines])[:200]
    published = _published_year(text, published_date)
    return subject_year(heading, published) or published or _most_named_year(text)


def _most_named_year(text: str) -> int | None:
    """For an undated text (a plan's body alone): its most frequent plain year, as targets
    are stated with `到…年` and citations sit in brackets."""
    hidden = Spans([m.span() for m in BRACKETS.finditer(text)])
    years = Counter(
        int(m["y"])
        for m in SINGLE.finditer(text)
        if m.start() not in hidden and not _lead(text, m.start()) and not m["date"]
    )
    return years.most_common(1)[0][0] if years else None


def date_year(date: str | None) -> int | None:
    """The year of an ISO date (`2021-03-02`), None when there is none."""
    return int(date[:4]) if date and re.match(rf"{YEAR}-", date) else None


def _published_year(text: str, published_date: str | None) -> int | None:
    stated = date_year(published_date)
    if stated is not None:
        return stated
    tail = list(DOC_DATE.finditer(text[-300:]))
    if tail:
        return int(tail[-1]["y"])
    head = DOC_DATE.search(text[:800])
    return int(head["y"]) if head else None
