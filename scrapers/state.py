"""Crawl state kept between runs under the data directory (`crawl_state.json`).

Conditional-GET validators make an unchanged site cost only 304s; the document index
(doc_id → sha of its text, text sha → doc_id) makes a report reached by two URLs one
document; blocked sources and gone URLs are remembered so a rerun does not hammer them.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass
class CrawlState:
    validators: dict[str, dict[str, str]] = field(default_factory=dict)
    documents: dict[str, dict[str, str]] = field(default_factory=dict)
    text_index: dict[str, str] = field(default_factory=dict)
    blocked: dict[str, dict[str, object]] = field(default_factory=dict)
    gone: dict[str, float] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> CrawlState:
        if not path.is_file():
            return cls()
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(path)

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
