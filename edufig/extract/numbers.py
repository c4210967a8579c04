"""Numbers with units as reports write them, converted to the spec's base units.

Handles Arabic digits with thousands separators and stray spaces (`5,898万元`, `73618 万元`,
`5.17 %`), 万/亿 scaling, Chinese numerals (`七十人`, `两万名`, via cn2an) and the hedges
around a number (约, 近, 逾, 余, 多, 以上, 不低于, 不超过). Text is expected to be
normalised by `textview.make_view` (ASCII digits and punctuation).
"""

from __future__ import annotations

import re
from typing import NamedTuple

import cn2an

UNIT_OF = {
    "元": "yuan",
    "人次": "person_time",
    "人": "person",
    "名": "person",
    "位": "count",
    "所": "count",
    "个": "count",
    "套": "count",
    "家": "count",
    "%": "percent",
    ":1": "ratio",
    "个百分点": "points",
    "百分点": "points",
    "": "scaled",
}
SCALE_OF = {"": 1.0, "万": 1e4, "亿": 1e8, "万亿": 1e12}
SCALES = ("万", "亿")
HEDGE_CHARS = "余多"
ARABIC = (
    r"(?<![\d.])(?<!\d,)(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    rf"(?P<hedge> ?[{HEDGE_CHARS}])? ?(?P<scale>万亿|万|亿)?(?P<hedge2>[{HEDGE_CHARS}])? ?"
    r"(?P<unit>元|人次|人|名|位|所|个百分点|百分点|个|套|家|%)"
)
CN_DIGITS = "零一二两三四五六七八九十百千万亿"
CHINESE = (
    rf"(?<![第])(?P<cnum>[{CN_DIGITS}]*[十百千万亿][{CN_DIGITS}]*)"
    rf"(?P<chedge>[{HEDGE_CHARS}])?(?P<cunit>元|人次|人|名|所|个)"
)
RATIO = r"(?<![\d.])(?P<ratio>\d+(?:\.\d+)?) ?: ?1(?![\d.])"
NUMBER = re.compile(f"{ARABIC}|{CHINESE}|{RATIO}")
BARE_SCALED = re.compile(
    r"(?<![\d.])(?<!\d,)(?P<num>\d+(?:\.\d+)?) ?(?P<scale>万|亿)"
    r"(?=[,;。、)\s]|比|较|增|减|同比|其中|$)"
)
# A run of Arabic digits (`\\d+(?:[.,]\\d+)*`) or of two or more Chinese numerals. Written
# to open with one character class, which lets `re` skip to the next candidate in C instead
# of trying both branches at every position of the text.
CANDIDATES = re.compile(
    rf"[\d{CN_DIGITS}](?:(?<=\d)\d*(?:[.,]\d+)*|(?<=[{CN_DIGITS}])[{CN_DIGITS}]+)"
)
# What may follow a run that NUMBER or BARE_SCALED reads: a space, a hedge, a scale or the
# first character of a unit word. A run followed by anything else (`2021年`, `3月`) is no
# quantity, so the full pattern is not tried there.
FOLLOWERS = frozenset(f" {HEDGE_CHARS}{''.join(SCALES)}") | {word[0] for word in UNIT_OF if word}
PREFIX_HEDGES = (
    ("不低于", "at_least"),
    ("不少于", "at_least"),
    ("不超过", "at_most"),
    ("不高于", "at_most"),
    ("超过", "at_least"),
    ("多于", "at_least"),
    ("逾", "at_least"),
    ("超", "at_least"),
    ("约", "approx"),
    ("近", "approx"),
    ("大约", "approx"),
)
SUFFIX_HEDGES = (("以上", "at_least"), ("以下", "at_most"), ("以内", "at_most"), ("左右", "approx"))
PREFIX_OF = dict(PREFIX_HEDGES)
PREFIX_LAST_CHARS = frozenset(word[-1] for word in PREFIX_OF)
SUFFIX_OF = dict(SUFFIX_HEDGES)
RANGE_BEFORE = re.compile(r"\d ?[-—–~至到] ?$")
NOT_A_QUANTITY_AFTER = ("/", "每", "一")


class Quantity(NamedTuple):
    """A number with its unit, in the spec's base unit; offsets are into the scanned text."""

    start: int
    end: int
    value: float
    unit: str
    qualifier: str
    word: str = ""


def _qualifier(text: str, start: int, end: int, hedged: bool) -> str:
    """The hedge around a number: the longest prefix word (`不低于`), else a suffix word, else
    `approx` for a hedge inside it (`3万余元`)."""
    if text[start - 1 : start] in PREFIX_LAST_CHARS:
        for size in (3, 2, 1):
            found = PREFIX_OF.get(text[max(0, start - size) : start])
            if found:
                return found
    return SUFFIX_OF.get(text[end : end + 2]) or ("approx" if hedged else "exact")


def _arabic(match: re.Match[str]) -> tuple[float, str, bool]:
    num, scale, unit, hedge, hedge2 = match.group("num", "scale", "unit", "hedge", "hedge2")
    value = float(num.replace(",", "")) * SCALE_OF[scale or ""]
    return value, unit, bool(hedge or hedge2)


def _chinese(match: re.Match[str]) -> tuple[float, str, bool] | None:
    try:
        value = float(cn2an.cn2an(match["cnum"], "normal"))
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    return value, match["cunit"], bool(match["chedge"])


def _bare_scaled(match: re.Match[str]) -> tuple[float, str, bool]:
    """`4453万比去年4432万`: an amount whose unit the writer dropped; the metric named with it
    decides whether it is money, heads or places."""
    return float(match["num"]) * SCALE_OF[match["scale"]], "", False


def _is_range_end(text: str, start: int) -> bool:
    return RANGE_BEFORE.search(text, max(0, start - 4), start) is not None


def _parsed(match: re.Match[str]) -> tuple[float, str, bool] | None:
    if match["num"] is not None:
        return _arabic(match)
    if match["cnum"] is not None:
        return _chinese(match)
    return float(match["ratio"]), ":1", False


def find_quantities(text: str) -> list[Quantity]:
    """Every number-with-unit in `text`, skipping range ends and per-head rates (元/人)."""
    out: list[Quantity] = []
    position = 0
    while True:
        candidate = CANDIDATES.search(text, position)
        if candidate is None:
            break
        if text[candidate.end() : candidate.end() + 1] not in FOLLOWERS:
            position = candidate.end()
            continue
        match = NUMBER.match(text, candidate.start())
        if match is None and text[candidate.end() : candidate.end() + 2].strip(" ")[:1] in SCALES:
            match = BARE_SCALED.match(text, candidate.start())
        if match is None:
            position = candidate.end()
            continue
        start, end = match.span()
        position = end
        if text[end : end + 1] in NOT_A_QUANTITY_AFTER or _is_range_end(text, start):
            continue
        parsed = _parsed(match) if match.re is NUMBER else _bare_scaled(match)
        if parsed is None:
            continue
        value, word, hedged = parsed
        qualifier = _qualifier(text, start, end, hedged)
        out.append(Quantity(start, end, value, UNIT_OF[word], qualifier, word))
    return out
