"""The part of a population a figure covers (`民办`, `农村`, `应届`…), per the spec's `scope`.

`专任教师5230人(民办410人)` states two figures of one metric: the whole and a part. Read as
equals, the part becomes a second, conflicting value of the whole. Naming the part keeps
it in the warehouse as its own row without ever comparing it with the total.
"""

from __future__ import annotations

import re

SCOPE_WORDS: dict[str, str] = {
    "民办": "private",
    "公办": "public",
    "农村": "rural",
    "乡村": "rural",
    "乡镇": "rural",
    "城区": "urban",
    "城镇": "urban",
    "寄宿": "boarding",
    "应届": "fresh_graduates",
    "少数民族": "minority",
    "随迁子女": "migrant",
    "进城务工": "migrant",
    "留守": "left_behind",
}
SCOPE = re.compile("|".join(SCOPE_WORDS))
# Names of programmes and school types that contain a scope word but cover everyone they
# name (the rural nutrition programme pays for every pupil of its area). Every branch opens
# with a literal, which lets `re` skip to where one can start.
PROGRAMMES = re.compile(
    r"农村义务教育学生营养改善计划|义务教育学生营养改善计划|营养改善|特设岗位|特岗|乡村教师|乡村振兴|城乡|"
    r"乡镇中心|农村骨干|乡村名师|公办园在园|公办幼儿园在园|普惠性民办|民办教育促进|留守儿童关爱|农村学前教育推进"
)


PROGRAMME_REACH = 12


def _scope_matches(text: str) -> list[re.Match[str]]:
    """Scope words of `text` that are not part of a programme's name; programmes are
    looked for only around a scope word, which keeps whole documents cheap."""
    found = []
    for match in SCOPE.finditer(text):
        lo = max(0, match.start() - PROGRAMME_REACH)
        window = text[lo : match.end() + PROGRAMME_REACH]
        at = match.start() - lo
        if not any(p.start() <= at < p.end() for p in PROGRAMMES.finditer(window)):
            found.append(match)
    return found


def scope_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _scope_matches(text)]


def scope_code(word: str) -> str:
    return SCOPE_WORDS[word]
