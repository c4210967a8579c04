"""The parse stage's state, kept between runs in one SQLite file under the data directory
(`parse_state.sqlite`, WAL mode; scrapers/sqlite_store.py).

Per document: the archived bytes (content key) and parser version it was parsed from, where
it came from, its text hash and parse error, or the document whose text it repeats. Per
store: how far into the archive's append-only log the stage has read, by which parser
version, and the archived records to try again (their parse failed for a reason other than
their bytes).

A document's row is written when it is parsed, so a run costs O(documents parsed): the JSON
file this replaces was read and rewritten whole by every run that parsed anything (107 MB and
2.8 s at 300,000 documents). A run killed half way keeps the rows of what it parsed; the read
position and the retry list change together, once a run has gone through every document.

A `parse_state.json` from before this store is migrated once on open (rows written, the file
renamed to `parse_state.json.migrated`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import astuple, dataclass, field, fields
from pathlib import Path

from scrapers.archive import LogPosition
from scrapers.sqlite_store import SqliteStore, transaction

STATE_FILE = "parse_state.sqlite"
LEGACY_FILE = "parse_state.json"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY, content_key TEXT, parser_version TEXT,
    crawled INTEGER NOT NULL, location TEXT NOT NULL,
    text_sha256 TEXT, parse_error TEXT, duplicate_of TEXT
);
CREATE INDEX IF NOT EXISTS documents_by_text ON documents (text_sha256)
    WHERE crawled AND duplicate_of IS NULL;
CREATE TABLE IF NOT EXISTS retry (doc_id TEXT PRIMARY KEY, record TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
_ENTRY_COLUMNS = (
    "content_key, parser_version, crawled, location, text_sha256, parse_error, duplicate_of"
)


@dataclass(frozen=True)
class DocumentEntry:
    """What the stage knows of one document; `location` is how errors name it (its file
    for a local document, its URL otherwise)."""

    content_key: str | None
    parser_version: str | None
    crawled: bool
    location: str
    text_sha256: str | None = None
    parse_error: str | None = None
    duplicate_of: str | None = None


@dataclass(frozen=True)
class Unread:
    """The documents a run's part of the log did not mention, as they stand."""

    unchanged: int = 0
    duplicates: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (location, parse error)


