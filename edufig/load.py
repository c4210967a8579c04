"""Landing tables: parsed documents, their figures and the crawl log, copied into DuckDB.

Loading is keyed by document: a document whose content hash and extractor version are
unchanged is skipped (told from its figure file's first line alone while the parsed file
keeps the stamp recorded there); a changed one has its figures replaced in the same
transaction, so a crash mid-load leaves the previous state intact and a rerun finishes the
job. The crawl log is read from where the last load stopped (`meta.loaded_logs`). When the
parsed and figure folders are as the last load that left the landing current found them
(`load_scan` in `meta.stage_fingerprints`, edufig.core.folder_stamps), no document file is
opened at all.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from edufig.core import landing_fingerprint
from edufig.core.config import FETCH_LOG, Settings, StageResult, timed
from edufig.core.figure_files import (
    figure_file,
    read_figure_file,
    read_figure_meta,
    stamped_from,
)
from edufig.core.folder_stamps import (
    SCAN_SKIPPED,
    FolderStamp,
    read_stamp,
    scan_record,
    unchanged_documents,
)
from edufig.core.records import ParsedDocument
from edufig.core.warehouse import writer
from edufig.review.landing import REVIEW_DECISIONS_DDL, copy_decisions

LANDING_DDL = """
CREATE SCHEMA IF NOT EXISTS landing;
CREATE TABLE IF NOT EXISTS landing.documents (
    doc_id VARCHAR PRIMARY KEY, sha256 VARCHAR NOT NULL, source VARCHAR, url VARCHAR,
    fetched_at TIMESTAMP, http_status INTEGER, content_type VARCHAR, encoding VARCHAR,
    title VARCHAR, publisher VARCHAR, published_date DATE, doc_number VARCHAR,
    index_number VARCHAR, doc_type VARCHAR, region_name VARCHAR, region_code VARCHAR,
    province VARCHAR, parse_status VARCHAR, parse_error VARCHAR, text_chars INTEGER,
    figure_count INTEGER, extractor_version VARCHAR, loaded_at TIMESTAMP NOT NULL,
    reference_year INTEGER, reference_year_basis VARCHAR
);
CREATE TABLE IF NOT EXISTS landing.figures (
    figure_id VARCHAR PRIMARY KEY, doc_id VARCHAR NOT NULL, doc_sha256 VARCHAR NOT NULL,
    ordinal INTEGER NOT NULL, metric VARCHAR NOT NULL, level VARCHAR NOT NULL,
    year INTEGER, period_start INTEGER, kind VARCHAR NOT NULL, value DOUBLE NOT NULL,
    unit VARCHAR NOT NULL, qualifier VARCHAR, yoy_change DOUBLE, yoy_growth_pct DOUBLE,
    region VARCHAR, region_code VARCHAR, text VARCHAR, start_offset INTEGER,
    end_offset INTEGER, loaded_at TIMESTAMP NOT NULL, scope VARCHAR, confidence DOUBLE
);
ALTER TABLE landing.documents ADD COLUMN IF NOT EXISTS reference_year INTEGER;
ALTER TABLE landing.documents ADD COLUMN IF NOT EXISTS reference_year_basis VARCHAR;
ALTER TABLE landing.figures ADD COLUMN IF NOT EXISTS scope VARCHAR;
ALTER TABLE landing.figures ADD COLUMN IF NOT EXISTS confidence DOUBLE;
ALTER TABLE landing.documents ADD COLUMN IF NOT EXISTS parser_version VARCHAR;
CREATE TABLE IF NOT EXISTS landing.fetches (
    url VARCHAR NOT NULL, source VARCHAR, fetched_at TIMESTAMP NOT NULL, status INTEGER,
    outcome VARCHAR, sha256 VARCHAR, bytes BIGINT, error VARCHAR,
    PRIMARY KEY (url, fetched_at)
);
"""

DOCUMENT_COLUMNS = [
    "doc_id", "sha256", "source", "url", "fetched_at", "http_status", "content_type",
    "encoding", "title", "publisher", "published_date", "doc_number", "index_number",
    "doc_type", "region_name", "region_code", "province", "parse_status", "parse_error",
    "text_chars", "figure_count", "extractor_version", "loaded_at", "reference_year",
    "reference_year_basis", "parser_version",
]  # fmt: skip
FIGURE_COLUMNS = [
    "figure_id", "doc_id", "doc_sha256", "ordinal", "metric", "level", "year",
    "period_start", "kind", "value", "unit", "qualifier", "yoy_change", "yoy_growth_pct",
    "region", "region_code", "text", "start_offset", "end_offset", "loaded_at", "scope",
    "confidence",
]  # fmt: skip
FETCH_COLUMNS = ["url", "source", "fetched_at", "status", "outcome", "sha256", "bytes", "error"]
# How far each append-only archive log has been loaded: (bytes, sha256 of its first line).
LogPosition = tuple[int, str]
LOADED_LOGS_DDL = """
CREATE SCHEMA IF NOT EXISTS meta;
CREATE TABLE IF NOT EXISTS meta.loaded_logs (
    log VARCHAR PRIMARY KEY, loaded_bytes BIGINT NOT NULL, first_line_sha256 VARCHAR NOT NULL
);
"""


@contextmanager
def landing_writer(settings: Settings) -> Iterator[duckdb.DuckDBPyConnection]:
    """The warehouse's write connection with the landing tables in place."""
    with writer(settings) as con:
        con.execute(LANDING_DDL)
        con.execute(REVIEW_DECISIONS_DDL)
        con.execute(LOADED_LOGS_DDL)
        yield con


