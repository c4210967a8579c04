"""Parsing is a stage of its own: it reads the archive, never the network, so a parser fix
reaches every archived document by bumping PARSER_VERSION and rerunning the stage."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from dataclasses import asdict, replace

import pytest

import scrapers.parse
from edufig.core.config import Settings
from edufig.core.figure_files import read_figure_meta
from edufig.core.records import ParsedDocument
from edufig.pipeline import run_stage
from scrapers import parse_stage
from scrapers.archive import Archive
from scrapers.limits import Limits
from scrapers.mirror.server import SiteHandler
from scrapers.parse import Parsed
from scrapers.parse_state import ParseState

FIX_MARK = "【解析器修订】"


class RequestCounter:
    """Every request any mirror site answers, counted on the server side."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        self._lock = threading.Lock()
        serve = SiteHandler.do_GET

        def counted(handler: SiteHandler) -> None:
            with self._lock:
                self.count += 1
            serve(handler)

        monkeypatch.setattr(SiteHandler, "do_GET", counted)


def parsed_docs(settings: Settings) -> dict[str, ParsedDocument]:
    docs = (ParsedDocument.load(p) for p in settings.parsed_dir.glob("*.json"))
    return {d.doc_id: d for d in docs}


def saved_state(settings: Settings) -> ParseState:
    return ParseState.open(settings.data_dir)


def state_dump(settings: Settings) -> list[str]:
    with sqlite3.connect(parse_stage.state_path(settings)) as db:
        return list(db.iterdump())


def fixed_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    """A parser change that alters every text: what a real fix to scrapers.parse does. It
    patches a step inside `parse_bytes`, which the forked parse workers inherit."""
    cleaned = scrapers.parse._cleaned

    def cleaned_with_fix(parsed: Parsed, limits: Limits) -> Parsed:
        parsed = cleaned(parsed, limits)
        parsed.text = f"{FIX_MARK}\n{parsed.text}"
        return parsed

    monkeypatch.setattr(scrapers.parse, "_cleaned", cleaned_with_fix)


@pytest.fixture
def crawled(tmp_path, monkeypatch):
    """The bundled mirror crawled (served on loopback by the scrape stage itself), parsed
    and extracted once: (settings, request counter, first parse)."""
    counter = RequestCounter(monkeypatch)
    settings = Settings(warehouse=tmp_path / "data" / "warehouse.duckdb")
    assert run_stage("scrape", settings).counts["archived"] == 6
    first = run_stage("parse", settings)
    assert run_stage("extract", settings).counts["documents_extracted"] == 5
    assert counter.count > 0
    return settings, counter, first


def test_first_parse_records_content_key_and_parser_version(crawled) -> None:
    settings, _counter, first = crawled
    assert (first.counts["new"], first.counts["duplicates"]) == (5, 1)
    docs = parsed_docs(settings)
    assert len(docs) == 5
    assert {d.parser_version for d in docs.values()} == {parse_stage.PARSER_VERSION}
    assert all(len(d.content_key or "") == 64 for d in docs.values())


def test_a_parser_fix_without_a_version_bump_changes_nothing(crawled, monkeypatch) -> None:
    settings, _counter, _first = crawled
    saved = state_dump(settings)
    fixed_parser(monkeypatch)
    again = run_stage("parse", settings)
    assert (again.counts["unchanged"], again.counts["documents"]) == (5, 0)
    assert not any(FIX_MARK in d.text for d in parsed_docs(settings).values())
    assert state_dump(settings) == saved  # nothing parsed, nothing recorded


def test_bumping_the_parser_version_reparses_every_archived_document_without_http(
    crawled, monkeypatch
) -> None:
    settings, counter, _first = crawled
    before = parsed_docs(settings)
    requests_before = counter.count
    bumped = f"{parse_stage.PARSER_VERSION}+fix"
    fixed_parser(monkeypatch)
    monkeypatch.setattr(parse_stage, "PARSER_VERSION", bumped)

    reparsed = run_stage("parse", settings)

    assert counter.count == requests_before  # not one HTTP request
    assert reparsed.errors == []
    assert (reparsed.counts["documents"], reparsed.counts["unchanged"]) == (5, 0)
    after = parsed_docs(settings)
    assert sorted(after) == sorted(before)
    for doc_id, doc in after.items():
        assert doc.parser_version == bumped
        assert doc.text.startswith(FIX_MARK)
        assert doc.text.replace(f"{FIX_MARK}\n", "") == before[doc_id].text
        assert doc.sha256 == before[doc_id].sha256
    extracted = run_stage("extract", settings)
    assert extracted.counts["documents_extracted"] == 5
    metas = [read_figure_meta(p) for p in settings.figures_dir.glob("*.jsonl")]
    assert {m["parser_version"] for m in metas} == {bumped}
    assert counter.count == requests_before


