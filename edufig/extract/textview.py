"""The text the extractor scans: normalised for matching, with offsets back to the source.

Scraped reports mix full-width digits and punctuation, ideographic spaces, traditional
characters from mirror sites and pinyin left behind by transcoding (`學(xué)`). Matching
rules are written once, for simplified text with ASCII digits; `TextView` maps every
match back to the document's own offsets so evidence spans stay exact.
"""

from __future__ import annotations

import importlib.util
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from edufig.extract.wraps import soft_wraps

FULL_WIDTH = {chr(0xFF10 + i): str(i) for i in range(10)} | {
    "％": "%",
    "．": ".",
    "，": ",",
    "；": ";",
    "：": ":",
    "（": "(",
    "）": ")",
    "～": "~",
    "∶": ":",
    "\u3000": " ",
    "\xa0": " ",
    "｜": "|",
    "〇": "零",
}
PINYIN_GARBLE = re.compile(r"\((?<=[\u4e00-\u9fff]\()[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü?]{1,7}\)")
NEWLINE = re.compile("\n")
UNIT_AHEAD = re.compile(r"万元|亿元|元|万人|人次|人|%|所|个|名")
NUMBER_AHEAD = re.compile(r"\d+(?:\.\d+)?(?:万|亿)?(?:元|人|所|个|名|%)")
PAGE_LINE = re.compile(
    r"(?:[-—–]+ ?\d{1,3} ?[-—–]+|第 ?\d{1,3} ?页(?: ?共 ?\d{1,3} ?页)?|\d{1,3} ?/ ?\d{1,3})"
    r"[ \t]*\n(?:[ \t\f]*\n)*(?=[^\n])"
)
HAN = "\u4e00-\u9fff"
CJK = re.compile(f"[{HAN}]")
# Led by the space, so the scan jumps from space to space.
LONE_SPACE_BY_A_NUMBER = re.compile(
    f" (?:(?<=[{HAN}] )(?=\\d)|(?<=\\d )(?=[{HAN}%])|(?<=% )(?=[{HAN}]))"
)
CHINESE_DIGITS = str.maketrans("零一二三四五六七八九", "0123456789")
CHINESE_YEAR = re.compile(
    r"(?<![零一二三四五六七八九十百千万])(?:一九|二零)[零一二三四五六七八九]{2}(?![零一二三四五六七八九十百千万亿])"
)
INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")
LETTER_SPACE = re.compile(  # a space between two characters that stand alone
    f" (?<=(?<![{HAN}])[{HAN}] )(?=[{HAN}](?![{HAN}]))"
)
PAGE_LINE_STARTS = frozenset(" \t\n\f-—–第0123456789")
BLANK = " \t\n\f"
BLANK_LINES = re.compile(r"(?<=\n)(?:[ \t\f]*\n)+")
SENTENCE_END = "\n。!?:;"
TRADITIONAL_MARKERS = "學國會為與無產業經濟費資務關實頁縣區萬億"
MIN_TRADITIONAL_MARKERS = 5
# Characters the 1:1 table converts that simplified text keeps with their own meaning:
# 覆盖率 is not 复盖率, 显著 not 显着.
SIMPLIFIED_TOO = "覆著"
# Where the table's simplified form is not the standard one: 9800餘人 is 9800余人.
STANDARD_SIMPLIFIED = {ord("餘"): "余", ord("鍾"): "钟"}


