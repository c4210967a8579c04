"""Review decisions: their own SQLite file, never the pipeline's DuckDB write path.

The web application answers a reviewer only after the decision's transaction has committed
to a WAL-mode SQLite file with synchronous=FULL, so an acknowledged decision survives a crash
of either side. The pipeline only ever reads this file (the load stage copies it into
`landing.review_decisions`), and a WAL reader neither waits for nor blocks the writer, so a
pipeline run and a burst of review actions never wait on each other.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from pathlib import Path

from edufig.core.config import Settings

ACTIONS = ("confirm", "dismiss", "correct")
DISMISS_REASONS = {
    "expected": "数值确实如此(并非问题)",
    "different_scope": "两个数值统计口径不同",
    "misread": "数值被系统读错(抽取错误)",
    "other": "其他原因",
}
BUSY_TIMEOUT_SECONDS = 30

SCHEMA = """
CREATE TABLE IF NOT EXISTS decisions (
    decision_id INTEGER PRIMARY KEY AUTOINCREMENT,
    flag_id TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('confirm', 'dismiss', 'correct')),
    reason TEXT,
    note TEXT,
    figure_id TEXT,
    doc_id TEXT,
    corrected_value REAL,
    correction_source TEXT,
    reviewer TEXT NOT NULL,
    province_code TEXT,
    region_code TEXT,
    metric TEXT,
    level TEXT,
    year INTEGER,
    kind TEXT,
    unit TEXT,
    flag_doc_ids TEXT,
    values_json TEXT,
    decided_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS decisions_flag ON decisions (flag_id, decision_id);
"""


@dataclass(frozen=True)
class Decision:
    """One reviewer's answer to one flag; the flag's key is copied so the warehouse can apply
    it without the flag (a misread figure removed from the marts also removes its flag)."""

    flag_id: str
    action: str
    reviewer: str
    reason: str | None = None
    note: str | None = None
    figure_id: str | None = None
    doc_id: str | None = None
    corrected_value: float | None = None
    correction_source: str | None = None
    province_code: str | None = None
    region_code: str | None = None
    metric: str | None = None
    level: str | None = None
    year: int | None = None
    kind: str | None = None
    unit: str | None = None
    flag_doc_ids: str | None = None
    values_json: str | None = None
    decided_at: str | None = None
    decision_id: int | None = None

    def __post_init__(self) -> None:
        if self.action not in ACTIONS:
            raise ValueError(f"unknown review action {self.action!r}; use one of {ACTIONS}")
        if self.action == "dismiss" and self.reason not in DISMISS_REASONS:
            raise ValueError(f"a dismissal needs a reason, one of {sorted(DISMISS_REASONS)}")
        if self.reason == "misread" and not self.figure_id:
            raise ValueError("a misread dismissal must name the misread figure")
        needs_source = self.corrected_value is None or not self.correction_source
        if self.action == "correct" and needs_source:
            raise ValueError("a correction needs the right value and its source")

    @property
    def misread(self) -> bool:
        return self.action == "dismiss" and self.reason == "misread"


DECISION_COLUMNS = tuple(f.name for f in fields(Decision))


def decisions_path(settings: Settings) -> Path:
    """EDUFIG_REVIEW_DB, else <data-dir>/review/decisions.sqlite3."""
    configured = os.environ.get("EDUFIG_REVIEW_DB")
    return Path(configured) if configured else settings.data_dir / "review" / "decisions.sqlite3"


@contextmanager
def _connect(path: Path) -> Iterator[sqlite3.Connection]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)) as con:
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=FULL")
        con.row_factory = sqlite3.Row
        yield con


class DecisionStore:
    """Append-only log of decisions; the latest decision of a flag is the one in force."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        with _connect(self.path) as con:
            con.executescript(SCHEMA)

    def record(self, decision: Decision) -> Decision:
        """Commit one decision (its own transaction) and return it with id and time."""
        now = datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="seconds")
        row = asdict(decision) | {"decided_at": now}
        row.pop("decision_id")
        columns = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        with _connect(self.path) as con:
            con.execute("BEGIN IMMEDIATE")
            cursor = con.execute(
                f"INSERT INTO decisions ({columns}) VALUES ({marks})", list(row.values())
            )
            con.execute("COMMIT")
        return Decision(**row, decision_id=cursor.lastrowid)

    def _select(self, where: str = "TRUE", params: tuple = ()) -> list[Decision]:
        with _connect(self.path) as con:
            rows = con.execute(
                f"SELECT * FROM decisions WHERE {where} ORDER BY decision_id", params
            ).fetchall()
        return [Decision(**{k: row[k] for k in DECISION_COLUMNS}) for row in rows]

    def all(self) -> list[Decision]:
        return self._select()

    def history(self, flag_id: str) -> list[Decision]:
        return self._select("flag_id = ?", (flag_id,))

    def latest(self) -> dict[str, Decision]:
        """The decision in force per flag (its most recent one)."""
        in_force = self._select(
            "decision_id IN (SELECT max(decision_id) FROM decisions GROUP BY flag_id)"
        )
        return {d.flag_id: d for d in in_force}
