"""Crawl state kept between runs in one SQLite file under the data directory
(`crawl_state.sqlite`, WAL mode).

What it remembers: conditional-GET validators per URL (an unchanged page costs a 304),
blocked sources and gone URLs (a rerun does not hammer them), and the known articles of
every source with when each was last checked (a rerun neither re-requests them nor pages
past the first list page that holds only known ones). Which text belongs to which document
is the parse stage's state (scrapers/parse_state.py).

Every update is its own small transaction, written when it happens: a run costs
O(changes), not a rewrite of everything known, and a crawl killed between two URLs keeps
all it did before. Airflow crawls sources in parallel processes against the same file;
WAL lets them read while one writes, and the busy timeout queues their short writes.

A `crawl_state.json` from before this store is migrated once on open (rows written, the
file renamed to `crawl_state.json.migrated`).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from scrapers.sqlite_store import SqliteStore, transaction

STATE_FILE = "crawl_state.sqlite"
LEGACY_FILE = "crawl_state.json"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS validators (
    url TEXT PRIMARY KEY, etag TEXT NOT NULL DEFAULT '', last_modified TEXT NOT NULL DEFAULT '',
    sha256 TEXT NOT NULL DEFAULT '', content_type TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS blocked (
    source TEXT PRIMARY KEY, reason TEXT NOT NULL, at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS gone (url TEXT PRIMARY KEY, at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    source TEXT NOT NULL, url TEXT NOT NULL, doc_id TEXT NOT NULL, title TEXT,
    first_seen REAL NOT NULL, last_checked REAL NOT NULL, PRIMARY KEY (source, url)
);
CREATE INDEX IF NOT EXISTS articles_by_age ON articles (source, last_checked);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


@dataclass(frozen=True)
class Validator:
    """What a URL answered last time: sent back as If-None-Match / If-Modified-Since."""

    etag: str = ""
    last_modified: str = ""
    sha256: str = ""
    content_type: str = ""


@dataclass(frozen=True)
class KnownArticle:
    url: str  # the source's identity of the article URL
    doc_id: str
    title: str | None
    last_checked: float


class CrawlState(SqliteStore):
    """The crawl state store; one connection per process (and per crawl run). Autocommit:
    each write below is one transaction, committed when the call returns."""

    FILE = STATE_FILE
    LEGACY_FILE = LEGACY_FILE
    SCHEMA = _SCHEMA

    # -- validators -------------------------------------------------------------------
    def validator(self, url: str) -> Validator | None:
        row = self.db.execute(
            "SELECT etag, last_modified, sha256, content_type FROM validators WHERE url = ?",
            (url,),
        ).fetchone()
        return Validator(*row) if row else None

    def set_validator(self, url: str, validator: Validator) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO validators VALUES (?, ?, ?, ?, ?)",
            (
                url,
                validator.etag,
                validator.last_modified,
                validator.sha256,
                validator.content_type,
            ),
        )

    # -- blocked sources and gone URLs --------------------------------------------------
    def blocked_reason(self, source: str, retry_hours: float) -> str | None:
        row = self.db.execute(
            "SELECT reason, at FROM blocked WHERE source = ?", (source,)
        ).fetchone()
        if not row or time.time() - row[1] > retry_hours * 3600:
            return None
        return str(row[0])

    def block(self, source: str, reason: str) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO blocked VALUES (?, ?, ?)", (source, reason, time.time())
        )

    def unblock(self, source: str) -> None:
        self.db.execute("DELETE FROM blocked WHERE source = ?", (source,))

    def is_gone(self, url: str, retry_hours: float) -> bool:
        row = self.db.execute("SELECT at FROM gone WHERE url = ?", (url,)).fetchone()
        return row is not None and time.time() - row[0] <= retry_hours * 3600

    def mark_gone(self, url: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO gone VALUES (?, ?)", (url, time.time()))

    # -- known articles -----------------------------------------------------------------
    def known_urls(self, source: str) -> set[str]:
        """Every article of `source` archived by an earlier run (identities)."""
        rows = self.db.execute("SELECT url FROM articles WHERE source = ?", (source,))
        return {url for (url,) in rows}

    def _rows_among(self, source: str, urls: Iterable[str], columns: str) -> Iterator[tuple]:
        """`columns` of the known articles of `source` among `urls`: indexed look-ups, so
        a run's cost does not grow with the number of known documents."""
        wanted = list(urls)
        for start in range(0, len(wanted), 500):  # below SQLite's bound-parameter limit
            chunk = wanted[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            yield from self.db.execute(
                f"SELECT {columns} FROM articles WHERE source = ? AND url IN ({marks})",
                (source, *chunk),
            )

    def known_among(self, source: str, urls: Iterable[str]) -> set[str]:
        """Which of `urls` (one list page's links) are known articles of `source`."""
        return {url for (url,) in self._rows_among(source, urls, "url")}

    def changed_since_checked(self, source: str, lastmods: dict[str, float]) -> list[KnownArticle]:
        """The known articles of `source` among `lastmods` (identity → a sitemap's lastmod)
        last checked before that lastmod."""
        rows = self._rows_among(source, lastmods, "url, doc_id, title, last_checked")
        return [KnownArticle(*row) for row in rows if row[3] < lastmods[row[0]]]

    def is_known(self, source: str, url: str) -> bool:
        row = self.db.execute(
            "SELECT 1 FROM articles WHERE source = ? AND url = ?", (source, url)
        ).fetchone()
        return row is not None

    def checked(
        self, url: str, source: str, doc_id: str, title: str | None, at: float | None = None
    ) -> None:
        """Record that an article was fetched and archived (or found unchanged) just now."""
        at = time.time() if at is None else at
        self.db.execute(
            """INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?)
               ON CONFLICT (source, url) DO UPDATE SET last_checked = excluded.last_checked,
                   title = coalesce(excluded.title, articles.title)""",
            (source, url, doc_id, title, at, at),
        )

    def due(self, source: str, older_than_days: float, limit: int) -> list[KnownArticle]:
        """The oldest-checked known articles whose last check is older than the given age:
        the rotation that revalidates a bounded number of them each run."""
        cutoff = time.time() - older_than_days * 86400
        rows = self.db.execute(
            """SELECT url, doc_id, title, last_checked FROM articles
               WHERE source = ? AND last_checked < ? ORDER BY last_checked LIMIT ?""",
            (source, cutoff, limit),
        )
        return [KnownArticle(*row) for row in rows]

    def seed_articles(self, articles: Iterable[tuple[str, str, str, str | None, float]]) -> None:
        """Known articles from an archive crawled before this table existed, once: rows of
        (url, source, doc_id, title, fetched_at)."""
        with transaction(self.db):
            if self._meta("articles_seeded"):
                return
            self.db.executemany(
                "INSERT OR IGNORE INTO articles VALUES (?, ?, ?, ?, ?, ?)",
                ((s, u, d, t, at, at) for u, s, d, t, at in articles),
            )
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('articles_seeded', '1')")

    def listing_due(self, source: str, every_days: float) -> bool:
        """Whether the source's lists were last walked to their end longer ago than that."""
        walked = self._meta(f"listed:{source}")
        return walked is None or time.time() - float(walked) >= every_days * 86400

    def listed(self, source: str) -> None:
        """Record a walk of the source's lists to their end."""
        self.db.execute(
            "INSERT OR REPLACE INTO meta VALUES (?, ?)", (f"listed:{source}", str(time.time()))
        )

    def articles_seeded(self) -> bool:
        return self._meta("articles_seeded") is not None

    # -- one-time migration -------------------------------------------------------------
    def migrate_json(self, legacy: Path) -> bool:
        """Rows from a `crawl_state.json` (validators, blocked, gone), then rename it; under
        an immediate transaction, so of two processes opening at once only one migrates."""
        with transaction(self.db):
            if not legacy.is_file():
                return False
            data = json.loads(legacy.read_text(encoding="utf-8") or "{}")
            self.db.executemany(
                "INSERT OR REPLACE INTO validators VALUES (?, ?, ?, ?, ?)",
                (
                    (url, *(str(v.get(k, "")) for k in Validator.__dataclass_fields__))
                    for url, v in data.get("validators", {}).items()
                ),
            )
            self.db.executemany(
                "INSERT OR REPLACE INTO blocked VALUES (?, ?, ?)",
                (
                    (name, str(v["reason"]), float(v["at"]))
                    for name, v in data.get("blocked", {}).items()
                ),
            )
            self.db.executemany(
                "INSERT OR REPLACE INTO gone VALUES (?, ?)",
                ((url, float(at)) for url, at in data.get("gone", {}).items()),
            )
            legacy.rename(legacy.with_name(legacy.name + ".migrated"))
        return True
