"""Sorted, non-overlapping spans with position lookup in O(log n)."""

from __future__ import annotations

from bisect import bisect_right


class Spans:
    """Spans as `re.finditer` yields them (sorted, non-overlapping)."""

    def __init__(self, spans: list[tuple[int, int]]):
        self.spans = sorted(spans)
        self.starts = [a for a, _ in self.spans]

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
