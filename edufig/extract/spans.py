"""Spans (merged where they overlap) with position lookup in O(log n)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right


class Spans:
    """Spans from one or more `re.finditer` passes; nested or overlapping ones are merged."""

    def __init__(self, spans: list[tuple[int, int]]):
        merged: list[tuple[int, int]] = []
        for start, end in sorted(spans):
            if merged and start < merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        self.spans = merged
        self.starts = [a for a, _ in merged]

    def around(self, position: int, strict: bool = False) -> tuple[int, int] | None:
        """The span holding `position` (strictly inside when `strict`), if any."""
        index = bisect_right(self.starts, position) - 1
        if index < 0:
            return None
        start, end = self.spans[index]
        if strict and start == position:
            return None
        return (start, end) if position < end else None

    def __contains__(self, position: int) -> bool:
        return self.around(position) is not None

    def within(self, start: int, end: int) -> list[tuple[int, int]]:
        """The spans that begin in [start, end)."""
        lo, hi = bisect_left(self.starts, start), bisect_left(self.starts, end)
        return self.spans[lo:hi]


def blank(text: str, spans: Spans) -> str:
    """`text` with every span replaced by spaces of the same length (offsets unchanged)."""
    if not spans.spans:
        return text
    pieces, last = [], 0
    for start, end in spans.spans:
        pieces += [text[last:start], " " * (end - start)]
        last = end
    return "".join([*pieces, text[last:]])