class ParseState(SqliteStore):
    """The parse state store; one connection per parse run."""

    FILE = STATE_FILE
    LEGACY_FILE = LEGACY_FILE
    SCHEMA = _SCHEMA

    # -- documents ----------------------------------------------------------------------
    def document(self, doc_id: str) -> DocumentEntry | None:
        row = self.db.execute(
            f"SELECT {_ENTRY_COLUMNS} FROM documents WHERE doc_id = ?", (doc_id,)
        ).fetchone()
        return DocumentEntry(*row[:2], bool(row[2]), *row[3:]) if row else None

    def put(self, doc_id: str, entry: DocumentEntry) -> None:
        """Insert or update in place: a document keeps its place in recording order."""
        self.db.execute(
            f"""INSERT INTO documents (doc_id, {_ENTRY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (doc_id) DO UPDATE SET
                (content_key, parser_version, crawled, location, text_sha256, parse_error,
                 duplicate_of) = (excluded.content_key, excluded.parser_version,
                 excluded.crawled, excluded.location, excluded.text_sha256,
                 excluded.parse_error, excluded.duplicate_of)""",
            (doc_id, *astuple(entry)),
        )

    def owner_of(self, text_sha256: str) -> str | None:
        """The crawled document first recorded with this text (indexed)."""
        row = self.db.execute(
            """SELECT doc_id FROM documents
               WHERE text_sha256 = ? AND crawled AND duplicate_of IS NULL
               ORDER BY rowid LIMIT 1""",
            (text_sha256,),
        ).fetchone()
        return row[0] if row else None

    def unread(self, read: Iterable[str]) -> Unread:
        """Counts of the documents not in `read`, and the parse errors of those that failed,
        in recording order: one pass in SQLite, no document loaded into Python but these."""
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS read_now (doc_id TEXT PRIMARY KEY)")
        self.db.execute("DELETE FROM temp.read_now")
        self.db.executemany("INSERT OR IGNORE INTO temp.read_now VALUES (?)", ((d,) for d in read))
        outside = "doc_id NOT IN (SELECT doc_id FROM temp.read_now)"
        unchanged, duplicates = self.db.execute(
            f"""SELECT count(*) FILTER (WHERE duplicate_of IS NULL),
                       count(*) FILTER (WHERE duplicate_of IS NOT NULL)
                FROM documents WHERE {outside}"""
        ).fetchone()
        failed = self.db.execute(
            f"""SELECT location, parse_error FROM documents
                WHERE parse_error IS NOT NULL AND duplicate_of IS NULL AND {outside}
                ORDER BY rowid"""
        ).fetchall()
        return Unread(unchanged, duplicates, [tuple(row) for row in failed])

    # -- where the log was read to, and what to try again ---------------------------------
    def position_for(self, parser_version: str) -> LogPosition:
        """Where a run starts reading: from the top for a parser the log was not read by."""
        if self._meta("parser_version") != parser_version:
            return LogPosition()
        return LogPosition(self._meta("archive_head") or "", int(self._meta("archive_offset") or 0))

    def parser_version(self) -> str | None:
        return self._meta("parser_version")

    def retry(self) -> dict[str, dict]:
        """doc_id → the archived record (ArchivedDocument as a dict) to parse again."""
        rows = self.db.execute("SELECT doc_id, record FROM retry ORDER BY rowid")
        return {doc_id: json.loads(record) for doc_id, record in rows}

    def advance(self, position: LogPosition, parser_version: str, retry: dict[str, dict]) -> None:
        """After a run went through every document: the new position and retry list, together."""
        with transaction(self.db):
            self._set_position(position, parser_version)
            self._set_retry(retry)

    # -- one-time migration -------------------------------------------------------------
    def migrate_json(self, legacy: Path) -> bool:
        """Rows from a `parse_state.json`, then rename it. A file from before the log offset
        was kept (its documents only) leaves the position empty: the next run reads the log
        once."""
        with transaction(self.db):
            if not legacy.is_file():
                return False
            data = json.loads(legacy.read_text(encoding="utf-8") or "{}")
            nested = "documents" in data  # the format that kept the log position
            for doc_id, entry in (data["documents"] if nested else data).items():
                self.put(doc_id, _legacy_entry(doc_id, entry))
            if nested:
                self._set_retry(data.get("retry", {}))
                if data.get("parser_version"):
                    position = LogPosition(data.get("archive_head", ""), data["archive_offset"])
                    self._set_position(position, data["parser_version"])
            legacy.rename(legacy.with_name(legacy.name + ".migrated"))
        return True

    def _set_position(self, position: LogPosition, parser_version: str) -> None:
        self.db.executemany(
            "INSERT OR REPLACE INTO meta VALUES (?, ?)",
            [
                ("archive_head", position.head),
                ("archive_offset", str(position.offset)),
                ("parser_version", parser_version),
            ],
        )

    def _set_retry(self, retry: dict[str, dict]) -> None:
        self.db.execute("DELETE FROM retry")
        self.db.executemany(
            "INSERT INTO retry VALUES (?, ?)",
            ((d, json.dumps(r, ensure_ascii=False)) for d, r in retry.items()),
        )


def _legacy_entry(doc_id: str, entry: dict) -> DocumentEntry:
    known = {f.name for f in fields(DocumentEntry)}
    values = {k: v for k, v in entry.items() if k in known}
    values["crawled"] = bool(entry.get("crawled"))
    values["location"] = str(entry.get("where") or doc_id)
    return DocumentEntry(**{"content_key": None, "parser_version": None, **values})
