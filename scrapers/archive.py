"""The raw archive: every response body kept once by content hash, every request logged.

Layout under `settings.archive_dir` (documented in scrapers/README.md):
- `blobs/<sha[:2]>/<sha>`: the exact bytes received, never rewritten (content-addressed),
- `responses.jsonl`: one line per archived response (url, fetched_at, status, headers,
  sha256, bytes), so any figure traces back to the exact bytes and headers fetched,
- `fetches.jsonl`: one line per request attempt outcome (the crawl log, `landing.fetches`).
Re-parsing reads blobs, so re-extraction never needs a re-crawl.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path


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
        self._append("fetches.jsonl", asdict(entry))

    def _append(self, name: str, record: dict) -> None:
        """One write per line in append mode: parallel crawl tasks never interleave lines."""
        line = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
        with (self.root / name).open("ab", buffering=0) as handle:
            handle.write(line)
