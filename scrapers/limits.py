"""Per-document resource ceilings, enforced where the bytes are opened.

The open web sends pages nested 100,000 deep, DOCX files that unpack a thousandfold and
PDFs of thousands of pages. Each ceiling here is checked before the expensive work it
guards, and a document that crosses one fails alone with an error naming the limit, so
the rest of the run lands. Deep HTML nesting is flattened rather than refused: browsers
do the same (Chromium stops nesting at 512) and the text survives.
"""

from __future__ import annotations

import io
import re
import time
import zipfile
from dataclasses import dataclass

MIB = 2**20


class UnparseableError(ValueError):
    """Bytes that no parser can turn into text; the message says why."""


class LimitExceeded(UnparseableError):
    """A document crossed a resource ceiling; the message names the limit."""

    def __init__(self, limit: str, value: float, maximum: float, unit: str) -> None:
        super().__init__(
            f"over the {limit} limit: {_number(value)} {unit} (at most {_number(maximum)})"
        )
        self.parts = (limit, value, maximum, unit)

    def __reduce__(self) -> tuple[type[LimitExceeded], tuple[str, float, float, str]]:
        """Rebuilt from its parts when it crosses back from a worker process."""
        return (LimitExceeded, self.parts)


def _number(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() or value > 10 else f"{value:g}"


@dataclass(frozen=True)
class Limits:
    """Ceilings for one document; the defaults are far above any real report."""

    file_bytes: int = 64 * MIB
    html_depth: int = 512
    html_elements: int = 500_000
    text_chars: int = 5_000_000
    zip_entries: int = 1_000
    zip_uncompressed_bytes: int = 100 * MIB
    pdf_pages: int = 1_000
    pdf_seconds: float = 120.0


DEFAULT_LIMITS = Limits()

# Elements that never hold a subtree (void) or that the parser closes on its own when a
# sibling starts (optional end tags): counting them as nesting would misjudge flat pages.
_VOID = "area base br col embed hr img input link meta param source track wbr"
_OPTIONAL_END = "p li dt dd tr td th thead tbody tfoot option optgroup rb rt rp colgroup caption"
_NO_DEPTH = frozenset(f"{_VOID} {_OPTIONAL_END} html head body".split(" "))
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^>]*>")


def _is_nesting(match: re.Match[str]) -> bool:
    return match.group(2).lower() not in _NO_DEPTH and not match.group(0).endswith("/>")


def flatten_deep_html(html: str, limits: Limits = DEFAULT_LIMITS) -> str:
    """`html` with the tags nested deeper than `limits.html_depth` removed, text kept.

    HTML tree builders spend time quadratic in nesting depth (lexbor: 15 s at 100,000),
    so the depth is capped on the raw markup before any parser sees it.
    """
    depth = 0
    elements = 0
    kept: list[str] = []
    start = 0
    for match in _TAG.finditer(html):
        elements += not match.group(1)
        if not _is_nesting(match):
            continue
        if match.group(1):
            deep = depth > limits.html_depth
            depth = max(depth - 1, 0)
        else:
            depth += 1
            deep = depth > limits.html_depth
        if deep:
            kept.append(html[start : match.start()])
            start = match.end()
    if elements > limits.html_elements:
        raise LimitExceeded("html_elements", elements, limits.html_elements, "elements")
    return "".join([*kept, html[start:]]) if kept else html


def check_text(text: str, limits: Limits = DEFAULT_LIMITS) -> None:
    if len(text) > limits.text_chars:
        raise LimitExceeded("text_chars", len(text), limits.text_chars, "characters")


def check_zip(data: bytes, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse a zip (DOCX) whose entries would unpack past the ceilings, before unpacking.

    zipfile stops every entry at its declared size and checks its CRC, so the declared
    sizes bound what reading can produce.
    """
    try:
        entries = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except zipfile.BadZipFile as exc:
        raise UnparseableError(f"corrupt DOCX: {exc}") from exc
    if len(entries) > limits.zip_entries:
        raise LimitExceeded("zip_entries", len(entries), limits.zip_entries, "entries")
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > limits.zip_uncompressed_bytes:
        limit = limits.zip_uncompressed_bytes
        raise LimitExceeded("zip_uncompressed_bytes", unpacked, limit, "bytes unpacked")


def check_pdf_pages(pages: int, limits: Limits = DEFAULT_LIMITS) -> None:
    if pages > limits.pdf_pages:
        raise LimitExceeded("pdf_pages", pages, limits.pdf_pages, "pages")


class PdfClock:
    """Wall-clock budget for reading one PDF, checked between pages."""

    def __init__(self, limits: Limits = DEFAULT_LIMITS) -> None:
        self.limits = limits
        self.started = time.monotonic()

    def check(self, page_number: int) -> None:
        spent = time.monotonic() - self.started
        if spent > self.limits.pdf_seconds:
            unit = f"seconds spent by page {page_number}"
            raise LimitExceeded("pdf_seconds", spent, self.limits.pdf_seconds, unit)
