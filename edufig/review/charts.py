"""Line charts of a region's series as inline SVG computed on the server: no chart
library, no script, nothing fetched by the reviewer's browser."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH, HEIGHT = 320, 150
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 52, 12, 12, 26


@dataclass(frozen=True)
class Point:
    year: int
    value: float
    label: str
    href: str
    conflict: bool
    flagged: bool
    corrected: bool


@dataclass(frozen=True)
class PlacedPoint:
    point: Point
    x: float
    y: float


@dataclass(frozen=True)
class Chart:
    title: str
    points: tuple[PlacedPoint, ...]
    path: str
    y_ticks: tuple[tuple[float, str], ...]
    x_ticks: tuple[tuple[float, str], ...]
    width: int = WIDTH
    height: int = HEIGHT


def _scale(value: float, low: float, high: float, start: float, end: float) -> float:
    if high == low:
        return (start + end) / 2
    return start + (value - low) / (high - low) * (end - start)


def line_chart(title: str, points: list[Point], fmt) -> Chart:
    """Points by year on a shared scale; `fmt` formats a value for the axis labels."""
    points = sorted(points, key=lambda p: p.year)
    years = [p.year for p in points]
    values = [p.value for p in points]
    low, high = min(values), max(values)
    margin = (high - low) * 0.1 or abs(high) * 0.1 or 1.0
    low, high = low - margin, high + margin
    x0, x1 = PAD_LEFT, WIDTH - PAD_RIGHT
    y0, y1 = HEIGHT - PAD_BOTTOM, PAD_TOP
    placed = tuple(
        PlacedPoint(
            p,
            round(_scale(p.year, min(years), max(years), x0, x1), 1),
            round(_scale(p.value, low, high, y0, y1), 1),
        )
        for p in points
    )
    path = " ".join(f"{'M' if i == 0 else 'L'}{q.x},{q.y}" for i, q in enumerate(placed))
    y_ticks = tuple(
        (round(_scale(v, low, high, y0, y1), 1), fmt(v)) for v in (low + margin, high - margin)
    )
    x_ticks = tuple((q.x, str(q.point.year)) for q in placed)
    return Chart(title, placed, path, y_ticks, x_ticks)
