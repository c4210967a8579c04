"""The synthetic benchmark corpus: deterministic, true to its figures and errors, crawlable."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from urllib.parse import urlsplit

import pytest

from bench.serve import serve_sites
from bench.synth.corpus import iter_documents
from bench.synth.generate import generate
from bench.synth.prose import growth
from edufig.core.config import Settings
from edufig.core.divisions import divisions_by_code
from scrapers.parse import parse_bytes, parse_file
from scrapers.registry import load_sources
from tests.scrapers.conftest import crawl_and_parse

DOCS = 60  # two regions and a bit: every report type, several years


@pytest.fixture(scope="module")
def docs():
    return list(iter_documents(DOCS, seed=7, error_rate=0.2))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("synth") / "corpus", 30, seed=3, error_rate=0.3)


def _numbers(text: str) -> set[float]:
    return {float(m.replace(",", "")) for m in re.findall(r"\d[\d,]*(?:\.\d+)?", text)}


def _stated(figure: dict) -> float:
    """The number as the text writes it: 万元 amounts are stored in 元."""
    value = figure["value"]
    if figure["unit"] == "yuan" and figure["metric"] not in (
        "per_student_general_budget_expenditure",
        "per_student_operating_expenditure",
        "per_student_public_funds",
    ):
        return round(value / 1e4, 2) if value >= 1e6 else value
    return value


def test_same_seed_same_corpus_other_seed_other_numbers(docs):
    again = list(iter_documents(DOCS, seed=7, error_rate=0.2))
    assert [d.text for d in again] == [d.text for d in docs]
    assert [d.figures for d in again] == [d.figures for d in docs]
    other = list(iter_documents(DOCS, seed=8, error_rate=0.2))
    assert [d.text for d in other] != [d.text for d in docs]


def test_a_larger_corpus_extends_a_smaller_one_byte_for_byte(docs):
    larger = list(iter_documents(DOCS + 15, seed=7, error_rate=0.2))
    assert [d.text for d in larger[:DOCS]] == [d.text for d in docs]
    assert {d.doc_id for d in larger[DOCS:]}.isdisjoint(d.doc_id for d in docs)


def test_every_report_type_and_real_region_codes(docs):
    assert {d.doc_type.key for d in docs} == {"funding", "statistics", "selfeval", "plan"}
    divisions = divisions_by_code()
    for doc in docs:
        assert divisions[doc.region.code].name == doc.region.name


def test_reference_figures_point_at_the_text_that_states_them(docs):
    for doc in docs:
        assert doc.figures, doc.doc_id
        for figure in doc.figures:
            assert doc.text[figure["start"] : figure["end"]] == figure["text"]
            assert _stated(figure) in _numbers(figure["text"]), (figure["metric"], figure["text"])


def test_clean_documents_state_growth_that_matches_their_values(docs):
    checked = 0
    for doc in docs:
        planted = {(e["metric"], e["level"], e["year"]) for e in doc.planted}
        values = {(f["metric"], f["level"], f["year"]): f["value"] for f in doc.figures}
        for f in doc.figures:
            previous = values.get((f["metric"], f["level"], f["year"] - 1))
            if f["yoy_growth_pct"] is None or previous is None:
                continue
            if (f["metric"], f["level"], f["year"]) not in planted:
                assert f["yoy_growth_pct"] == pytest.approx(growth(f["value"], previous), abs=0.011)
                checked += 1
    assert checked > 20


def test_planted_errors_are_what_the_text_says(docs):
    planted = [e for d in docs for e in d.planted]
    assert {e["error"] for e in planted} >= {"unit_scale", "growth", "conflict", "out_of_range"}
    by_doc = {d.doc_id: d for d in docs}
    for error in planted:
        doc = by_doc[error["doc_id"]]
        same = [
            f
            for f in doc.figures
            if (f["metric"], f["level"], f["year"])
            == (error["metric"], error["level"], error["year"])
        ]
        if error["error"] == "growth":
            assert error["stated"] in [f["yoy_growth_pct"] for f in same]
            assert abs(error["stated"] - error["true"]) >= 1.5
        else:
            assert error["stated"] in [f["value"] for f in same]
        if error["error"] == "unit_scale":
            assert f"{error['stated']:.2f}元" in doc.text.replace(",", "")
        if error["error"] == "out_of_range":
            assert error["stated"] > 100 and f"九年义务教育巩固率{error['stated']:.2f}%" in doc.text
        if error["error"] == "conflict":
            assert {error["stated"], error["true"]} <= {f["value"] for f in same}


def test_no_errors_planted_at_rate_zero():
    assert not [e for d in iter_documents(40, seed=7, error_rate=0.0) for e in d.planted]


def test_txt_rendering_parses_to_the_same_text_and_region(corpus):
    truth = defaultdict(list)
    for line in corpus.truth_figures.read_text(encoding="utf-8").splitlines():
        figure = json.loads(line)
        truth[figure["doc_id"]].append(figure)
    for path in sorted(corpus.txt_dir.glob("*.txt"))[:10]:
        doc = parse_file(path)
        assert doc.region_code == truth[doc.doc_id][0]["region_code"]
        for figure in truth[doc.doc_id]:
            assert doc.text[figure["start"] : figure["end"]] == figure["text"]


def _manifest(corpus) -> list[dict]:
    return [json.loads(line) for line in corpus.manifest.read_text(encoding="utf-8").splitlines()]


def test_sites_are_trs_lists_and_articles_with_metadata(corpus):
    entry = _manifest(corpus)[0]
    site = corpus.sites_dir / entry["url"][2:5]
    assert (site / "_site.json").is_file()
    column = (site / entry["path"].lstrip("/")).parent.parent
    pages = sorted(column.glob("index*.html"))
    first = (column / "index.html").read_text(encoding="utf-8")
    assert f'createPageHTML({len(pages)}, 0, "index", "html")' in first
    listing = "".join(p.read_text(encoding="utf-8") for p in pages)
    assert "招聘公告" in listing
    assert "." + entry["path"].split("/jyxx", 1)[1] in listing
    article = site / entry["path"].lstrip("/")
    parsed = parse_bytes(article.read_bytes(), "text/html; charset=utf-8", "http://127.0.0.1/")
    assert parsed.meta["published_date"] == entry["published"]
    assert parsed.meta["index_number"].startswith(entry["region_code"])
    first_line = (
        (corpus.txt_dir / f"{entry['doc_id']}.txt").read_text(encoding="utf-8").split("\n")[5]
    )
    assert parsed.text.startswith(first_line)


def test_the_production_crawler_crawls_the_synthetic_sites(corpus, tmp_path):
    with serve_sites(corpus.sites_dir) as base_urls:
        registry = tmp_path / "sources.yaml"
        text = (corpus.sites_dir / "sources.yaml").read_text(encoding="utf-8")
        for name, url in base_urls.items():
            text = text.replace("${" + name + "}", url)
        registry.write_text(text, encoding="utf-8")
        settings = Settings(warehouse=tmp_path / "data" / "warehouse.duckdb", crawl_delay=0.0)
        result = crawl_and_parse(load_sources(registry), settings)
    assert result.counts["documents"] == corpus.documents, result.errors
    parsed = [json.loads(p.read_text(encoding="utf-8")) for p in settings.parsed_dir.glob("*.json")]
    assert {urlsplit(d["url"]).path for d in parsed} == {m["path"] for m in _manifest(corpus)}
    assert {d["region_code"] for d in parsed} == {m["region_code"] for m in _manifest(corpus)}
