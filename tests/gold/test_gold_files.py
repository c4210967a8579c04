"""The dev and authored gold files conform to the spec and point at text the extractor reads.

Offsets are checked against the body that `scrapers.parse.split_txt_header` leaves after the
`# key: value` header, because that body is what the extractor sees and what figure offsets
index into.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from edufig.core.divisions import divisions_by_code, resolve_region
from edufig.scoring import load_gold, load_jsonl, score, validate_figure
from scrapers.parse import split_txt_header

GOLD_DIR = Path(__file__).resolve().parent
TESTS_DIR = GOLD_DIR.parent
CORPORA = {
    "dev": (GOLD_DIR / "dev", TESTS_DIR / "fixtures" / "corpus" / "dev"),
    "authored": (GOLD_DIR / "authored", GOLD_DIR / "authored" / "docs"),
    "blind1": (GOLD_DIR / "blind1", TESTS_DIR / "fixtures" / "corpus" / "blind" / "round1"),
    "blind2": (GOLD_DIR / "blind2", TESTS_DIR / "fixtures" / "corpus" / "blind" / "round2"),
}
PLANTED = GOLD_DIR / "authored" / "planted" / "planted_errors.jsonl"


def planted_errors() -> list[dict]:
    return [json.loads(line) for line in PLANTED.read_text(encoding="utf-8").splitlines()]


def planted_keys() -> set[tuple]:
    return {(p["doc_id"], p["metric"], p["level"], p["year"], p["kind"]) for p in planted_errors()}


def figure_key(figure: dict) -> tuple:
    return tuple(figure[k] for k in ("doc_id", "metric", "level", "year", "kind"))


def gold_files() -> list[tuple[str, Path]]:
    return [
        (corpus, path)
        for corpus, (gold, _) in CORPORA.items()
        for path in sorted(gold.glob("*.jsonl")) + sorted(gold.glob("undecidable/*.jsonl"))
    ]


def document_body(corpus: str, doc_id: str) -> str:
    path = CORPORA[corpus][1] / f"{doc_id}.txt"
    header, body = split_txt_header(path.read_text(encoding="utf-8"))
    assert set(header) == {"source", "region", "doc_type", "published"}, path
    return body


def spec_departures(figure: dict, planted: set[tuple]) -> list[str]:
    """validate_figure's findings (keys, types, codes, unit), less planted bound breaches."""
    errors = validate_figure(figure)
    if figure_key(figure) in planted:
        errors = [e for e in errors if " bound " not in e]
    return errors


@pytest.mark.parametrize(
    ("corpus", "path"), gold_files(), ids=lambda v: v if isinstance(v, str) else v.stem
)
def test_gold_figures_conform_and_point_at_their_evidence(corpus: str, path: Path) -> None:
    figures = load_jsonl(path)
    body = document_body(corpus, path.stem)
    planted = planted_keys()
    for figure in figures:
        assert spec_departures(figure, planted) == [], figure
        assert figure["doc_id"] == path.stem
        assert body[figure["start"] : figure["end"]] == figure["text"], figure
    assert len({(f["region"], f["region_code"]) for f in figures}) <= 1


@pytest.mark.parametrize(("corpus", "path"), gold_files(), ids=lambda v: getattr(v, "stem", v))
def test_region_codes_name_the_region(corpus: str, path: Path) -> None:
    for figure in load_jsonl(path):
        code = figure["region_code"]
        if code is not None:
            assert divisions_by_code()[code].name == figure["region"], figure


@pytest.mark.parametrize("corpus", sorted(CORPORA))
def test_every_document_has_a_gold_file_and_no_gold_lacks_a_document(corpus: str) -> None:
    gold, docs = CORPORA[corpus]
    documents = {p.stem for p in docs.glob("*.txt")}
    assert len(documents) == {"dev": 20, "authored": 6, "blind1": 15, "blind2": 14}[corpus]
    assert {p.stem for p in gold.glob("*.jsonl")} == documents
    assert {p.stem for p in gold.glob("undecidable/*.jsonl")} <= documents


@pytest.mark.parametrize("corpus", sorted(CORPORA))
def test_gold_and_undecidable_never_describe_the_same_figure(corpus: str) -> None:
    gold = load_gold(CORPORA[corpus][0])
    assert gold.figures
    assert score(gold.undecidable, gold.figures).overall.tp == 0


def test_authored_headers_resolve_to_the_gold_region() -> None:
    gold_dir, docs = CORPORA["authored"]
    for doc in sorted(docs.glob("*.txt")):
        header, _ = split_txt_header(doc.read_text(encoding="utf-8"))
        division = resolve_region(header["region"].replace(" ", ""))
        codes = {f["region_code"] for f in load_jsonl(gold_dir / f"{doc.stem}.jsonl")}
        assert division is not None and codes == {division.code}, doc.name
        assert 1500 <= doc.stat().st_size <= 4096, doc.name


def test_every_planted_error_names_a_gold_figure() -> None:
    figures = load_gold(CORPORA["authored"][0]).figures
    keys = {figure_key(f) for f in figures}
    errors = planted_errors()
    assert len(errors) >= 4
    for error in errors:
        assert figure_key(error) in keys, error
        assert error["what"].strip(), error


def test_the_out_of_bound_plant_is_what_validation_catches() -> None:
    by_key = {figure_key(f): f for f in load_gold(CORPORA["authored"][0]).figures}
    breaches = {
        key for key in planted_keys() if any(" bound " in e for e in validate_figure(by_key[key]))
    }
    assert breaches == {
        ("a02_dongtai_jytjgb2023", "compulsory_retention_rate", "compulsory", 2023, "actual")
    }
