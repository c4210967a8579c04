"""The publishing government of a document, with its GB/T 2260 code.

The registry's region wins. Otherwise the title, publisher or first lines name it. An
anonymised publisher (`***区人民政府`) is resolved only when the text names exactly one
prefecture and that prefecture has exactly one county-level division of that kind
(`定西市` has one 区: 安定区); anything less certain stays null.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from edufig.core.records import ParsedDocument
from edufig.extract.trie import trie_regex

MASK = r"(?:\*{2,}|X{2,}|×{2,})"
ANONYMISED = re.compile(r"(?:\*{2,}|X{2,}|×{2,})(?P<kind>区|县|市|旗)(?:人民政府|政府|教育局|管理)")
HEAD_CHARS = 400
HEAD_LINES = 6


@lru_cache(maxsize=4096)
def _resolve(text: str) -> tuple[str, str] | None:
    """`resolve_region` on a title or publisher line, remembered: sites repeat them."""
    from edufig.core.divisions import resolve_region

    if not _division_names().search(text):
        return None
    division = resolve_region(text)
    return (division.name, division.code) if division else None


@cache
def _division_names() -> re.Pattern[str]:
    from edufig.core.divisions import load_divisions

    names = {d.name for d in load_divisions()} | {a for d in load_divisions() for a in d.aliases}
    return trie_regex(name for name in names if len(name) >= 2)


@cache
def _prefectures() -> dict[str, tuple[str, tuple[tuple[str, str], ...]]]:
    """Prefecture name → (code, its county-level (name, code) pairs)."""
    from edufig.core.divisions import load_divisions

    counties: dict[str, list[tuple[str, str]]] = {}
    names: dict[str, str] = {}
    for division in load_divisions():
        if division.level == "prefecture":
            names[division.name] = division.code
        elif division.level == "county" and division.prefecture_name:
            counties.setdefault(division.prefecture_name, []).append((division.name, division.code))
    return {name: (code, tuple(counties.get(name, []))) for name, code in names.items()}


@cache
def _prefectures_by_ending() -> tuple[re.Pattern[str], dict[str, tuple[str, ...]]]:
    """Prefecture names longer than two characters by their two-character ending, and a
    pattern for their last characters (`市`, `州`, `区`, `盟`)."""
    by_ending: dict[str, list[str]] = {}
    for name in _prefectures():
        if len(name) > 2:
            by_ending.setdefault(name[-2:], []).append(name)
    last = re.compile("[" + re.escape("".join(sorted({e[-1] for e in by_ending}))) + "]")
    return last, {ending: tuple(names) for ending, names in by_ending.items()}


def _named_prefectures(text: str) -> set[str]:
    """Prefectures `text` names, looked up where a name can end: one scan of the text
    instead of one per prefecture."""
    last, by_ending = _prefectures_by_ending()
    found: set[str] = set()
    for match in last.finditer(text):
        end = match.end()
        for name in by_ending.get(text[end - 2 : end], ()):
            if end >= len(name) and text.startswith(name, end - len(name)):
                found.add(name)
    return found


def _prefecture_clue(text: str) -> set[str]:
    """Prefectures the masked name belongs to: the one written right before the mask
    (`《定西市***教师…规划》`) if that is unique, else every prefecture the text names."""
    names = _named_prefectures(text)
    before_mask = {name for name in names if re.search(re.escape(name) + MASK, text)}
    return before_mask or names


def _anonymised(doc: ParsedDocument) -> tuple[str, str] | None:
    found = ANONYMISED.search(doc.text[:HEAD_CHARS])
    if not found:
        return None
    named = _prefecture_clue(doc.text)
    if len(named) != 1:
        return None
    _, counties = _prefectures()[named.pop()]
    kind = found["kind"]
    matching = [(name, code) for name, code in counties if name.endswith(kind)]
    return matching[0] if len(matching) == 1 else None


def _candidates(doc: ParsedDocument) -> list[str]:
    lines = [line.strip() for line in doc.text[:HEAD_CHARS].split("\n") if line.strip()]
    wanted = [doc.publisher, doc.title, *lines[:HEAD_LINES]]
    return [text for text in wanted if text and re.search(r"[\u4e00-\u9fff]", text)]


def document_region(doc: ParsedDocument) -> tuple[str | None, str | None]:
    """(name, code) of the publishing government; (None, None) when not certain."""
    if doc.region_code:
        return doc.region_name, doc.region_code
    hidden = _anonymised(doc)
    if hidden is not None:
        return hidden
    if ANONYMISED.search(doc.text[:HEAD_CHARS]):
        return None, None
    for text in _candidates(doc):
        found = _resolve(text[:60])
        if found is not None:
            return found
    return doc.region_name, None


@cache
def _children() -> dict[str, frozenset[tuple[str, str]]]:
    """Division code → the (name, code) pairs of the divisions directly under it."""
    from edufig.core.divisions import load_divisions

    children: dict[str, set[tuple[str, str]]] = {}
    for division in load_divisions():
        parent = division.prefecture_code if division.level == "county" else None
        if division.level == "prefecture":
            parent = division.province_code
        if parent and parent != division.code:
            children.setdefault(parent, set()).add((division.name, division.code))
    return {code: frozenset(pairs) for code, pairs in children.items()}


@cache
def _codes_by_name() -> dict[str, tuple[str, ...]]:
    from edufig.core.divisions import load_divisions

    codes: dict[str, list[str]] = {}
    for division in load_divisions():
        if len(division.name) >= MIN_NAME:
            codes.setdefault(division.name, []).append(division.code)
    return {name: tuple(found) for name, found in codes.items()}


@cache
def _lengths_by_ending() -> dict[str, tuple[int, ...]]:
    """Two-character ending → the lengths of the names that end with it, longest first."""
    lengths: dict[str, set[int]] = {}
    for name in _codes_by_name():
        lengths.setdefault(name[-2:], set()).add(len(name))
    return {ending: tuple(sorted(found, reverse=True)) for ending, found in lengths.items()}


DIVISION_SUFFIXES = re.compile(r"[省市区县州旗盟]")
MIN_NAME = 3


def place_name_spans(text: str) -> list[tuple[int, int]]:
    """Where division names (`白云区`, `楚雄彝族自治州`) stand in `text`, longest first.
    Names are looked up where they must end (a 区/县/市… character whose two-character
    ending some name has), far cheaper than scanning the text for three thousand names."""
    names, by_ending = _codes_by_name(), _lengths_by_ending()
    spans: list[tuple[int, int]] = []
    for suffix in DIVISION_SUFFIXES.finditer(text):
        end = suffix.end()
        for size in by_ending.get(text[end - 2 : end], ()):
            if size <= end and text[end - size : end] in names:
                spans.append((end - size, end))
                break
    return spans


def sub_region(parent_code: str | None, names: list[str]) -> tuple[str, str] | None:
    """The division under the publisher that a figure's own clause names (`白云区的中小学
    251所` in a city's report): exactly one, else the figure is the publisher's."""
    children = _children().get(parent_code or "")
    if not children or not names:
        return None
    named = {
        (name, code)
        for name in names
        for code in _codes_by_name()[name]
        if (name, code) in children
    }
    return named.pop() if len(named) == 1 else None
