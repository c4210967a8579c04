"""Fixtures for crawler tests: the real mirror, fault servers, throwaway data dirs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from edufig.core.config import Settings, StageResult
from scrapers.crawl import crawl_sources
from scrapers.local import ingest_corpus
from scrapers.mirror import RunningMirror, serve_mirror
from scrapers.parse_stage import parse_archive
from scrapers.registry import Source
from tests.scrapers.fault_server import FaultServer


@pytest.fixture(scope="module")
def mirror() -> Iterator[RunningMirror]:
    with serve_mirror() as running:
        yield running


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(warehouse=tmp_path / "warehouse.duckdb")


@pytest.fixture
def fault() -> Iterator[FaultServer]:
    with FaultServer() as server:
        yield server


def fault_source(
    base_url: str, case: str, name: str = "faulty", crawl_delay: float = 0, **options: float
) -> Source:
    """A source whose only list page links the one faulty article `case`."""
    limits = {"connect_timeout": 2, "read_timeout": 2, "retries": 1, "backoff": 0}
    return Source(
        name=name,
        publisher="某县教育局",
        family="links",
        start_urls=[f"{base_url}/list/{case}.html"],
        article_pattern=r"^/case/",
        include=["教育工作"],
        crawl_delay=crawl_delay,
        options={**limits, **options},
    )


def fetch_log(settings: Settings) -> list[dict]:
    path = settings.archive_dir / "fetches.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _then_parsed(result: StageResult, settings: Settings) -> StageResult:
    parsed = parse_archive(settings)
    for key, value in parsed.counts.items():
        result.add(key, value)
    result.errors += parsed.errors
    result.failed = result.failed or parsed.failed
    return result


def crawl_and_parse(sources: list[Source], settings: Settings) -> StageResult:
    """The scrape stage then the parse stage, their counts and errors as one result: what
    the crawler tests assert about reports landing."""
    return _then_parsed(crawl_sources(sources, settings), settings)


def ingest_and_parse(settings: Settings, corpus: Path) -> StageResult:
    """The ingest stage then the parse stage, as one result."""
    return _then_parsed(ingest_corpus(settings, corpus), settings)