@cache
def _traditional_table() -> dict[int, str]:
    """JioNLP's character table, read from its data file so JioNLP itself is not imported;
    without the characters simplified text uses too."""
    spec = importlib.util.find_spec("jionlp")
    if spec is None or not spec.submodule_search_locations:
        return {}
    path = Path(next(iter(spec.submodule_search_locations))) / "dictionary" / "tra2sim_char.txt"
    table: dict[int, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        single = len(parts) == 2 and len(parts[0]) == len(parts[1]) == 1
        if single and parts[0] not in SIMPLIFIED_TOO:
            table[ord(parts[0])] = parts[1]
    return table | STANDARD_SIMPLIFIED


def _looks_traditional(text: str) -> bool:
    sample = text[:20000]
    return sum(sample.count(ch) for ch in TRADITIONAL_MARKERS) >= MIN_TRADITIONAL_MARKERS


@dataclass(frozen=True)
class TextView:
    """Normalised text plus the removed spans needed to map offsets back."""

    text: str
    cut_points: tuple[int, ...] = ()
    cut_shifts: tuple[int, ...] = ()
    under: TextView | None = None  # the view this one was cut from, if any

    def source_offset(self, position: int) -> int:
        """Where the character at `position` is in the source (a start offset)."""
        index = bisect_right(self.cut_points, position)
        position += self.cut_shifts[index - 1] if index else 0
        return self.under.source_offset(position) if self.under else position

    def source_end(self, position: int) -> int:
        """Where a span ending at `position` ends in the source: before any text deleted
        right after it (`35621 人` not `35621 人 ` when the next space went)."""
        index = bisect_left(self.cut_points, position)
        position += self.cut_shifts[index - 1] if index else 0
        return self.under.source_end(position) if self.under else position


def _deletions(text: str) -> list[tuple[int, int]]:
    """Spans that are damage, not content: pinyin glosses, a line break (with the
    PDF-to-text spaces around it) between a number and its unit (`8316\n万元`) or inside a
    number written in prose (`在校生12\n345人`), page numbers left between the two halves
    of a sentence by PDF conversion (`…共有\n- 3 -\n小学45所`), and the lone space PDF-to-text puts
    between a number and the characters around it (`累计 8316 万元`, `2010 年`) and between
    the characters of a letter-spaced line (`全 县 教 育`: characters standing alone); a run of
    spaces, which keeps a yearbook's columns apart, stays, and so does a space between words
    (`专任教师123人 小学在校生456人`). Blank lines go too: a line is a paragraph already, and
    a table's cells or rows set a blank line apart read as the lines they are (hard wraps,
    which a blank line does end, are found on the text with them)."""
    spans = [span for m in NEWLINE.finditer(text) if (span := _break_damage(text, m.start()))]
    if " " in text:
        spans += [m.span() for m in LONE_SPACE_BY_A_NUMBER.finditer(text)]
        spans += [m.span() for m in LETTER_SPACE.finditer(text)]
    if "(" in text:
        spans += [m.span() for m in PINYIN_GARBLE.finditer(text)]
    spans += [m.span() for m in BLANK_LINES.finditer(text)]
    return spans


def _break_damage(text: str, newline: int) -> tuple[int, int] | None:
    """The damage around one line break, if any; looked at per break because a regex that
    may start with spaces would be tried at every position of the text."""
    lo, hi = newline, newline + 1
    if not (text[lo - 1 : lo].isdigit() or text[hi : hi + 1] in PAGE_LINE_STARTS):
        return None
    while lo > 0 and text[lo - 1] in " \t":
        lo -= 1
    while hi < len(text) and text[hi] in " \t":
        hi += 1
    before = text[lo - 1] if lo else "\n"
    if before.isdigit() and (
        UNIT_AHEAD.match(text, hi)
        or (lo >= 2 and CJK.match(text[lo - 2]) and NUMBER_AHEAD.match(text, hi))
    ):
        return lo, hi
    return None if before in SENTENCE_END else _page_footer(text, newline, before, hi)


def _page_footer(text: str, newline: int, before: str, hi: int) -> tuple[int, int] | None:
    """A page number on its own line (blank lines around it too) after `newline`."""
    while hi < len(text) and text[hi] in BLANK:
        hi += 1
    page = PAGE_LINE.match(text, hi)
    if page is None:
        return None
    if "|" in (before, text[page.end() : page.end() + 1]):
        return newline + 1, page.end()  # a table's cells keep a line each
    return newline, page.end()


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans with overlapping ones united (two rules may claim one stretch)."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _delete_spans(text: str, spans: list[tuple[int, int]]) -> TextView:
    pieces: list[str] = []
    points: list[int] = []
    shifts: list[int] = []
    removed = 0
    last = 0
    for start, end in _merged(spans):
        pieces.append(text[last:start])
        points.append(start - removed)
        removed += end - start
        shifts.append(removed)
        last = end
    if not points:
        return TextView(text)
    pieces.append(text[last:])
    return TextView("".join(pieces), tuple(points), tuple(shifts))


def make_view(text: str) -> TextView:
    """Full-width → ASCII, traditional → simplified (1:1), years in Chinese digits → ASCII
    (`二〇二一年`), all the same length; invisible characters (zero-width spaces, BOMs, soft
    hyphens) removed first, so the damage rules see the characters around them; then pinyin
    garble and layout damage removed. Hard wraps are measured on the text as laid out, where
    a full-width digit is as wide as a character."""
    visible = _delete_spans(text, [m.span() for m in INVISIBLE.finditer(text)])
    normalised = _normalise(visible.text)
    spans = _deletions(normalised) + soft_wraps(normalised, layout=visible.text)
    view = _delete_spans(normalised, spans)
    return replace(view, under=visible) if visible.cut_points else view


def _normalise(text: str) -> str:
    """The same text, character for character, in the forms the rules are written for."""
    for wide, narrow in FULL_WIDTH.items():
        if wide in text:
            text = text.replace(wide, narrow)
    if _looks_traditional(text):
        text = text.translate(_traditional_table())
    if "一九" in text or "二零" in text:
        text = CHINESE_YEAR.sub(lambda m: m.group().translate(CHINESE_DIGITS), text)
    return text
