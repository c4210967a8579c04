"""The records that cross stage boundaries.

Stages exchange data, not calls: the crawler writes raw snapshots, parsing writes
`ParsedDocument` JSON files, extraction writes `Figure` JSONL files, loading copies both
into DuckDB landing tables. Keeping these shapes in one module is what lets the CLI and
the Airflow tasks run any stage alone.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

KINDS = ("actual", "target")
QUALIFIERS = ("exact", "approx", "at_least", "at_most")
LEVELS = (
    "all",
    "preschool",
    "primary",
    "junior_secondary",
    "compulsory",
    "senior_secondary",
    "general_senior_secondary",
    "secondary_vocational",
    "special",
    "higher",
)
UNITS = ("yuan", "person", "person_time", "count", "percent", "ratio")
SCOPES = (
    "private",
    "public",
    "rural",
    "urban",
    "boarding",
    "fresh_graduates",
    "minority",
    "migrant",
    "left_behind",
)


@dataclass
class Figure:
    """One extracted figure: the spec's JSON object (shared/spec/README.md).

    `scope` names the part of the population a figure covers (null: all of it); scoped
    figures are kept apart from whole-population facts. `confidence` (0-1) is how sure
    the extractor is of metric, level and year together; both may be absent in
    hand-written references.
    """

    doc_id: str
    metric: str
    level: str
    year: int | None
    period_start: int | None
    kind: str
    value: float
    unit: str
    qualifier: str
    yoy_change: float | None
    yoy_growth_pct: float | None
    region: str | None
    region_code: str | None
    text: str
    start: int
    end: int
    scope: str | None = None
    confidence: float | None = None

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Figure:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


@dataclass
class ParsedDocument:
    """A document's text and metadata, as parsing leaves it for extraction.

    `text` is what the extractor reads and what figure offsets point into. Tables found in
    HTML/PDF/DOCX are rendered into `text` as lines of cells joined by " | ", the same
    shape scraped tables take, so the extractor has one table format to understand;
    `tables` keeps them as rows too.
    """

    doc_id: str
    text: str
    sha256: str
    source: str = ""
    url: str = ""
    fetched_at: str = ""
    content_type: str = "text/plain"
    encoding: str | None = None
    title: str | None = None
    publisher: str | None = None
    published_date: str | None = None
    doc_number: str | None = None
    index_number: str | None = None
    doc_type: str | None = None
    region_name: str | None = None
    region_code: str | None = None
    province: str | None = None
    http_status: int | None = None
    parse_status: str = "ok"
    parse_error: str | None = None
    tables: list[list[list[str]]] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)
    parser_version: str | None = None  # which parser produced `text` (the parse stage's)
    content_key: str | None = None  # hash of the archived bodies (page, attachments) parsed

    def save(self, path: Path) -> None:
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_text(json.dumps(asdict(self), ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> ParsedDocument:
        data = json.loads(path.read_text(encoding="utf-8"))
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})
