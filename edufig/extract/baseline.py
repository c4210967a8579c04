"""A simple peer for the extractor, scored on the same reference (see README).

JioNLP's money extraction plus a plain regex for percentages and head counts find the
numbers; the metric is the nearest keyword before the number (same lexicon as the
extractor, so the comparison is about reading, not vocabulary), the level the nearest
level word before it in its sentence, the year the nearest `YYYY年` before it or the
published year. No comparisons, periods, targets, enumerations or tables.
"""

from __future__ import annotations

import contextlib
import io
import re
from bisect import bisect_left
from functools import cache

from edufig.core.catalog import load_metrics
from edufig.core.records import Figure, ParsedDocument
from edufig.extract.levels import find_levels
from edufig.extract.lexicon import accepts, find_keywords

OTHER_NUMBERS = re.compile(r"(\d+(?:\.\d+)?) ?(%|人次|人|名|所|个)")
UNITS = {
    "%": "percent",
    "人次": "person_time",
    "人": "person",
    "名": "person",
    "所": "count",
    "个": "count",
}
YEARS = re.compile(r"((?:19|20)\d{2})年")
WINDOW = 30
SENTENCE_END = re.compile(r"[。!?;\n]")


@cache
def _money_extractor():
    with contextlib.redirect_stdout(io.StringIO()):
        import jionlp

    return jionlp.ner.extract_money


def _numbers(text: str) -> list[tuple[int, int, float, str]]:
    found = []
    for money in _money_extractor()(text, with_parsing=True):
        start, end = money["offset"]
        number = money["detail"]["num"]
        value = float(number[0] if isinstance(number, list) else number)
        found.append((start, end, value, "yuan"))
    for match in OTHER_NUMBERS.finditer(text):
        found.append((match.start(), match.end(), float(match.group(1)), UNITS[match.group(2)]))
    return sorted(found)


def _metric(text: str, keywords: list, ends: list[int], start: int, unit: str) -> str | None:
    index = bisect_left(ends, start + 1) - 1
    if index < 0 or start - keywords[index].end > WINDOW:
        return None
    return next((m for m in keywords[index].metrics if accepts(m, unit)), None)


def _level(text: str, start: int) -> str:
    sentence_start = max((m.end() for m in SENTENCE_END.finditer(text, 0, start)), default=0)
    levels = find_levels(text[sentence_start:start])
    return levels[-1].level if levels else "all"


def _year(text: str, start: int, fallback: int | None) -> int | None:
    years = YEARS.findall(text, max(0, start - 400), start)
    return int(years[-1]) if years else fallback


def baseline_figures(doc: ParsedDocument) -> list[Figure]:
    """Figures by nearest preceding keyword, in the spec's record format."""
    text = doc.text
    keywords = [k for k in find_keywords(text) if k.metrics and not k.partial]
    ends = [k.end for k in keywords]
    fallback = int(doc.published_date[:4]) if doc.published_date else None
    figures = []
    for start, end, value, unit in _numbers(text):
        metric = _metric(text, keywords, ends, start, unit)
        if metric is None:
            continue
        figures.append(
            Figure(
                doc_id=doc.doc_id,
                metric=metric,
                level=_level(text, start),
                year=_year(text, start, fallback),
                period_start=None,
                kind="actual",
                value=value,
                unit=load_metrics()[metric].unit,
                qualifier="exact",
                yoy_change=None,
                yoy_growth_pct=None,
                region=doc.region_name,
                region_code=doc.region_code,
                text=text[start:end],
                start=start,
                end=end,
            )
        )
    return figures
