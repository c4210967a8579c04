"""The part of a population a figure covers (`民办`, `农村`, `应届`…), per the spec's `scope`.

`专任教师5230人(民办410人)` states two figures of one metric: the whole and a part. Read as
equals, the part becomes a second, conflicting value of the whole. Naming the part keeps
it in the warehouse as its own row without ever comparing it with the total.
"""

from __future__ import annotations

import re

SCOPE_WORDS: tuple[tuple[str, str], ...] = (
    ("private", r"民办"),
    ("public", r"公办"),
    ("rural", r"农村|乡村|乡镇"),
    ("urban", r"城区|城镇"),
    ("boarding", r"寄宿"),
    ("fresh_graduates", r"应届"),
    ("minority", r"少数民族"),
    ("migrant", r"随迁子女|进城务工"),
    ("left_behind", r"留守"),
)
SCOPE = re.compile("|".join(f"(?P<{code}>{words})" for code, words in SCOPE_WORDS))
# Names of programmes and school types that contain a scope word but cover everyone they
# name (the rural nutrition programme pays for every pupil of its area).
PROGRAMMES = re.compile(
    r"(?:农村)?义务教育学生营养改善计划|营养改善|特设岗位|特岗|乡村教师|乡村振兴|城乡|"
    r"乡镇中心|农村骨干|乡村名师|公办园在园|公办幼儿园在园|普惠性民办|民办教育促进|留守儿童关爱|农村学前教育推进"
)


def _programme_free(text: str) -> str:
    return PROGRAMMES.sub(lambda m: " " * len(m.group()), text)


def scope_of(text: str) -> str | None:
    """The scope a clause's own words give its figure, or None for the whole population."""
    found = SCOPE.search(_programme_free(text))
    return found.lastgroup if found else None


def blank_scope(text: str) -> str:
    """`text` with scope words blanked (same length), so a part is read like its whole."""
    cleaned = _programme_free(text)
    spans = [m.span() for m in SCOPE.finditer(cleaned)]
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)
