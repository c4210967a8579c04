"""Crawl state kept between runs under the data directory (`crawl_state.json`).

Conditional-GET validators make an unchanged site cost only 304s; blocked sources and gone
URLs are remembered so a rerun does not hammer them. (Which text belongs to which document
is the parse stage's state, `parse_state.json`.)

Airflow crawls sources in parallel tasks sharing this file, so a save merges only this
process's changes (against what it loaded) into the file's current content, under a lock.
"""

from __future__ import annotations

import copy
import fcntl
import json
import os
import time
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path


def _read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def _merge(disk: dict, loaded: dict, mine: dict) -> dict:
    merged = dict(disk)
    merged.update({k: v for k, v in mine.items() if loaded.get(k) != v})
    for key in loaded.keys() - mine.keys():
        merged.pop(key, None)
    return merged


@dataclass
class CrawlState:
    validators: dict[str, dict[str, str]] = field(default_factory=dict)
    blocked: dict[str, dict[str, object]] = field(default_factory=dict)
    gone: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._loaded = copy.deepcopy(asdict(self))

    @classmethod
    def load(cls, path: Path) -> CrawlState:
        data = _read(path)
        return cls(**{f.name: data.get(f.name, {}) for f in fields(cls)})

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.with_suffix(".lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            disk = _read(path)
            mine = asdict(self)
            merged = {
                name: _merge(disk.get(name, {}), self._loaded.get(name, {}), mine[name])
                for name in mine
            }
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(merged, ensure_ascii=False, indent=1), encoding="utf-8")
            tmp.replace(path)
        for name, values in merged.items():
            setattr(self, name, values)
        self._loaded = copy.deepcopy(merged)

    def blocked_reason(self, source: str, retry_hours: float) -> str | None:
        entry = self.blocked.get(source)
        if not entry or time.time() - float(entry["at"]) > retry_hours * 3600:
            return None
        return str(entry["reason"])

    def block(self, source: str, reason: str) -> None:
        self.blocked[source] = {"reason": reason, "at": time.time()}

    def unblock(self, source: str) -> None:
        self.blocked.pop(source, None)

    def is_gone(self, url: str, retry_hours: float) -> bool:
        at = self.gone.get(url)
        return at is not None and time.time() - at <= retry_hours * 3600
