"""The scorer on hand-written cases, and the seed reference checked against the seed texts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edufig.scoring import (
    format_report,
    load_gold,
    load_jsonl,
    main,
    maximum_matching,
    score,
    validate_figure,
    values_agree,
)

TESTS_DIR = Path(__file__).resolve().parents[1]
SEEDS_DIR = TESTS_DIR / "fixtures" / "corpus" / "seeds"
GOLD_SEEDS = TESTS_DIR / "gold" / "seeds"

UNITS = {
    "edu_general_budget_expenditure": "yuan",
    "full_time_teachers": "person",
    "compulsory_retention_rate": "percent",
    "schools": "count",
}


def fig(metric="edu_general_budget_expenditure", value=1000.0, **overrides) -> dict:
    figure = {
        "doc_id": "d1",
        "metric": metric,
        "level": "all",
        "year": 2021,
        "period_start": None,
        "kind": "actual",
        "value": value,
        "unit": UNITS.get(metric, "yuan"),
        "qualifier": "exact",
        "yoy_change": None,
        "yoy_growth_pct": None,
        "region": "潜江市",
        "region_code": "429005",
        "text": "一般公共预算教育支出1000元",
        "start": 0,
        "end": 15,
    }
    figure.update(overrides)
    return figure


def counts(report) -> tuple[int, int, int]:
    c = report.overall
    return c.tp, c.fp, c.fn


def test_exact_match_is_a_true_positive():
    report = score([fig()], [fig()])
    assert counts(report) == (1, 0, 0)
    assert report.overall.f1 == 1.0


@pytest.mark.parametrize(
    ("reference", "predicted", "unit", "agrees"),
    [
        (1000.0, 1001.0, "yuan", True),  # exactly 0.1 %
        (1000.0, 998.999, "yuan", False),  # just over 0.1 % below
        (1000.0, 1001.01, "yuan", False),
        (5.0, 5.01, "percent", True),  # absolute 0.01 for percent
        (5.0, 4.9899, "percent", False),
        (5.0, 5.01, "person", False),  # the absolute rule is for percent only
        (2.54, 2.553, "percent", False),  # neither 0.01 nor 0.1 % of 2.54
        (99.64, 99.7, "percent", True),  # 0.1 % of 99.64 is looser than 0.01
        (50.0, 50.05, "percent", True),  # relative rule still applies to percent
    ],
)
def test_value_tolerance_at_the_boundary(reference, predicted, unit, agrees):
    assert values_agree(predicted, reference, unit) is agrees


def test_tolerance_decides_the_match_in_score():
    reference = [fig(value=4738139700.0)]
    assert counts(score([fig(value=4738139700.0 * 1.001)], reference)) == (1, 0, 0)
    assert counts(score([fig(value=4738139700.0 * 1.0011)], reference)) == (0, 1, 1)


def test_non_numeric_prediction_value_never_matches():
    assert not values_agree("1000", 1000.0, "yuan")
    assert not values_agree(True, 1.0, "count")
    assert counts(score([fig(value=None)], [fig()])) == (0, 1, 1)


def test_malformed_predictions_are_false_positives_not_crashes():
    broken = [{}, {**fig(), "metric": ["edu"]}, {**fig(), "doc_id": None}, {**fig(), "level": {}}]
    report = score(broken, [fig()], undecidable=[fig(value=5.0)])
    assert counts(report) == (0, 4, 1)
    assert validate_figure(broken[1])[0] == "metric ['edu'] not in the catalog"


def test_duplicate_predictions_count_once():
    report = score([fig(), fig()], [fig()])
    assert counts(report) == (1, 1, 0)
    assert report.overall.recall == 1.0
    assert report.overall.precision == 0.5


def test_two_equal_reference_figures_need_two_predictions():
    refs = [fig(text="名班主任200名", value=200.0), fig(text="名教师200名", value=200.0)]
    assert counts(score([fig(value=200.0)], refs)) == (1, 0, 1)
    assert counts(score([fig(value=200.0), fig(value=200.0)], refs)) == (2, 0, 0)


def test_wrong_level_is_a_miss_and_a_false_positive():
    report = score([fig(level="compulsory")], [fig(level="primary")])
    assert counts(report) == (0, 1, 1)
    doc = report.documents["d1"]
    assert doc.misses[0]["level"] == "primary"
    assert doc.false_positives[0]["level"] == "compulsory"


@pytest.mark.parametrize(("field", "wrong"), [("year", 2020), ("kind", "target"), ("doc_id", "d2")])
def test_other_key_fields_must_be_equal(field, wrong):
    assert counts(score([fig(**{field: wrong})], [fig()])) == (0, 1, 1)


def test_matching_is_maximal_not_greedy_by_order():
    refs = [fig(value=1000.0), fig(value=1000.9)]
    preds = [fig(value=1000.5), fig(value=999.5)]  # first fits both, second fits only 1000
    assert len(maximum_matching(preds, refs)) == 2
    assert counts(score(preds, refs)) == (2, 0, 0)


def test_per_domain_numbers():
    reference = [
        fig(),  # funding, found
        fig(value=2000.0, year=2020),  # funding, missed
        fig("full_time_teachers", 2991.0),  # staffing, found
        fig("compulsory_retention_rate", 99.64, level="compulsory"),  # attainment, missed
    ]
    predictions = [
        fig(),
        fig("full_time_teachers", 2991.0),
        fig("full_time_teachers", 1696.0, level="preschool"),  # staffing FP
        fig("schools", 64.0, level="compulsory"),  # enrollment FP
    ]
    report = score(predictions, reference)
    domains = report.by_domain
    assert (domains["funding"].tp, domains["funding"].fp, domains["funding"].fn) == (1, 0, 1)
    assert (domains["staffing"].tp, domains["staffing"].fp, domains["staffing"].fn) == (1, 1, 0)
    assert (domains["attainment"].tp, domains["attainment"].fn) == (0, 1)
    assert (domains["enrollment"].tp, domains["enrollment"].fp) == (0, 1)
    assert domains["funding"].recall == 0.5
    assert domains["staffing"].precision == 0.5
    assert domains["attainment"].f1 == 0.0
    assert counts(report) == (2, 2, 2)
    assert report.overall.f1 == pytest.approx(0.5)


def test_unknown_metric_prediction_is_a_false_positive_in_its_own_domain():
    report = score([{**fig(), "metric": "no_such_metric"}], [])
    assert report.by_domain["unknown"].fp == 1


def test_undecidable_figures_are_neither_rewarded_nor_penalised():
    undecidable = [fig("schools", 49.0, level="primary")]
    predictions = [fig("schools", 49.0, level="compulsory", year=2019), fig("schools", 50.0)]
    report = score(predictions, [], undecidable=undecidable)
    assert counts(report) == (0, 1, 0)
    assert report.documents["d1"].false_positives[0]["value"] == 50.0
    assert report.set_aside == 1


def test_setting_aside_needs_the_same_evidence():
    undecidable = [fig("schools", 3.0, text="街乡联校3所", start=100, end=106)]
    elsewhere = fig("schools", 3.0, text="全国国防教育特色学校3所", start=500, end=512)
    shifted = fig("schools", 3.0, text="城区小学38所,街乡联校3所", start=90, end=92)
    report = score([elsewhere, shifted], [], undecidable=undecidable)
    assert report.documents["d1"].false_positives == [elsewhere]
    assert report.documents["d1"].set_aside == [shifted]


def test_a_reference_match_wins_over_setting_aside():
    report = score([fig()], [fig()], undecidable=[fig()])
    assert counts(report) == (1, 0, 0)
    assert report.set_aside == 0


def test_documents_outside_the_corpus_are_ignored():
    report = score([fig(), fig(doc_id="other")], [fig()], documents={"d1", "d_empty"})
    assert counts(report) == (1, 0, 0)
    assert set(report.documents) == {"d1", "d_empty"}


def test_format_report_lists_domains_documents_misses_and_false_positives():
    text = format_report(score([fig(level="compulsory")], [fig(level="primary")]))
    assert "overall" in text and "funding" in text and "staffing" in text
    assert "d1: 1 missed, 1 FP" in text
    doc_rows = [line.split() for line in text.splitlines() if line.startswith("d1 ")]
    assert doc_rows == [["d1", "1", "1", "0", "1", "1", "0.000", "0.000", "0.000"]]
    assert "MISS edu_general_budget_expenditure primary 2021 actual 1000.0" in text
    assert "FP   edu_general_budget_expenditure compulsory 2021 actual 1000.0" in text


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


def test_load_jsonl_skips_meta_lines_and_reads_folders(tmp_path):
    meta = {"_meta": {"doc_id": "d1", "sha256": "x", "extractor_version": "1"}}
    write_jsonl(tmp_path / "d1.jsonl", [meta, fig()])
    write_jsonl(tmp_path / "d2.jsonl", [fig(doc_id="d2")])
    assert [f["doc_id"] for f in load_jsonl(tmp_path)] == ["d1", "d2"]


def test_load_jsonl_names_the_file_and_line_of_bad_json(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(fig()) + "\n{not json\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.jsonl:2: not JSON"):
        load_jsonl(path)
    with pytest.raises(FileNotFoundError, match=r"missing\.jsonl"):
        load_jsonl(tmp_path / "missing.jsonl")


def test_main_scores_a_prediction_file_against_a_gold_folder(tmp_path, capsys):
    gold = tmp_path / "gold"
    gold.mkdir()
    write_jsonl(gold / "d1.jsonl", [fig(), fig(value=2000.0, year=2020)])
    (gold / "d_empty.jsonl").write_text("", encoding="utf-8")
    preds = write_jsonl(tmp_path / "pred.jsonl", [fig(), fig(doc_id="d_empty")])
    assert main(["--gold", str(gold), str(preds)]) == 0
    out = capsys.readouterr().out
    assert "d1: 1 missed, 0 FP" in out
    assert "d_empty: 0 missed, 1 FP" in out
    assert main(["--gold", str(gold), str(preds), "--fail-under", "0.95"]) == 1
    assert main(["--gold", str(tmp_path / "nope"), str(preds)]) == 2
    capsys.readouterr()
    assert main(["--gold", str(gold / "d1.jsonl"), str(preds)]) == 0
    single = capsys.readouterr().out
    assert "d1: 1 missed, 0 FP" in single
    assert "d_empty" not in single


def test_load_gold_reads_a_folder_or_one_file_with_its_undecidable_figures():
    folder = load_gold(GOLD_SEEDS)
    one = load_gold(GOLD_SEEDS / "002_314c944275f2f8a4.jsonl")
    assert folder.doc_ids == {p.stem for p in SEEDS_DIR.glob("*.txt")}
    assert one.doc_ids == {"002_314c944275f2f8a4"}
    assert {f["doc_id"] for f in one.undecidable} == {"002_314c944275f2f8a4"}
    assert [f for f in folder.figures if f["doc_id"] == "002_314c944275f2f8a4"] == one.figures


def test_validate_figure_accepts_a_spec_figure():
    assert validate_figure(fig()) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"level": "kindergarten"}, "level 'kindergarten' not one of"),
        ({"kind": "plan"}, "kind 'plan' not one of"),
        ({"qualifier": "about"}, "qualifier 'about' not one of"),
        ({"unit": "wan_yuan"}, "unit 'wan_yuan' not one of"),
        ({"unit": "person"}, "unit 'person' but edu_general_budget_expenditure is in 'yuan'"),
        ({"metric": "edu_spend"}, "metric 'edu_spend' not in the catalog"),
        ({"value": "1000"}, "value must be a finite number"),
        ({"year": "2021"}, "year must be an integer"),
        ({"period_start": 2022}, "period_start 2022 after year 2021"),
        ({"region_code": 429005}, "region_code must be a 6-digit string"),
        ({"start": 20, "end": 10}, "out of order"),
        ({"text": ""}, "text must be a non-empty string"),
    ],
)
def test_validate_figure_names_each_departure(change, message):
    errors = validate_figure(fig(**change))
    assert any(message in e for e in errors), errors


def test_validate_figure_checks_keys_and_definitional_bounds():
    incomplete = fig()
    del incomplete["yoy_change"]
    assert validate_figure(incomplete) == ["missing key yoy_change"]
    over = fig("compulsory_retention_rate", 100.5, level="compulsory")
    assert validate_figure(over) == ["value 100.5 above compulsory_retention_rate's bound 100.0"]
    assert validate_figure(["not", "a", "dict"]) == ["expected a JSON object, got list"]


def gold_files() -> list[Path]:
    return sorted(GOLD_SEEDS.glob("*.jsonl")) + sorted(GOLD_SEEDS.glob("undecidable/*.jsonl"))


def test_every_seed_has_a_gold_file():
    seeds = {p.stem for p in SEEDS_DIR.glob("*.txt")}
    assert len(seeds) == 5
    assert {p.stem for p in GOLD_SEEDS.glob("*.jsonl")} == seeds


@pytest.mark.parametrize("path", gold_files(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_gold_figures_validate_and_point_at_their_evidence(path):
    text = (SEEDS_DIR / f"{path.stem}.txt").read_text(encoding="utf-8")
    figures = load_jsonl(path)
    assert figures
    for figure in figures:
        assert validate_figure(figure) == [], figure
        assert figure["doc_id"] == path.stem
        assert text[figure["start"] : figure["end"]] == figure["text"]
    assert len({(f["region"], f["region_code"]) for f in figures}) == 1


def test_gold_and_undecidable_never_describe_the_same_figure():
    gold = load_gold(GOLD_SEEDS)

    def identity(f: dict) -> tuple:
        return f["doc_id"], f["metric"], f["start"], f["end"], f["value"]

    assert not {identity(f) for f in gold.figures} & {identity(f) for f in gold.undecidable}
    assert len(gold.figures) >= 100


@settings(max_examples=30, deadline=None)
@given(order=st.permutations(range(40)), drop=st.sets(st.integers(0, 39), max_size=10))
def test_score_is_independent_of_prediction_order(order, drop):
    gold = load_gold(GOLD_SEEDS).figures[:40]
    predictions = [gold[i] for i in order if i not in drop]
    predictions += [{**gold[i], "year": gold[i]["year"] - 1} for i in sorted(drop)]
    report = score(predictions, gold)
    assert counts(report) == (40 - len(drop), len(drop), len(drop))
    assert counts(score(list(reversed(predictions)), gold)) == counts(report)