def test_a_run_reads_only_what_was_archived_since_the_last(crawled) -> None:
    settings, _counter, _first = crawled
    log = settings.archive_dir / "documents.jsonl"
    with saved_state(settings) as state:
        assert state.position_for(parse_stage.PARSER_VERSION).offset == log.stat().st_size
        assert state.parser_version() == parse_stage.PARSER_VERSION
    archive = Archive(settings.archive_dir)
    original = archive.documents()[0]
    copy = replace(original, doc_id="same_text_other_url")
    archive.add_document(copy)
    complete = log.stat().st_size
    with log.open("ab") as handle:  # a crawler still appending its next line
        handle.write(b'{"doc_id": "half_writ')

    again = run_stage("parse", settings)

    counts = again.counts
    assert (counts["documents"], counts["duplicates"], counts["unchanged"]) == (0, 2, 5)
    with saved_state(settings) as state:
        assert state.position_for(parse_stage.PARSER_VERSION).offset == complete
        owner = state.document(original.doc_id).duplicate_of or original.doc_id
        assert state.document("same_text_other_url").duplicate_of == owner


def legacy_documents(state: ParseState, doc_ids: list[str]) -> dict[str, dict]:
    """The store's documents as `parse_state.json` held them."""
    documents = {}
    for doc_id in doc_ids:
        entry = asdict(state.document(doc_id))
        entry["where"] = entry.pop("location")
        documents[doc_id] = {k: v for k, v in entry.items() if v is not None}
    return documents


@pytest.mark.parametrize("with_offset", [False, True], ids=["documents_only", "with_offset"])
def test_a_json_state_is_migrated_once(crawled, with_offset) -> None:
    settings, _counter, _first = crawled
    doc_ids = [d.doc_id for d in Archive(settings.archive_dir).documents()]
    with saved_state(settings) as state:
        before = {doc_id: state.document(doc_id) for doc_id in doc_ids}
        documents = legacy_documents(state, doc_ids)
        offset = state.position_for(parse_stage.PARSER_VERSION).offset
    for path in settings.data_dir.glob("parse_state.sqlite*"):
        path.unlink()
    legacy = settings.data_dir / "parse_state.json"
    if with_offset:  # the format of 278e038 to this store, its position one byte short
        log = settings.archive_dir / "documents.jsonl"
        head = hashlib.sha256(log.read_bytes().splitlines(keepends=True)[0]).hexdigest()
        version = parse_stage.PARSER_VERSION
        position = {"archive_head": head, "archive_offset": offset - 1, "parser_version": version}
        legacy.write_text(json.dumps({"documents": documents, "retry": {}, **position}))
    else:  # the format before the log position was kept: the whole log is read once
        legacy.write_text(json.dumps(documents), encoding="utf-8")

    migrated = run_stage("parse", settings)

    assert (migrated.counts["unchanged"], migrated.counts["documents"]) == (5, 0)
    assert migrated.counts["duplicates"] == 1
    assert not legacy.exists() and legacy.with_name("parse_state.json.migrated").is_file()
    with saved_state(settings) as state:
        assert {doc_id: state.document(doc_id) for doc_id in doc_ids} == before
        log = settings.archive_dir / "documents.jsonl"
        assert state.position_for(parse_stage.PARSER_VERSION).offset == log.stat().st_size


def test_a_document_whose_bytes_could_not_be_read_is_tried_again(crawled) -> None:
    settings, _counter, _first = crawled
    archive = Archive(settings.archive_dir)
    record = next(d for d in archive.documents() if d.provenance)
    body = archive.blob(record.page.sha256).replace(b"<p>", b"<p>appendix 2024 ", 1)
    sha = archive.store(record.url + "?v=2", 200, {}, body, record.fetched_at)
    archive.add_document(
        replace(record, doc_id="read_later", page=replace(record.page, sha256=sha))
    )
    blob = settings.archive_dir / "blobs" / sha[:2] / sha
    blob.unlink()  # a disk that did not answer

    failed = run_stage("parse", settings)

    assert failed.counts["failed"] == 1
    assert "archived bytes not readable" in " ".join(failed.errors)
    blob.write_bytes(body)
    again = run_stage("parse", settings)  # the log holds nothing new: the retry list does
    assert (again.counts["documents"], again.counts["new"], again.counts["failed"]) == (1, 1, 0)
    assert "appendix 2024" in parsed_docs(settings)["read_later"].text
    with saved_state(settings) as state:
        assert state.retry() == {} and state.document("read_later").text_sha256


def test_an_archive_started_again_is_read_from_its_first_line(crawled) -> None:
    settings, _counter, _first = crawled
    log = settings.archive_dir / "documents.jsonl"
    archive = Archive(settings.archive_dir)
    record = next(d for d in archive.documents() if d.provenance)
    log.rename(log.with_suffix(".old"))  # an engineer moved the archive's log aside
    archive.add_document(replace(record, doc_id="first_of_a_new_log"))
    assert log.stat().st_size < log.with_suffix(".old").stat().st_size

    again = run_stage("parse", settings)

    assert again.counts["duplicates"] == 2  # read, and the same text as a document it has
    with saved_state(settings) as state:
        assert state.position_for(parse_stage.PARSER_VERSION).offset == log.stat().st_size
        assert state.document("first_of_a_new_log").duplicate_of == record.doc_id
