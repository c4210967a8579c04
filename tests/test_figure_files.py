"""The per-document figure files that hand extraction over to loading, and the parsed
file's stamp that lets a rerun skip unchanged documents without reading them."""

import os
import time
from dataclasses import replace
from pathlib import Path

import pytest

from edufig.cli import format_summary
from edufig.core.config import Settings
from edufig.core.figure_files import (
    PARSED_STAMP,
    figure_file,
    parsed_stamp,
    read_figure_file,
    read_figure_meta,
    stamped_from,
    write_figure_file,
)
from edufig.core.folder_stamps import RACY_SECONDS, read_stamp, recordable
from edufig.core.records import Figure, ParsedDocument
from edufig.extract.stage import pending_documents
from edufig.pipeline import run_stage
from tests.conftest import SEEDS_DIR


def _figure() -> Figure:
    return Figure(
        "d1", "full_time_teachers", "all", 2021, None, "actual", 2991.0, "person", "exact",
        None, None, "潜江市", "429005", "专任教师2991名", 0, 9,
    )  # fmt: skip


def test_meta_is_read_from_the_first_line_alone(tmp_path):
    path = tmp_path / "d1.jsonl"
    meta = {"doc_id": "d1", "sha256": "abc", "extractor_version": "1"}
    write_figure_file(path, meta, [_figure()])
    assert read_figure_meta(path) == meta
    stored_meta, figures = read_figure_file(path)
    assert stored_meta == meta and figures[0]["value"] == 2991.0


def test_missing_file_has_no_meta_and_a_broken_one_names_itself(tmp_path):
    assert read_figure_meta(tmp_path / "absent.jsonl") == {}
    broken = tmp_path / "broken.jsonl"
    broken.write_text("{not json\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"broken\.jsonl:1"):
        read_figure_meta(broken)


@pytest.fixture
def extracted(tmp_path):
    """The seed reports ingested, parsed, extracted and loaded."""
    settings = Settings(warehouse=tmp_path / "warehouse.duckdb")
    for name, options in (("ingest", {"corpus_dir": SEEDS_DIR}), ("parse", {})):
        assert not run_stage(name, settings, **options).failed
    for name in ("extract", "load"):
        assert not run_stage(name, settings).errors
    return settings


def _parsed(settings) -> list[Path]:
    return sorted(settings.parsed_dir.glob("*.json"))


def test_a_rerun_knows_unchanged_documents_by_their_stamp_without_reading_them(extracted):
    """A parsed file garbled but with its size and modification time kept is the stamp's
    blind spot, on purpose here: neither extract nor load reads it, so neither fails on it."""
    parsed = _parsed(extracted)
    for path in parsed:
        stat = path.stat()
        path.write_bytes(b"x" * stat.st_size)
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    extract, load = (run_stage(name, extracted) for name in ("extract", "load"))
    assert extract.counts == {"documents_unchanged": len(parsed)} and not extract.errors
    assert load.counts["documents_unchanged"] == len(parsed) and not load.errors
    assert pending_documents(extracted) == []


def test_a_document_rewritten_unchanged_is_restamped_and_a_changed_one_extracted(extracted):
    same, changed, *_ = _parsed(extracted)
    ParsedDocument.load(same).save(same)  # the same document, a new file
    doc = ParsedDocument.load(changed)
    replace(doc, text=doc.text + "\n2023年全县共有专任教师5230人。", sha256="0" * 64).save(changed)
    figures_before = read_figure_file(figure_file(extracted, same.stem))[1]

    # `same` is read, found current and restamped (the Airflow DAG plans with this)
    assert pending_documents(extracted) == [changed.name]
    meta, figures = read_figure_file(figure_file(extracted, same.stem))
    assert meta[PARSED_STAMP] == parsed_stamp(same) and figures == figures_before
    extract = run_stage("extract", extracted)
    assert extract.counts["documents_extracted"] == 1, extract.counts
    assert pending_documents(extracted) == []
    changed_meta = read_figure_meta(figure_file(extracted, changed.stem))
    assert changed_meta["sha256"] == "0" * 64 and stamped_from(changed_meta, changed)

    load = run_stage("load", extracted)
    assert load.counts["documents_loaded"] == 1 and not load.errors


def _settle(settings: Settings) -> None:
    """Move the document folders' times back past the racy window, as tomorrow's run finds
    them."""
    past = time.time_ns() - int((RACY_SECONDS + 60) * 1e9)
    for folder in (settings.parsed_dir, settings.figures_dir):
        os.utime(folder, ns=(past, past))


def test_a_folder_changed_just_before_it_was_read_is_not_trusted(tmp_path):
    assert recordable(read_stamp([tmp_path]), "v1") is None  # created just now
    past = time.time_ns() - int((RACY_SECONDS + 1) * 1e9)
    os.utime(tmp_path, ns=(past, past))
    settled = read_stamp([tmp_path])
    assert recordable(settled, "v1") == settled.key("v1") != settled.key("v2")
    ParsedDocument(doc_id="d1", text="x", sha256="a" * 64).save(tmp_path / "d1.json")
    assert read_stamp([tmp_path]).times != settled.times


def test_a_quiet_rerun_opens_no_document_file(extracted):
    """After one scan found every document current in settled folders, the next run skips
    the scan: files garbled in place (the folders' times kept) are not read by either stage."""
    parsed = _parsed(extracted)
    _settle(extracted)
    for name in ("extract", "load"):  # these scans find everything current and record it
        assert "scan_skipped" not in run_stage(name, extracted).counts
    for path in [*parsed, *extracted.figures_dir.glob("*.jsonl")]:
        path.write_bytes(b"{garbled")

    extract, load = (run_stage(name, extracted) for name in ("extract", "load"))

    assert extract.counts == {"documents_unchanged": len(parsed), "scan_skipped": 1}
    assert (load.counts["documents_unchanged"], load.counts["scan_skipped"]) == (len(parsed), 1)
    assert not extract.errors and not load.errors
    assert pending_documents(extracted) == []
    summary = format_summary([extract, load]).splitlines()
    assert "no document read, folders as the last scan left them: extract, load" in summary


def test_a_document_replaced_after_a_quiet_run_is_extracted_and_loaded(extracted):
    _settle(extracted)
    for name in ("extract", "load"):
        run_stage(name, extracted)
    changed = _parsed(extracted)[0]
    doc = ParsedDocument.load(changed)
    replace(doc, text=doc.text + "\n2023年全县共有专任教师5230人。", sha256="0" * 64).save(changed)

    assert pending_documents(extracted) == [changed.name]
    extract = run_stage("extract", extracted)
    load = run_stage("load", extracted)

    assert extract.counts["documents_extracted"] == 1 and "scan_skipped" not in extract.counts
    assert load.counts["documents_loaded"] == 1 and "scan_skipped" not in load.counts


def test_a_new_warehouse_is_loaded_whole_whatever_the_folders_say(extracted):
    _settle(extracted)
    run_stage("load", extracted)  # records the settled folders in this warehouse
    assert run_stage("load", extracted).counts["scan_skipped"] == 1
    extracted.warehouse.unlink()

    load = run_stage("load", extracted)

    assert load.counts["documents_loaded"] == len(_parsed(extracted))
    assert "scan_skipped" not in load.counts
