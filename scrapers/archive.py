"""The raw archive: every response body kept once by content hash, every request logged.

Layout under `settings.archive_dir` (documented in scrapers/README.md):
- `blobs/<sha[:2]>/<sha>`: the exact bytes received, never rewritten (content-addressed),
- `responses.jsonl`: one line per archived response (url, fetched_at, status, headers,
  sha256, bytes), so any figure traces back to the exact bytes and headers fetched,
- `fetches.jsonl`: one line per request attempt outcome (the crawl log, `landing.fetches`),
- `documents.jsonl`: one line per archived document version (`ArchivedDocument`): which
  blobs make up a report (page and attachments) and where it came from. The parse stage
  reads this, so re-parsing never needs a re-crawl.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from edufig.core.config import FETCH_LOG


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class FetchLog:
    url: str
    source: str
    fetched_at: str
    status: int | None
    outcome: str  # new / unchanged / failed / blocked / skipped
    sha256: str | None = None
    bytes: int = 0
    error: str | None = None


@dataclass
class ArchivedPart:
    """One archived body of a document: its page or an attachment."""

    url: str
    sha256: str
    content_type: str | None = None
    suffix: str = ""


@dataclass
class ArchivedDocument:
    """What the crawler (or the local ingester) leaves for the parse stage."""

    doc_id: str
    url: str
    source: str
    fetched_at: str
    page: ArchivedPart
    attachments: list[ArchivedPart] = field(default_factory=list)
    attachment_urls: list[str] = field(default_factory=list)  # found, fetched or not
    list_title: str | None = None
    provenance: dict[str, Any] = field(default_factory=dict)  # registry facts, see crawl.py

    @property
    def content_key(self) -> str:
        """The bytes this document is made of: parse again only when this changes."""
        shas = [self.page.sha256, *(a.sha256 for a in self.attachments)]
        return hashlib.sha256(",".join(shas).encode()).hexdigest()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ArchivedDocument:
        data = dict(data)
        data["page"] = ArchivedPart(**data["page"])
        data["attachments"] = [ArchivedPart(**a) for a in data.get("attachments", [])]
        return cls(**data)


@dataclass(frozen=True)
class LogPosition:
    """How far a reader got in documents.jsonl: the hash of the log's first line, which names
    the log (an archive recreated from scratch starts another), and the byte offset."""

    head: str = ""
    offset: int = 0


class Archive:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.blobs = self.root / "blobs"
        self.blobs.mkdir(parents=True, exist_ok=True)

    def _blob_path(self, sha: str) -> Path:
        return self.blobs / sha[:2] / sha

    def has(self, sha: str) -> bool:
        return self._blob_path(sha).is_file()

    def blob(self, sha: str) -> bytes:
        return self._blob_path(sha).read_bytes()

    def store(
        self, url: str, status: int, headers: dict[str, str], body: bytes, fetched_at: str
    ) -> str:
        sha = hashlib.sha256(body).hexdigest()
        path = self._blob_path(sha)
        if not path.is_file():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f"{sha}.{os.getpid()}.tmp")
            tmp.write_bytes(body)
            tmp.replace(path)
        record = {
            "url": url,
            "fetched_at": fetched_at,
            "status": status,
            "headers": headers,
            "sha256": sha,
            "bytes": len(body),
        }
        self._append("responses.jsonl", record)
        return sha

    def log(self, entry: FetchLog) -> None:
        self._append(FETCH_LOG, asdict(entry))

    def add_document(self, document: ArchivedDocument) -> None:
        self._append("documents.jsonl", asdict(document))

    def documents(self) -> list[ArchivedDocument]:
        """The latest version of every archived document, in the order first archived."""
        return self.documents_since(LogPosition())[0]

    def documents_since(self, position: LogPosition) -> tuple[list[ArchivedDocument], LogPosition]:
        """The latest version of each document archived after `position` in documents.jsonl,
        and the position after the last complete line: the log is append-only, so a reader
        that keeps its position reads each line once (a line still being appended is left for
        the next read). A position in another log (the archive recreated) reads from the top."""
        path = self.root / "documents.jsonl"
        if not path.exists():
            return [], LogPosition()
        with path.open("rb") as handle:
            head = hashlib.sha256(handle.readline()).hexdigest()
            start = position.offset if position.head == head else 0
            handle.seek(start)
            tail = handle.read()
        complete = tail[: tail.rfind(b"\n") + 1]
        latest: dict[str, ArchivedDocument] = {}
        for line in complete.decode("utf-8", errors="replace").splitlines():
            try:
                document = ArchivedDocument.from_dict(json.loads(line))
            except (ValueError, TypeError, KeyError):  # a line torn by a kill mid-append
                continue
            latest[document.doc_id] = document
        return list(latest.values()), LogPosition(head, start + len(complete))

    def _append(self, name: str, record: dict) -> None:
        """One write per line in append mode: parallel crawl tasks never interleave lines."""
        line = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
        with (self.root / name).open("ab", buffering=0) as handle:
            handle.write(line)
