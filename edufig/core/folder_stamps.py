"""Whether the document folders changed since a scan found every document current.

Extract and load decide per document whether its figures or landing rows are stale, which
opens every document's files on every run: O(documents) when nothing changed (~12 s a stage
at 300,000 documents). Every writer replaces a file by rename (`ParsedDocument.save`,
`edufig.core.figure_files`), and a rename, a new file or a deletion updates the folder's
modification time, so folders with the times they had mean the same files. A scan that left
everything current records the times read before it began; a later run that reads the same
times, with the same code version, skips the scan.

A time less than RACY_SECONDS old when read is not recorded (git treats a racily clean
index entry the same way): a rename later in the same clock tick would leave it unchanged.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

RACY_SECONDS = 2.0
SCAN_SKIPPED = "scan_skipped"  # the count a stage reports when it skipped the scan


@dataclass(frozen=True)
class FolderStamp:
    """The folders' modification times (ns), read at `read_at` (wall clock, ns)."""

    times: tuple[int, ...]
    read_at: int

    def key(self, version: str) -> str:
        return f"{version}|{','.join(map(str, self.times))}"

    @property
    def settled(self) -> bool:
        """Every folder last changed long enough before the reading to be trusted later."""
        return all(self.read_at - t >= RACY_SECONDS * 1e9 for t in self.times)


def read_stamp(folders: Iterable[Path]) -> FolderStamp:
    """Missing folders read as time 0: creating one changes the stamp."""
    now = time.time_ns()
    times = tuple(p.stat().st_mtime_ns if p.is_dir() else 0 for p in folders)
    return FolderStamp(times, now)


def recordable(stamp: FolderStamp, version: str) -> str | None:
    """The stamp's key, or None when it is too recent to be trusted (the next run scans
    again)."""
    return stamp.key(version) if stamp.settled else None


def scan_record(stamp: FolderStamp, version: str, documents: int) -> str | None:
    """What a scan that left every document current records (None: nothing to record)."""
    key = recordable(stamp, version)
    return json.dumps({"key": key, "documents": documents}) if key else None


def unchanged_documents(record: str | None, stamp: FolderStamp, version: str) -> int | None:
    """The documents a recorded scan found current, when the folders still have its stamp;
    None: scan."""
    try:
        saved = json.loads(record) if record else {}
    except ValueError:
        return None
    return int(saved["documents"]) if saved.get("key") == stamp.key(version) else None
