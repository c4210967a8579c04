"""The parse-state bench measures real parse runs: a seeded state is counted as the stage
counts it, and the documents archived since are parsed and recorded."""

from __future__ import annotations

from bench.bench_parse_state import REPO, _seed_sqlite, one_store
from scrapers.parse_state import ParseState


def test_a_seeded_state_runs_like_one_a_parse_stage_left(tmp_path) -> None:
    data = tmp_path / "sqlite-400"

    record = one_store(REPO, data, 400, 3, _seed_sqlite)

    quiet, new = record["no_change"], record["new_docs"]
    assert (quiet["unchanged"], quiet["failed"], quiet["documents"]) == (400, 2, 0)
    assert (new["new"], new["unchanged"], new["failed"]) == (3, 400, 2)
    with ParseState.open(data) as state:
        assert state.document("bench-3").text_sha256
        assert state.document("known-200").parse_error == "no text found in the page"
    assert record["state_bytes"] > 0
