"""The SQLite files the scrapers keep their state in (crawl state, parse state).

One file per store under the data directory, in WAL mode, so readers never wait for the
writer and a process killed mid-write leaves the last committed state; autocommit, so every
write outside `transaction` is its own short transaction, written when it happens.
"""

from __future__ import annotations

import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar, Self


def open_store(path: Path, schema: str) -> sqlite3.Connection:
    """The store at `path` (created with `schema` if new); parallel processes queue their
    writes behind the busy timeout."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=60, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")  # WAL: durable at checkpoints, never torn
    db.executescript(schema)
    return db


@contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[None]:
    """BEGIN IMMEDIATE … COMMIT: takes the write lock up front, rolls back on error."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


class SqliteStore(ABC):
    """A store in its own file under the data directory, with a `meta` table of key → value
    and a JSON file of an older version to migrate once (`migrate_json`)."""

    FILE: ClassVar[str]
    LEGACY_FILE: ClassVar[str]
    SCHEMA: ClassVar[str]

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.db = open_store(self.path, self.SCHEMA)

    @classmethod
    def open(cls, data_dir: Path) -> Self:
        """The store under `data_dir`, with a legacy JSON file migrated into it. The file is
        looked for before any write lock is taken (it is renamed once migrated, never made
        again), and again under the lock by `migrate_json`, so a concurrent open migrates
        nothing twice."""
        store = cls(Path(data_dir) / cls.FILE)
        legacy = Path(data_dir) / cls.LEGACY_FILE
        if legacy.is_file():
            store.migrate_json(legacy)
        return store

    @abstractmethod
    def migrate_json(self, legacy: Path) -> bool:
        """Rows from `legacy` if it exists, then rename it; whether there was one."""

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None
