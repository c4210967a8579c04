"""Chaos suite, documents: each hostile document fails alone, naming its limit, or parses
with its text kept; memory and time stay bounded; the rest of the run lands."""

from __future__ import annotations

import codecs
import multiprocessing
import os
import resource
import signal
import threading
import time
from pathlib import Path

import pytest

from bench.hostile import (
    REPORT,
    docx_bomb,
    docx_bytes,
    docx_entity_bomb,
    docx_many_entries,
    flat_html,
    nested_html,
    pdf_pages,
)
from edufig.cli import main
from edufig.core.config import Settings
from edufig.core.records import ParsedDocument
from edufig.extract import extract_figures
from scrapers.limits import MIB, LimitExceeded, Limits, UnparseableError
from scrapers.parse import parse_bytes, parse_file
from scrapers.worker import ParseWorkers
from tests.scrapers.conftest import ingest_and_parse

GIB = 2**30


def test_deeply_nested_html_keeps_all_its_text_quickly() -> None:
    started = time.monotonic()
    parsed = parse_bytes(nested_html(100_000), "text/html")
    assert parsed.text == f"{REPORT}\n嵌套之后的段落。"
    assert time.monotonic() - started < 10  # lexbor alone takes 15 s on the raw markup


def test_nesting_below_the_cap_keeps_its_structure() -> None:
    html = "<div>" * 400 + "<p>第一段</p><p>第二段</p>" + "</div>" * 400
    assert parse_bytes(html.encode(), "text/html").text == "第一段\n第二段"


def test_a_page_of_too_many_elements_fails_naming_the_limit() -> None:
    with pytest.raises(LimitExceeded, match=r"html_elements limit: 600,00\d elements"):
        parse_bytes(flat_html(600_000), "text/html")


def test_a_docx_that_unpacks_past_the_ceiling_is_refused_before_unpacking() -> None:
    bomb = docx_bomb(150 * MIB)
    assert len(bomb) < 2 * MIB
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    expected = r"zip_uncompressed_bytes limit: 15\d,\d{3},\d{3} bytes unpacked \(at most 104,"
    with pytest.raises(LimitExceeded, match=expected):
        parse_bytes(bomb, suffix=".docx")
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - before
    assert grown < 64 * MIB


def test_a_docx_of_too_many_parts_is_refused() -> None:
    with pytest.raises(LimitExceeded, match="zip_entries limit: 1,2"):
        parse_bytes(docx_many_entries(1_200), suffix=".docx")


def test_an_entity_bomb_in_a_docx_is_never_expanded() -> None:
    started = time.monotonic()
    try:
        text = parse_bytes(docx_entity_bomb(), suffix=".docx").text
    except UnparseableError as exc:  # refusing it outright is as good as ignoring it
        text = str(exc)
    assert "lollol" not in text and len(text) < 10_000
    assert time.monotonic() - started < 5


def test_a_pdf_of_too_many_pages_fails_before_any_layout() -> None:
    data = pdf_pages(1_200)
    started = time.monotonic()
    with pytest.raises(LimitExceeded, match="pdf_pages limit: 1,200 pages"):
        parse_bytes(data)
    assert time.monotonic() - started < 5


@pytest.mark.slow
def test_the_probes_5000_page_pdf_is_refused_with_bounded_memory(tmp_path: Path) -> None:
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "huge.pdf").write_bytes(pdf_pages(5_000))
    (tmp_path / "corpus" / "fine.txt").write_text(REPORT, encoding="utf-8")
    settings = Settings(warehouse=tmp_path / "w.duckdb")
    result = ingest_and_parse(settings, tmp_path / "corpus")
    assert any("huge.pdf: over the pdf_pages limit: 5,000 pages" in e for e in result.errors)
    assert ParsedDocument.load(settings.parsed_dir / "fine.json").text == REPORT
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 < GIB


def test_a_slow_pdf_fails_on_its_time_limit() -> None:
    with pytest.raises(LimitExceeded, match="pdf_seconds limit"):
        parse_bytes(pdf_pages(5), limits=Limits(pdf_seconds=1e-6))


def test_text_over_the_character_limit_fails_naming_it() -> None:
    data = ("教育" * 3_000).encode()
    with pytest.raises(LimitExceeded, match="text_chars limit: 6,000 characters"):
        parse_bytes(data, suffix=".txt", limits=Limits(text_chars=5_000))


