"""Extraction fanned out in batches (as the Airflow DAG maps it) writes exactly the figure
files of one whole-stage extraction, and a second planning finds nothing left to do."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from edufig.core.config import Settings
from edufig.core.figure_files import PARSED_STAMP
from edufig.extract.stage import (
    extract_batch,
    extract_documents,
    pending_batches,
    split_batches,
)
from edufig.pipeline import run_stage
from tests.conftest import SEEDS_DIR


def _ingested(root: Path) -> Settings:
    settings = Settings(warehouse=root / "warehouse.duckdb")
    for name, options in (("ingest", {"corpus_dir": SEEDS_DIR}), ("parse", {})):
        result = run_stage(name, settings, **options)
        assert not result.failed, result.errors
    return settings


def _figure_files(settings: Settings) -> dict[str, list]:
    """Each figure file's lines, its parsed file's stamp (a time of this run) left out."""
    files = {}
    for path in sorted(settings.figures_dir.glob("*.jsonl")):
        lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        lines[0]["_meta"].pop(PARSED_STAMP)
        files[path.name] = lines
    return files


@pytest.mark.parametrize(
    ("count", "min_batches", "max_size", "sizes"),
    [
        (0, 4, 1000, []),
        (3, 4, 1000, [1, 1, 1]),
        (10, 4, 1000, [3, 3, 2, 2]),
        (2500, 4, 1000, [625, 625, 625, 625]),
        (2500, 2, 1000, [834, 833, 833]),
        (9, 1, 4, [3, 3, 3]),
    ],
)
def test_batches_cover_every_name_once_within_the_limits(
    count: int, min_batches: int, max_size: int, sizes: list[int]
) -> None:
    names = [f"{i:05d}.json" for i in range(count)]
    batches = split_batches(names, min_batches, max_size)
    assert [len(b) for b in batches] == sizes
    assert [name for batch in batches for name in batch] == names


def test_batched_extraction_equals_the_whole_stage(tmp_path: Path) -> None:
    whole = _ingested(tmp_path / "whole")
    assert extract_documents(whole).counts["documents_extracted"] >= 4

    batched = _ingested(tmp_path / "batched")
    batches = pending_batches(batched, min_batches=3)
    assert len(batches) == 3
    extracted = 0
    for names in batches:
        result = extract_batch(batched, names)
        assert not result.errors, result.errors
        extracted += result.counts["documents_extracted"]

    assert extracted == sum(len(b) for b in batches)
    assert _figure_files(batched) == _figure_files(whole)
    assert sum(len(lines) for lines in _figure_files(batched).values()) > 10
    assert pending_batches(batched) == []


def test_a_batch_names_only_parsed_files(tmp_path: Path) -> None:
    settings = Settings(warehouse=tmp_path / "warehouse.duckdb")
    with pytest.raises(ValueError, match="not a parsed document"):
        extract_batch(settings, ["../../etc/passwd"])
