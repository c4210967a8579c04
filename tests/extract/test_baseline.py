"""The JioNLP nearest-keyword peer produces records in the same format."""

from edufig.core.records import ParsedDocument
from edufig.extract.baseline import baseline_figures


def test_baseline_reads_money_with_jionlp_and_the_nearest_keyword():
    text = "2021年完成一般公共预算教育支出473813.97万元,同比增加11730.67万元。专任教师2991名。"
    doc = ParsedDocument(doc_id="b", text=text, sha256="", published_date="2022-01-01")
    found = [(f.metric, f.level, f.year, f.value) for f in baseline_figures(doc)]
    assert ("edu_general_budget_expenditure", "all", 2021, 4738139700.0) in found
    assert ("full_time_teachers", "all", 2021, 2991.0) in found
    assert ("edu_general_budget_expenditure", "all", 2021, 117306700.0) in found
