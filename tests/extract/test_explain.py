"""Confidence and `edufig extract --explain`: why each field came out as it did."""

import subprocess
import sys

from tests.extract.support import extract


def test_confidence_is_higher_for_stated_cues_than_for_inherited_ones():
    (stated,) = extract("2021年全县普通初中专任教师2310人。", "2022-04-01")
    assert stated.confidence is not None and stated.confidence >= 0.85
    figures = extract("全县学生资助工作情况:\n共投入资金900万元,惠及学生1.2万人次。", "2022-04-01")
    inherited = figures[0]
    assert inherited.metric == "student_aid_funds"
    assert inherited.confidence < stated.confidence
    assert all(0 < f.confidence <= 1 for f in figures)


def test_explain_prints_the_documents_context_and_each_fields_cue(tmp_path):
    path = tmp_path / "bulletin.txt"
    path.write_text(
        "2019年教育经费执行情况统计公告\n全县普通小学生均公用经费上年为812元,本年为860元。",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "edufig.cli", "extract", "--explain", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    out = result.stdout
    assert "reference year 2019 (title)" in out
    assert "per_student_public_funds primary 2018 actual 812" in out
    assert "metric: keyword «生均公用经费»" in out
    assert "year: stated in the sentence" in out