def figure_id(doc_id: str, sha256: str, ordinal: int) -> str:
    return hashlib.sha1(f"{doc_id}|{sha256}|{ordinal}".encode()).hexdigest()


# meta.stage_fingerprints: the document folders' stamp after a load that left the landing
# as the files say (edufig.core.folder_stamps)
LOAD_SCAN = "load_scan"
Versions = tuple[str, str | None, str]  # document bytes, parser version, extractor version


def _loaded_versions(con: duckdb.DuckDBPyConnection) -> dict[str, Versions]:
    rows = con.execute(
        "SELECT doc_id, sha256, parser_version, extractor_version FROM landing.documents"
    )
    return {doc_id: (sha, parser, extractor) for doc_id, sha, parser, extractor in rows.fetchall()}


def _document_row(doc: ParsedDocument, figures: list[dict], meta: dict, now: datetime) -> dict:
    row = {k: v for k, v in asdict(doc).items() if k in DOCUMENT_COLUMNS}
    n_figures, version = len(figures), meta.get("extractor_version", "")
    row.update(
        reference_year=meta.get("reference_year"),
        reference_year_basis=meta.get("reference_year_basis"),
        fetched_at=doc.fetched_at or None,
        published_date=doc.published_date or None,
        text_chars=len(doc.text),
        figure_count=n_figures,
        extractor_version=version,
        loaded_at=now,
    )
    return row


def _figure_rows(doc: ParsedDocument, figures: list[dict], now: datetime) -> list[dict]:
    rows = []
    for ordinal, fig in enumerate(figures):
        row = {k: fig.get(k) for k in FIGURE_COLUMNS if k in fig}
        row.update(
            figure_id=figure_id(doc.doc_id, doc.sha256, ordinal),
            doc_id=doc.doc_id,
            doc_sha256=doc.sha256,
            ordinal=ordinal,
            start_offset=fig.get("start"),
            end_offset=fig.get("end"),
            loaded_at=now,
        )
        rows.append(row)
    return rows


def _insert(con: duckdb.DuckDBPyConnection, table: str, columns: list[str], rows: list[dict]):
    if not rows:
        return
    frame = pd.DataFrame(rows, columns=columns)  # noqa: F841 - read by DuckDB's replacement scan
    con.execute(
        f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(columns)} FROM frame"
    )


def _unchanged_by_stamp(settings: Settings, path: Path, loaded: dict[str, Versions]) -> bool:
    """The loaded versions are those the figure file records for this very parsed file."""
    meta = read_figure_meta(figure_file(settings, path.stem))
    recorded = (meta.get("sha256"), meta.get("parser_version"), meta.get("extractor_version"))
    return loaded.get(path.stem) == recorded and stamped_from(meta, path)


def _changed_documents(
    settings: Settings, loaded: dict[str, Versions], result: StageResult
) -> Iterator[tuple[ParsedDocument, list[dict], dict]]:
    for path in sorted(settings.parsed_dir.glob("*.json")):
        try:
            if _unchanged_by_stamp(settings, path, loaded):
                result.add("documents_unchanged")
                continue
            doc = ParsedDocument.load(path)
            meta, figures = read_figure_file(figure_file(settings, doc.doc_id))
        except (OSError, ValueError) as exc:
            result.errors.append(f"{path.name}: cannot load: {exc}")
            continue
        current = (meta.get("sha256"), meta.get("parser_version")) == (
            doc.sha256,
            doc.parser_version,
        )
        version = meta.get("extractor_version", "") if current else ""
        if loaded.get(doc.doc_id) == (doc.sha256, doc.parser_version, version):
            result.add("documents_unchanged")
            continue
        yield doc, figures if version else [], meta if version else {}


def _scan_skipped(con: duckdb.DuckDBPyConnection, stamp: FolderStamp, result: StageResult):
    """Whether the document folders are as the last load that left the landing current
    found them (its record is in the warehouse: a new warehouse scans)."""
    record = landing_fingerprint.recorded_on(con).get(LOAD_SCAN)
    documents = unchanged_documents(record, stamp, LOAD_SCAN)
    if documents is None:
        return False
    result.add("documents_unchanged", documents)
    result.counts[SCAN_SKIPPED] = 1
    return True