def test_a_runaway_parse_is_stopped_by_the_worker_and_the_next_one_parses() -> None:
    slow = pdf_pages(990)  # just under the page limit: far longer to lay out than 0.1 s
    with ParseWorkers(workers=1, seconds=0.1) as workers:
        with pytest.raises(LimitExceeded, match="parse_seconds limit"):
            workers.parse(slow)
        assert workers.parse(REPORT.encode(), None, "", ".txt").text == REPORT


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _kill_worker_once_busy(cpu_seconds: float = 0.3) -> None:
    """SIGKILL the parse worker once it has spent `cpu_seconds` on its document: a fixed
    one-second timer raced the parse, which takes about a second on a fast machine."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for child in multiprocessing.active_children():
            if _cpu_seconds(child.pid) >= cpu_seconds:
                os.kill(child.pid, signal.SIGKILL)
                return
        time.sleep(0.01)


def test_a_worker_killed_mid_batch_fails_its_document_alone() -> None:
    """A dead worker restarts the pool (its channel may be mid-message); the batch's other
    documents are parsed on the new one, in order."""
    report = (REPORT.encode(), None, "", ".txt")
    with ParseWorkers(workers=1) as workers:
        pool = workers.pool
        outcomes = workers.parse_all([(pdf_pages(990), None, "", ".pdf"), report, report])
        killer = threading.Thread(target=_kill_worker_once_busy)
        killer.start()
        first = next(outcomes)
        killer.join()
        rest = list(outcomes)
        assert workers.pool is not pool
    assert isinstance(first, UnparseableError) and "parser process died" in str(first)
    assert [outcome.text for outcome in rest] == [REPORT, REPORT]


@pytest.mark.parametrize(
    ("data", "suffix", "error"),
    [
        (b"A" * (40 * MIB), ".txt", "parse_memory limit: 64 MiB|parser process died"),
        (docx_bomb(90 * MIB), ".docx", "corrupt DOCX"),  # libxml2 fails its allocation
    ],
)
def test_a_parse_that_exhausts_memory_fails_alone(data: bytes, suffix: str, error: str) -> None:
    unlimited_text = Limits(text_chars=10**9)
    with ParseWorkers(workers=1, memory=64 * MIB, limits=unlimited_text) as workers:
        with pytest.raises(UnparseableError, match=error):
            workers.parse(data, None, "", suffix)
        assert workers.parse(docx_bytes([REPORT]), None, "", ".docx").text == REPORT


def test_hostile_files_in_a_corpus_fail_alone_and_the_others_land(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "nested.html").write_bytes(nested_html(100_000))
    (corpus / "bomb.docx").write_bytes(docx_bomb(150 * MIB))
    (corpus / "many.docx").write_bytes(docx_many_entries(1_200))
    (corpus / "fine.txt").write_text(REPORT, encoding="utf-8")
    settings = Settings(warehouse=tmp_path / "w.duckdb")
    result = ingest_and_parse(settings, corpus)
    errors = "\n".join(result.errors)
    assert f"{corpus / 'bomb.docx'}: over the zip_uncompressed_bytes limit" in errors
    assert f"{corpus / 'many.docx'}: over the zip_entries limit" in errors
    assert result.counts["new"] == 2 and result.counts["failed"] == 2
    nested = ParsedDocument.load(settings.parsed_dir / "nested.json")
    assert REPORT in nested.text
    bomb = ParsedDocument.load(settings.parsed_dir / "bomb.json")
    assert bomb.parse_status == "failed" and "zip_uncompressed_bytes" in bomb.parse_error


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le"])
def test_utf16_and_utf32_text_decodes_with_or_without_bom(codec: str) -> None:
    page = f"<html><head><title>报告</title></head><body><p>{REPORT}</p></body></html>"
    parsed = parse_bytes(page.encode(codec), "text/html")
    assert parsed.text == REPORT
    plain = parse_bytes(REPORT.encode(codec), suffix=".txt")
    assert plain.text == REPORT and codecs.lookup(plain.encoding).name.startswith("utf-")


def test_gbk_and_utf8_pages_are_not_taken_for_utf16() -> None:
    for codec in ("gbk", "utf-8"):
        assert parse_bytes(REPORT.encode(codec), "text/plain; charset=gbk").text == REPORT


def test_control_characters_are_removed_at_parse_time_and_offsets_index_the_text(
    tmp_path: Path,
) -> None:
    hostile = (
        "# region: 云南省楚雄彝族自治州\n\n"
        "全县\x1b[31m教育经费\x1b[0m总投入\x07为\x1b]0;pwned\x07473813.97万元,"
        "比上年增长2.54%。\x08\x7f\u202e\n"
    )
    path = tmp_path / "report.txt"
    path.write_text(hostile, encoding="utf-8")
    doc = parse_file(path)
    assert "\x1b" not in doc.text and "\x07" not in doc.text and "\u202e" not in doc.text
    assert "[31m" not in doc.text and "pwned" not in doc.text
    assert "全县教育经费总投入为473813.97万元,比上年增长2.54%。" in doc.text
    figure = next(f for f in extract_figures(doc) if f.metric == "edu_total_investment")
    clause = doc.text[figure.start : figure.end]
    assert "473813.97万元" in clause and clause in figure.text


def test_a_symlink_out_of_the_corpus_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("不应读取的文件", encoding="utf-8")
    (corpus / "leak.txt").symlink_to(secret)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "deep.txt").write_text(REPORT, encoding="utf-8")
    (corpus / "linked-folder").symlink_to(tmp_path / "outside")
    (corpus / "fine.txt").write_text(REPORT, encoding="utf-8")
    settings = Settings(warehouse=tmp_path / "w.duckdb")
    result = ingest_and_parse(settings, corpus)
    assert f"{corpus / 'leak.txt'}: symlink to {secret}, outside the corpus folder" in "\n".join(
        result.errors
    )
    landed = sorted(p.name for p in settings.parsed_dir.glob("*.json"))
    assert landed == ["fine.json"]


def test_edufig_extract_names_a_hostile_file_and_extracts_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bomb = tmp_path / "bomb.docx"
    bomb.write_bytes(docx_bomb(150 * MIB))
    fine = tmp_path / "fine.txt"
    fine.write_text(REPORT, encoding="utf-8")
    assert main(["extract", str(bomb), str(fine)]) == 1
    out, err = capsys.readouterr()
    assert f"edufig extract: {bomb}: {bomb}: over the zip_uncompressed_bytes limit" in err
    assert '"value": 4738139700.0' in out and '"doc_id": "fine"' in out
