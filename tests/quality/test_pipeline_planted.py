"""The planted errors of the authored documents, found by the whole pipeline: the real
extractor reads tests/gold/authored/docs, the warehouse is built, the checks run.

Integration test across extraction, loading, dbt and the quality stage: a planted error
that the extractor stops seeing, or a check stops flagging, fails here.
"""

from __future__ import annotations

import json

import pytest

from edufig import pipeline
from edufig.core.config import Settings
from edufig.quality import list_flags
from tests.conftest import GOLD_DIR

AUTHORED_DOCS = GOLD_DIR / "authored" / "docs"
PLANTED = GOLD_DIR / "authored" / "planted" / "planted_errors.jsonl"


@pytest.fixture(scope="module")
def flags(tmp_path_factory) -> list[dict]:
    work = tmp_path_factory.mktemp("pipeline")
    settings = Settings(warehouse=work / "warehouse.duckdb")
    stages = (("ingest", {"corpus_dir": AUTHORED_DOCS}), ("parse", {}), ("extract", {}))
    stages += (("load", {}), ("build", {}), ("quality", {}))
    for name, options in stages:
        result = pipeline.run_stage(name, settings, **options)
        assert not result.failed and not result.errors, (result.name, result.errors)
    return list_flags(settings)


@pytest.mark.parametrize(
    "planted",
    [json.loads(line) for line in PLANTED.read_text(encoding="utf-8").splitlines()],
    ids=lambda p: p["doc_id"],
)
def test_planted_error_is_flagged_end_to_end(flags, planted):
    found = [
        f
        for f in flags
        if planted["doc_id"] in f["doc_ids"].split(",")
        and (f["metric"], f["year"], f["kind"])
        == (planted["metric"], planted["year"], planted["kind"])
    ]
    assert found, f"not flagged: {planted['what']}"
    assert all(f["message_zh"] and f["message_en"] and f["evidence_json"] for f in found)