def _record_scan(con: duckdb.DuckDBPyConnection, stamp: FolderStamp, documents: int) -> None:
    con.execute(landing_fingerprint.STATE_DDL)
    landing_fingerprint.record_on(con, {LOAD_SCAN: scan_record(stamp, LOAD_SCAN, documents)})


def _load_documents(con: duckdb.DuckDBPyConnection, settings: Settings, result: StageResult):
    stamp = read_stamp((settings.parsed_dir, settings.figures_dir))
    if _scan_skipped(con, stamp, result):
        return
    errors, unchanged = len(result.errors), result.counts.get("documents_unchanged", 0)
    now = datetime.now(UTC).replace(tzinfo=None)
    doc_rows, figure_rows, doc_ids = [], [], []
    for doc, figures, meta in _changed_documents(settings, _loaded_versions(con), result):
        doc_ids.append(doc.doc_id)
        doc_rows.append(_document_row(doc, figures, meta, now))
        figure_rows.extend(_figure_rows(doc, figures, now))
    if doc_ids:
        ids = pd.DataFrame({"doc_id": doc_ids})  # noqa: F841 - read by DuckDB's replacement scan
        con.execute("DELETE FROM landing.figures WHERE doc_id IN (SELECT doc_id FROM ids)")
        con.execute("DELETE FROM landing.documents WHERE doc_id IN (SELECT doc_id FROM ids)")
        _insert(con, "landing.documents", DOCUMENT_COLUMNS, doc_rows)
        _insert(con, "landing.figures", FIGURE_COLUMNS, figure_rows)
        result.add("documents_loaded", len(doc_rows))
    if len(result.errors) == errors:  # every document is in the landing as its files say
        scanned = result.counts.get("documents_unchanged", 0) - unchanged + len(doc_rows)
        _record_scan(con, stamp, scanned)


def _new_log_lines(path: Path, position: LogPosition | None) -> tuple[list[bytes], LogPosition]:
    """The complete lines appended to `path` since `position`, and the position after them.
    A log whose first line changed or that shrank was replaced: it is read from the start
    (rows already landed are not inserted twice). A line still being written waits."""
    with path.open("rb") as handle:
        first_line = hashlib.sha256(handle.readline()).hexdigest()
        size = handle.seek(0, 2)
        start = 0
        if position and position[1] == first_line and position[0] <= size:
            start = position[0]
        handle.seek(start)
        data = handle.read()
    end = data.rfind(b"\n") + 1
    return data[:end].splitlines(), (start + end, first_line)


def _fetch_rows(path: Path, lines: list[bytes], result: StageResult) -> list[dict]:
    rows = []
    for line in filter(bytes.strip, lines):
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:  # one damaged line does not hold back the rest
            result.errors.append(f"{path}: a crawl log line is not JSON ({exc.msg}): {line[:80]!r}")
            continue
        rows.append({k: record.get(k) for k in FETCH_COLUMNS})
    return rows


def _load_fetches(con: duckdb.DuckDBPyConnection, settings: Settings, result: StageResult):
    """The crawl log's new lines only: it is append-only and grows with every crawl, so
    where loading stopped is kept beside the landing (in the same transaction)."""
    path = settings.archive_dir / FETCH_LOG
    if not path.exists():
        return
    position = con.execute(
        "SELECT loaded_bytes, first_line_sha256 FROM meta.loaded_logs WHERE log = ?", [FETCH_LOG]
    ).fetchone()
    lines, after = _new_log_lines(path, position)
    rows = _fetch_rows(path, lines, result)
    con.execute("INSERT OR REPLACE INTO meta.loaded_logs VALUES (?, ?, ?)", [FETCH_LOG, *after])
    if not rows:
        return
    frame = pd.DataFrame(rows, columns=FETCH_COLUMNS)  # noqa: F841 - replacement scan
    before = con.execute("SELECT count(*) FROM landing.fetches").fetchone()[0]
    con.execute(
        """INSERT INTO landing.fetches
           SELECT DISTINCT ON (url, CAST(fetched_at AS TIMESTAMP)) url, source,
                  CAST(fetched_at AS TIMESTAMP), status, outcome, sha256, bytes, error
           FROM frame
           WHERE NOT EXISTS (SELECT 1 FROM landing.fetches f WHERE f.url = frame.url
                             AND f.fetched_at = CAST(frame.fetched_at AS TIMESTAMP))"""
    )
    after_rows = con.execute("SELECT count(*) FROM landing.fetches").fetchone()[0]
    result.add("fetches_loaded", after_rows - before)


def load(settings: Settings) -> StageResult:
    """Copy new or changed documents, their figures, the crawl log and new review decisions
    into landing.*."""
    result = StageResult("load")
    with timed(result):
        settings.ensure_dirs()
        with landing_writer(settings) as con:
            try:
                con.execute("BEGIN TRANSACTION")
                _load_documents(con, settings, result)
                _load_fetches(con, settings, result)
                copy_decisions(con, settings, result)
                con.execute("COMMIT")
            except Exception:
                con.execute("ROLLBACK")
                raise
    return result
