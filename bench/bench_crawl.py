"""Benchmark: a full crawl of the offline mirror, then a no-change crawl of the same mirror.

Prints JSON with requests, bytes downloaded, seconds and documents for both runs. Not part
of the test suite: timings depend on the machine. Usage: `python bench/bench_crawl.py`.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

from edufig.core.config import Settings, StageResult
from scrapers.crawl import crawl_sources
from scrapers.mirror import serve_mirror
from scrapers.parse_stage import parse_archive


def _summary(result: StageResult, seconds: float) -> dict[str, float | int]:
    keys = ("requests", "bytes", "fetched", "new", "unchanged", "documents", "failed", "blocked")
    return {"seconds": round(seconds, 3), **{k: result.counts.get(k, 0) for k in keys}}


def run() -> dict[str, dict[str, float | int]]:
    with tempfile.TemporaryDirectory() as tmp, serve_mirror() as mirror:
        settings = Settings(warehouse=Path(tmp) / "warehouse.duckdb")
        sources = mirror.sources()
        report = {}
        for label in ("full", "no_change"):
            start = time.perf_counter()
            result = crawl_sources(sources, settings)
            for key, value in parse_archive(settings).counts.items():
                result.add(key, value)
            report[label] = _summary(result, time.perf_counter() - start)
        return report


if __name__ == "__main__":
    print(json.dumps(run(), indent=1))
