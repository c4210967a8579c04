"""The checks over the gold figures of every corpus (seeds, dev, authored): what the
documents really state, as a perfect extractor would load it.

The planted errors listed in tests/gold/authored/planted/planted_errors.jsonl must each be
flagged for their document, metric and year; the seed arithmetic the issue names as correct
must not be; and the number of flags per check is bounded so the checks do not cry wolf on
real reports.
"""

from __future__ import annotations

import json

import pytest

from edufig.core.config import Settings
from edufig.quality import check_quality, list_flags
from tests.conftest import GOLD_DIR
from tests.quality.conftest import flags_for
from tests.quality.warehouse import Doc, build_quality_models, write_landing

CORPORA = ("seeds", "dev", "authored")
PLANTED = GOLD_DIR / "authored" / "planted" / "planted_errors.jsonl"
XINGHUALING, CHUXIONG = "004_3bf94dc3a89a6442", "000_8ec6747b4fd94863"


def gold_documents() -> list[Doc]:
    docs = []
    for corpus in CORPORA:
        for path in sorted((GOLD_DIR / corpus).glob("*.jsonl")):
            figures = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
            figures = [
                {**f, "start_offset": f.pop("start"), "end_offset": f.pop("end")} for f in figures
            ]
            codes = [f["region_code"] for f in figures if f.get("region_code")]
            docs.append(Doc(path.stem, codes[0] if codes else None, figures=figures))
    return docs


@pytest.fixture(scope="module")
def flags(tmp_path_factory) -> list[dict]:
    work = tmp_path_factory.mktemp("gold")
    settings = Settings(warehouse=work / "warehouse.duckdb")
    write_landing(settings, gold_documents())
    build_quality_models(settings, work)
    result = check_quality(settings)
    assert not result.errors, result.errors
    return list_flags(settings)


def _planted() -> list[dict]:
    return [json.loads(line) for line in PLANTED.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("planted", _planted(), ids=lambda p: p["doc_id"])
def test_planted_errors_are_flagged(flags, planted):
    found = [
        f
        for f in flags
        if planted["doc_id"] in f["doc_ids"].split(",")
        and f["metric"] == planted["metric"]
        and f["year"] == planted["year"]
        and f["kind"] == planted["kind"]
    ]
    assert found, f"not flagged: {planted['what']}"


def test_seed_conflicts_the_issue_names(flags):
    conflicts = [f for f in flags_for(flags, "conflicts") if f["doc_ids"] == XINGHUALING]
    found = {(f["metric"], f["year"], f["kind"]): json.loads(f["values_json"]) for f in conflicts}
    assert found[("preschool_gross_enrollment_rate", 2020, "actual")]["values"] == [98.5, 98.91]
    assert found[("compulsory_retention_rate", 2025, "target")]["values"] == [99.7, 100.0]


def test_seed_arithmetic_that_holds_is_not_flagged(flags):
    assert flags_for(flags, "stated_growth", metric="edu_general_budget_expenditure") == []
    assert [f for f in flags if f["doc_ids"] == CHUXIONG and f["severity"] == "error"] == []
    xinghualing = [f for f in flags if XINGHUALING in f["doc_ids"].split(",")]
    assert {f["check_name"] for f in xinghualing} <= {"conflicts"}, [
        f["message_en"] for f in xinghualing
    ]


def test_natural_inconsistencies_of_dev_reports(flags):
    """汾阳's levels add up to more schools than its total. 利辛's aid programmes add up to
    74,118 人次 against a total of 62,972, but the largest programme of each level adds up to
    exactly 62,972: one pupil gets several programmes, so that is no inconsistency."""
    fenyang = [f for f in flags_for(flags, "parts_totals") if "10_fenyang" in f["doc_ids"]]
    lixin = [f for f in flags_for(flags, "parts_totals") if "15_lixin" in f["doc_ids"]]
    assert fenyang and not lixin


def test_flags_stay_few_on_real_reports(flags):
    docs = {d for f in flags for d in f["doc_ids"].split(",")}
    per_doc = len(flags) / max(len(docs), 1)
    assert per_doc <= 3, [f["message_en"] for f in flags]
