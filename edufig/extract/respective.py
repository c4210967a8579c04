"""`A、B和C分别为x、y和z`: each listed level or metric takes its value in order."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable

from edufig.extract.levels import LevelHit
from edufig.extract.lexicon import KeywordHit
from edufig.extract.numbers import Quantity
from edufig.extract.sentences import MarkIndex

RESPECTIVELY = re.compile(r"分别(?:为|是|达到|达|有|占)? ?")
LIST_GAP = re.compile(r"^ ?[、和及与] ?$")
LOOKBACK = 400

Assignment = tuple[str | None, str | None]


def _listed(text: str, quantities: list[Quantity], first: int) -> list[Quantity]:
    listed = [quantities[first]]
    for quantity in quantities[first + 1 :]:
        if not LIST_GAP.match(text[listed[-1].end : quantity.start]):
            break
        listed.append(quantity)
    return listed


def _sentence_start(text: str, position: int) -> int:
    lo = max(0, position - LOOKBACK)
    return max(text.rfind(mark, lo, position) + 1 for mark in "。!?\n")


def respective_assignments(
    text: str,
    quantities: list[Quantity],
    keywords: Callable[[int, int], list[KeywordHit]],
    levels: Callable[[int, int], list[LevelHit]],
    clauses: MarkIndex,
) -> dict[int, Assignment]:
    """Quantity start → (metric, level) for values listed after `分别为`: metrics when the
    clause names as many metrics as values, else levels when it names as many levels."""
    starts = [q.start for q in quantities]
    out: dict[int, Assignment] = {}
    for match in RESPECTIVELY.finditer(text):
        first = bisect_left(starts, match.end())
        if first == len(starts) or starts[first] != match.end():
            continue
        listed = _listed(text, quantities, first)
        clause = max(clauses.last(0, match.start()), _sentence_start(text, match.start()))
        metrics = [
            h.metrics[0] for h in keywords(clause, match.start()) if h.metrics and not h.partial
        ]
        named = [h.level for h in levels(clause, match.start())]
        if len(listed) > 1 and len(metrics) == len(listed):
            out.update({q.start: (m, None) for q, m in zip(listed, metrics, strict=True)})
        elif len(listed) > 1 and len(named) == len(listed):
            out.update({q.start: (None, lv) for q, lv in zip(listed, named, strict=True)})
    return out
