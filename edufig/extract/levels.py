"""School levels named in report wording, mapped to the spec's level codes."""

from __future__ import annotations

from typing import NamedTuple

from edufig.extract.trie import trie_regex

LEVEL_WORDS: dict[str, tuple[str, ...]] = {
    "all": ("各级各类学校", "各级各类", "各类学校", "中小学", "中小学校"),
    "preschool": (
        "学前教育",
        "学前三年",
        "学前",
        "幼儿园",
        "幼儿",
        "公办园",
        "民办园",
        "幼教",
        "托幼",
        "入园",
    ),
    "primary": ("普通小学", "小学生", "小学"),
    "junior_secondary": ("普通初中", "初级中学", "初中生", "初中"),
    "compulsory": ("义务教育", "九年一贯制"),
    "senior_secondary": ("高中阶段",),
    "general_senior_secondary": ("普通高中", "高级中学", "高中生", "高中", "高考"),
    "secondary_vocational": (
        "中等职业学校",
        "中等职业教育",
        "中等职业",
        "中职",
        "职业高中",
        "职高",
        "职业中专",
        "中专",
        "技工学校",
    ),
    "special": ("特殊教育", "特教"),
    "higher": ("普通高等学校", "高等教育", "高等学校", "高校", "大学生", "大学新生", "大学"),
}
NOT_LEVELS = ("其中",)
LEVEL_OF = {word: level for level, words in LEVEL_WORDS.items() for word in words}
LEVEL_PATTERN = trie_regex([*LEVEL_OF, *NOT_LEVELS])


class LevelHit(NamedTuple):
    start: int
    end: int
    level: str


def find_levels(text: str) -> list[LevelHit]:
    return [
        LevelHit(m.start(), m.end(), LEVEL_OF[word])
        for m in LEVEL_PATTERN.finditer(text)
        if (word := m.group()) in LEVEL_OF
    ]
