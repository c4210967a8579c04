"""The crawl log is append-only and grows with every crawl: load reads only what was
appended since it last stopped, and never half a line."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from edufig.core.config import FETCH_LOG, Settings
from edufig.load import load


def _line(n: int) -> str:
    record = {
        "url": f"http://127.0.0.1/a/{n}.html", "source": "s", "status": 200,
        "fetched_at": f"2026-12-0{1 + n % 9}T08:00:{n % 60:02d}Z", "outcome": "new",
        "sha256": None, "bytes": 10, "error": None,
    }  # fmt: skip
    return json.dumps(record) + "\n"


def _append(settings: Settings, text: str) -> None:
    settings.archive_dir.mkdir(parents=True, exist_ok=True)
    with (settings.archive_dir / FETCH_LOG).open("a", encoding="utf-8") as handle:
        handle.write(text)


def _landed(settings: Settings) -> list[str]:
    with duckdb.connect(str(settings.warehouse), read_only=True) as conn:
        rows = conn.execute("select url from landing.fetches order by url").fetchall()
    return [url for (url,) in rows]


def test_load_reads_the_lines_appended_since_it_last_stopped(tmp_path: Path) -> None:
    settings = Settings(warehouse=tmp_path / "warehouse.duckdb")
    _append(settings, _line(1) + _line(2))
    assert load(settings).counts["fetches_loaded"] == 2
    assert "fetches_loaded" not in load(settings).counts

    _append(settings, _line(3) + _line(4)[:-20])  # the crawler is mid-way through line 4
    assert load(settings).counts["fetches_loaded"] == 1
    _append(settings, _line(4)[-20:] + "{broken\n" + _line(5))
    second = load(settings)
    assert second.counts["fetches_loaded"] == 2
    assert len(second.errors) == 1 and "fetches.jsonl" in second.errors[0]
    assert _landed(settings) == [f"http://127.0.0.1/a/{n}.html" for n in range(1, 6)]


def test_a_replaced_log_is_read_again_without_landing_a_row_twice(tmp_path: Path) -> None:
    settings = Settings(warehouse=tmp_path / "warehouse.duckdb")
    _append(settings, _line(1) + _line(2) + _line(3))
    load(settings)
    (settings.archive_dir / FETCH_LOG).write_text(_line(2) + _line(6), encoding="utf-8")
    assert load(settings).counts["fetches_loaded"] == 1
    assert _landed(settings) == [f"http://127.0.0.1/a/{n}.html" for n in (1, 2, 3, 6)]
