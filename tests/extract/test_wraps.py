"""Hard-wrapped text (a PDF copied out line by line) reads as the sentences it was cut from:
the same figures as the paragraph written on one line, with evidence in the wrapped text."""

from __future__ import annotations

import pytest

from bench.damage import hard_wrap
from edufig.extract.textview import make_view
from edufig.extract.wraps import page_width, soft_wraps, wrap_margin
from tests.extract.support import extract, keys

PARAGRAPHS = (
    "  2022年,全县共有各级各类学校156所,在校学生43120人,其中小学在校生21560人,"
    "初中在校生10280人。全县教育系统有专任教师3120人,比上年增加86人。",
    "  全年一般公共预算教育支出达到12.6亿元,比上年增长5.2%,占一般公共预算支出的"
    "比例为18.4%。小学生均一般公共预算教育支出为9876.5元,初中生均一般公共预算教育"
    "支出为13420.8元,均比上年有所增长。",
    "  学前教育毛入园率达到91.5%,九年义务教育巩固率达到97.8%,高中阶段毛入学率达到"
    "93.2%,各项指标均高于全省平均水平。",
)


@pytest.mark.parametrize("columns", [48, 60, 76])
def test_wrapped_paragraphs_give_the_figures_of_the_unwrapped_ones(columns):
    text = "\n".join(PARAGRAPHS * 2)  # a margin is told from six or more lines that reach it
    wrapped = hard_wrap(text, columns)
    assert wrapped.count("\n") > len(PARAGRAPHS) + 2  # cuts inside the sentences
    unwrapped = keys(extract(text))
    assert (
        "per_student_general_budget_expenditure",
        "junior_secondary",
        2022,
        "actual",
        13420.8,
    ) in unwrapped
    assert sorted(keys(extract(wrapped))) == sorted(unwrapped)


def test_evidence_points_into_the_wrapped_text():
    wrapped = hard_wrap("\n".join(PARAGRAPHS), 48)
    figures = extract(wrapped)
    spending = next(f for f in figures if f.value == 13420.8)
    quoted = wrapped[spending.start : spending.end]
    assert quoted == "初中生均一般公共\n预算教育支出为13420.8元"
    assert quoted in spending.text


def test_text_written_a_paragraph_per_line_is_left_alone():
    assert soft_wraps("\n".join(PARAGRAPHS * 3)) == []
    assert make_view("\n".join(PARAGRAPHS)).text == "\n".join(PARAGRAPHS)


def test_indented_paragraphs_list_items_and_table_rows_start_their_own_line():
    body = hard_wrap(PARAGRAPHS[1].strip() * 2, 50)
    text = "\n".join(
        [
            body,
            "  新的段落从缩进开始,这一行不会并入上一行的句子,下面是清单",
            body,
            "(一)学前教育",
            body,
            "学段 | 学校数 | 在校生 | 专任教师 | 生师比 |",
            body,
        ]
    )
    view = make_view(text).text
    assert "\n  新的段落" in view
    assert "\n(一)学前教育" in view
    assert "\n学段 | 学校数" in view
    assert "初中生均一般公共预算教育支出为13420.8元" in view


def test_a_heading_as_wide_as_the_margin_is_not_run_into_its_paragraph():
    body = hard_wrap(PARAGRAPHS[1].strip() * 2, 50)
    heading = "三、各级各类学校生均一般公共预算教育事业费增长情况"  # 50 columns
    view = make_view("\n".join([body, heading, "2022年" + body])).text
    assert f"\n{heading}\n2022年" in view


@pytest.mark.parametrize("marker", ["1)", "2)", "①", "(3)", "4.", "五、"])
def test_a_lead_in_at_the_margin_is_not_run_into_its_first_item(marker):
    body = hard_wrap(PARAGRAPHS[1].strip() * 2, 50)
    lead_in = "2023年各学段生均一般公共预算教育事业费支出情况如下:"  # 50 columns
    view = make_view("\n".join([body, lead_in, f"{marker}普通小学为8120元", body])).text
    assert f"{lead_in}\n{marker}普通小学" in view


def test_a_margin_needs_most_long_lines_to_end_at_it():
    assert wrap_margin([60, 61, 59, 62, 60, 58, 30]) == 62
    assert wrap_margin([60, 61, 59, 62]) is None  # too few lines to tell
    assert wrap_margin([60, 90, 120, 150, 180, 210, 240, 45]) is None
    assert page_width("教育12.5%") == 9
    assert page_width("\ud800") == 2  # a lone surrogate from a broken decode is measured too


def test_full_width_digits_count_as_wide_as_they_were_laid_out():
    prose = "全县坚持教育优先发展战略,持续加大投入,不断改善办学条件,努力办好人民满意的教育。"
    counts = "2022年全县小学在校生31245人,初中18760人,高中9125.5人,中职3470.25人。"
    text = "\n".join([prose * 3 + counts + prose * 3] * 3)
    wide = "".join(chr(0xFF10 + int(c)) if c.isdigit() else c for c in text)
    wrapped = hard_wrap(wide, 60)
    assert wrapped.count("\n") > 5 * wide.count("\n")
    assert make_view(wrapped).text.count("\n") == wide.count("\n")  # every wrap joined
