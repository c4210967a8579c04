"""What the review pages read: the published snapshot and the pipeline's files, read-only.

The web application never opens the pipeline's warehouse: it reads the read-only snapshot
that publish swaps in by atomic rename (dq flags, marts), the alerts' snapshot (flag ages),
the parsed documents' text and the figure files, so it neither waits for nor blocks a run.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise

import duckdb

from edufig.alerts.flag_routing import Flag, flags_table_exists, read_flags
from edufig.core.config import Settings
from edufig.core.figure_files import figure_file, read_figure_file
from edufig.core.records import ParsedDocument
from edufig.core.warehouse import (
    ALERTS_SNAPSHOT_NAME,
    has_table,
    read_only_connection,
    snapshot_path,
)
from edufig.load import figure_id

MAX_TEXT_CHARS = 300_000
DOC_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,200}$")


class NotPublished(LookupError):
    """No snapshot yet: the pipeline has not published."""


@contextmanager
def snapshot(settings: Settings) -> Iterator[duckdb.DuckDBPyConnection]:
    path = snapshot_path(settings)
    if not path.exists():
        raise NotPublished(f"{path}: 尚无发布的数据快照,请先运行 edufig run")
    config = {"enable_external_access": False}
    with duckdb.connect(str(path), read_only=True, config=config) as con:
        yield con


def current_flags(settings: Settings) -> list[Flag]:
    with snapshot(settings) as con:
        return read_flags(con) if flags_table_exists(con) else []


def first_seen(settings: Settings) -> dict[str, datetime]:
    """When each flag was first raised: alerts.flag_state in the alerts stage's snapshot,
    which every alerts run replaces (none yet: no ages)."""
    path = snapshot_path(settings, ALERTS_SNAPSHOT_NAME)
    if not path.exists():
        return {}
    with read_only_connection(path) as con:
        if not has_table(con, "alerts", "flag_state"):
            return {}
        return dict(con.execute("SELECT flag_id, first_seen FROM alerts.flag_state").fetchall())


def query(settings: Settings, sql: str, params: list | None = None) -> list[dict]:
    with snapshot(settings) as con:
        cursor = con.execute(sql, params or [])
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@dataclass(frozen=True)
class DocumentFigure:
    figure_id: str
    ordinal: int
    metric: str
    level: str
    year: int | None
    kind: str
    value: float
    unit: str
    start: int
    end: int
    confidence: float | None = None

    @classmethod
    def sentence(cls, start: int, end: int) -> DocumentFigure:
        """A span found by its text, for evidence whose figure is no longer extracted."""
        return cls("", -1, "", "", None, "", 0.0, "", start, end)


def load_document(settings: Settings, doc_id: str) -> ParsedDocument | None:
    """The parsed document, or None for an unknown or malformed id (never a path outside)."""
    if not DOC_ID.match(doc_id):
        return None
    path = settings.parsed_dir / f"{doc_id}.json"
    return ParsedDocument.load(path) if path.is_file() else None


def document_figures(settings: Settings, doc: ParsedDocument) -> list[DocumentFigure]:
    """Every figure extracted from this version of the document, with its landing id."""
    path = figure_file(settings, doc.doc_id)
    if not path.is_file():
        return []
    meta, figures = read_figure_file(path)
    if meta.get("sha256") != doc.sha256:
        return []
    return [
        DocumentFigure(
            figure_id(doc.doc_id, doc.sha256, ordinal),
            ordinal,
            fig["metric"],
            fig["level"],
            fig.get("year"),
            fig["kind"],
            fig["value"],
            fig["unit"],
            int(fig["start"]),
            int(fig["end"]),
            fig.get("confidence"),
        )
        for ordinal, fig in enumerate(figures)
    ]


@dataclass(frozen=True)
class Segment:
    """A run of document text; `figures` are the figures whose evidence covers it."""

    text: str
    start: int
    figures: tuple[DocumentFigure, ...] = ()

    @property
    def starting(self) -> tuple[DocumentFigure, ...]:
        """Figures whose evidence begins here: where their anchors go."""
        return tuple(f for f in self.figures if f.start == self.start)


def highlight(text: str, figures: list[DocumentFigure]) -> list[Segment]:
    """The text cut at every evidence boundary, so overlapping evidence stays visible."""
    text = text[:MAX_TEXT_CHARS]
    spans = [f for f in figures if 0 <= f.start < f.end <= len(text)]
    cuts = sorted({0, len(text), *(f.start for f in spans), *(f.end for f in spans)})
    segments = []
    for begin, end in pairwise(cuts):
        covering = tuple(f for f in spans if f.start <= begin and end <= f.end)
        segments.append(Segment(text[begin:end], begin, covering))
    return segments
