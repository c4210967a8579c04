"""Small helpers shared by the extraction tests."""

from __future__ import annotations

from edufig.core.records import Figure, ParsedDocument
from edufig.extract import extract_figures


def extract(text: str, published: str | None = "2022-06-30", **meta: str) -> list[Figure]:
    """Figures of `text` as a document from a known region (region lookup has its own tests)."""
    meta = {"region_name": "东城区", "region_code": "110101", **meta}
    doc = ParsedDocument(doc_id="t", text=text, sha256="", published_date=published, **meta)
    return extract_figures(doc)


def keys(figures: list[Figure]) -> list[tuple]:
    """(metric, level, year, kind, value) of each figure, the fields scoring matches on."""
    return [(f.metric, f.level, f.year, f.kind, round(f.value, 4)) for f in figures]
