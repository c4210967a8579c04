"""Which year a document describes, decided once per document (spec: "Which year").

Sentences here are written for the tests, in the style of the report types they stand for;
none is taken from the documents that revealed the rule.
"""

from edufig.core.records import ParsedDocument
from edufig.extract.context import document_context
from tests.extract.support import extract, keys


def context_of(text: str, published: str | None = None, **meta: str):
    doc = ParsedDocument(doc_id="t", text=text, sha256="", published_date=published, **meta)
    return document_context(doc, text)


def test_annual_bulletin_published_two_years_later_describes_its_title_year():
    text = (
        "宁远县2019年教育经费执行情况统计公告\n"
        "全县普通初中生均公用经费上年为1210.4元,本年为1302.8元。"
    )
    context = context_of(text, "2021-04-02")
    assert (context.reference_year, context.basis, context.doc_type) == (2019, "title", "bulletin")
    assert keys(extract(text, "2021-04-02")) == [
        ("per_student_public_funds", "junior_secondary", 2018, "actual", 1210.4),
        ("per_student_public_funds", "junior_secondary", 2019, "actual", 1302.8),
    ]


def test_school_year_bulletin_counts_stocks_at_the_start_and_flows_over_the_year():
    text = (
        "某区2020-2021学年教育事业发展统计公报\n"
        "全区共有小学31所,在校生20412人。本学年共发放国家助学金356.2万元。"
    )
    context = context_of(text, "2021-09-15")
    assert (context.reference_year, context.basis) == (2020, "school_year")
    figures = extract(text, "2021-09-15")
    assert keys(figures)[:2] == [
        ("schools", "primary", 2020, "actual", 31.0),
        ("students_enrolled", "primary", 2020, "actual", 20412.0),
    ]


def test_plan_starting_position_describes_the_year_before_the_plan():
    text = (
        "某县“十四五”教育事业发展规划\n一、发展基础\n"
        "全县现有专任教师4311人,九年义务教育巩固率96.8%。\n"
        "二、主要目标\n九年义务教育巩固率达到98%。"
    )
    context = context_of(text, "2021-12-01")
    assert (context.reference_year, context.now_year, context.basis) == (2020, 2021, "plan_period")
    assert keys(extract(text, "2021-12-01")) == [
        ("full_time_teachers", "all", 2020, "actual", 4311.0),
        ("compulsory_retention_rate", "compulsory", 2020, "actual", 96.8),
        ("compulsory_retention_rate", "compulsory", 2025, "target", 98.0),
    ]


def test_title_below_a_download_sites_header_still_names_the_year():
    text = (
        "- 12页\n- 2023-05-02 发布于江苏\n- 举报\n2015 年教育工作总结\n"
        "今年全县教育投入共计 6120 万元。"
    )
    assert context_of(text).reference_year == 2015
    expected = [("edu_total_investment", "all", 2015, "actual", 61200000.0)]
    assert keys(extract(text, None)) == expected


def test_a_year_in_a_photo_caption_is_not_the_documents_year():
    text = "图为1998年建成的校舍。\n全县累计投入资金3.2亿元,惠及学生12.5万人次。"
    context = context_of(text, "2022-03-08", doc_type="新闻图片说明")
    assert (context.reference_year, context.basis) == (2022, "published")


def test_reply_without_a_year_describes_the_year_it_was_written():
    text = "关于加强农村学校建设的建议的答复\n我县已投入资金860万元用于改造校舍。"
    context = context_of(text, "2023-07-11")
    assert (context.reference_year, context.doc_type) == (2023, "reply")
