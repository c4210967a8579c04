"""The compose `mirror` service: every mirrored site on a fixed port, and a sources file
with which the production crawler (as a worker runs it) fetches the reports."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from edufig.core.config import Settings
from edufig.pipeline import run_stage
from scrapers.mirror import SITES_DIR
from scrapers.registry import load_sources

SITE_COUNT = sum(1 for p in SITES_DIR.iterdir() if (p / "_site.json").is_file())


def _free_port_block(size: int) -> int:
    """A first port such that the next `size` ports are free now."""
    for first in range(20000, 60000, 97):
        try:
            for port in range(first, first + size):
                with socket.socket() as sock:
                    sock.bind(("127.0.0.1", port))
        except OSError:
            continue
        return first
    raise RuntimeError("no free port block")


@pytest.fixture
def mirror_service(tmp_path: Path) -> Iterator[Path]:
    sources = tmp_path / "mirror" / "sources.yaml"
    first = _free_port_block(SITE_COUNT)
    proc = subprocess.Popen(
        [sys.executable, "-m", "edufig_airflow.mirror_service", "--bind", "127.0.0.1",
         "--public-host", "127.0.0.1", f"--first-port={first}", "--sources-out", str(sources)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not sources.exists():
            assert proc.poll() is None, proc.stdout.read()
            assert time.monotonic() < deadline, "mirror service wrote no sources file"
            time.sleep(0.2)
        yield sources
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)


def test_sources_file_names_the_service_ports(mirror_service: Path) -> None:
    sources = load_sources(mirror_service)
    assert len(sources) >= SITE_COUNT - 1
    for source in sources:
        assert all(url.startswith("http://127.0.0.1:") for url in source.start_urls), source.name
    answer = requests.get(chuxiong_start_url(mirror_service), timeout=10)
    assert answer.status_code == 200 and "楚雄" in answer.text


def test_the_crawler_fetches_the_reports_through_the_service(
    mirror_service: Path, tmp_path: Path
) -> None:
    settings = Settings(warehouse=tmp_path / "data" / "warehouse.duckdb")
    settings.sources_file = mirror_service
    result = run_stage("scrape", settings, source_names=["chuxiong-jyj"])
    assert not result.failed, result.errors
    assert result.counts["archived"] == 1
    assert run_stage("parse", settings).counts["new"] == 1
    parsed = [json.loads(p.read_text(encoding="utf-8")) for p in settings.parsed_dir.glob("*.json")]
    assert len(parsed) == 1
    service_host = urlsplit(chuxiong_start_url(mirror_service)).netloc
    assert urlsplit(parsed[0]["url"]).netloc == service_host
    assert "楚雄" in parsed[0]["text"]


def chuxiong_start_url(sources_file: Path) -> str:
    return next(s for s in load_sources(sources_file) if s.name == "chuxiong-jyj").start_urls[0]
