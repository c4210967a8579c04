"""Query results as the CLI prints them: an aligned text table or CSV.

Cells hold scraped text, so both formats defend against it: terminal escape sequences
and control characters are removed, the table flattens and truncates each cell to one
short line, the CSV neutralises spreadsheet formulas.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Sequence

from edufig.core.sanitize import strip_controls

MAX_CELL_CHARS = 80
CSV_FORMULA_PREFIXES = ("=", "+", "@", "\t", "\r")


def _text(value: object) -> str:
    """A cell as text, without the escape sequences a scraped value may carry to a terminal."""
    if value is None:
        return ""
    if isinstance(value, str):
        return strip_controls(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def _display_cell(value: object) -> str:
    """Scraped text may hold newlines, tabs and long sentences: one short line per cell."""
    text = " ".join(_text(value).split())
    if len(text) > MAX_CELL_CHARS:
        text = text[: MAX_CELL_CHARS - 1] + "…"
    return text


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def format_table(columns: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """An aligned plain-text table; Chinese characters count as two columns wide."""
    header = [_display_cell(c) for c in columns]
    body = [[_display_cell(v) for v in row] for row in rows]
    widths = [display_width(h) for h in header]
    for row in body:
        widths = [max(w, display_width(cell)) for w, cell in zip(widths, row, strict=True)]
    lines = [
        " | ".join(_pad(h, w) for h, w in zip(header, widths, strict=True)).rstrip(),
        "-+-".join("-" * w for w in widths),
    ]
    lines += [
        " | ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip() for row in body
    ]
    return "\n".join(lines)


def _csv_cell(value: object) -> str:
    """Neutralise spreadsheet formulas: scraped text must not execute when opened."""
    text = _text(value)
    if isinstance(value, str) and text.startswith(CSV_FORMULA_PREFIXES):
        return "'" + text
    return text


def format_csv(columns: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([_csv_cell(v) for v in row] for row in rows)
    return buffer.getvalue().rstrip("\n")
