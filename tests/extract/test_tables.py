"""Indicator and statistics tables, split cell-by-cell or rendered one row per line."""

import pytest

from tests.extract.support import extract, keys

SPLIT_CELLS = "\n".join(
    [
        "专栏一 “十四五”教育事业发展主要目标",
        "|",
        "|||",
        "指标名称", "|", "2020年", "|", "2025年", "|", "属性", "|",
        "基础教育", "|", "|", "|", "|",
        "学前教育毛入园率(%)", "|", "98.91", "|", "99", "|", "预期性", "|",
        "九年义务教育巩固率(%)", "|", "99.64", "|", "100", "|", "预期性", "|",
        "职业教育", "|", "|", "|", "|",
        "中等职业教育在校生", "|", "371", "|", "400", "|", "预期性", "|",
        "义务教育阶段生师比", "|", "15.8:1", "|", "15:1", "|", "约束性", "|",
        "三、重点任务",
    ]
)  # fmt: skip


def test_split_cell_indicator_table():
    assert keys(extract(SPLIT_CELLS, published="2022-08-25")) == [
        ("preschool_gross_enrollment_rate", "preschool", 2020, "actual", 98.91),
        ("preschool_gross_enrollment_rate", "preschool", 2025, "target", 99.0),
        ("compulsory_retention_rate", "compulsory", 2020, "actual", 99.64),
        ("compulsory_retention_rate", "compulsory", 2025, "target", 100.0),
        ("students_enrolled", "secondary_vocational", 2020, "actual", 371.0),
        ("students_enrolled", "secondary_vocational", 2025, "target", 400.0),
        ("student_teacher_ratio", "compulsory", 2020, "actual", 15.8),
        ("student_teacher_ratio", "compulsory", 2025, "target", 15.0),
    ]


@pytest.mark.parametrize("footer", ["\n- 3 -\n", "\n\n第 3 页\n\f\n"])
def test_a_page_footer_between_split_cells_keeps_them_on_their_lines(footer):
    paged = SPLIT_CELLS.replace("98.91\n|\n", f"98.91\n|{footer}", 1)
    assert paged != SPLIT_CELLS
    published = "2022-08-25"
    assert keys(extract(paged, published)) == keys(extract(SPLIT_CELLS, published))


def test_split_cells_set_a_blank_line_apart_read_as_the_table():
    spaced = SPLIT_CELLS.replace("\n", "\n\n")
    published = "2022-08-25"
    assert keys(extract(spaced, published)) == keys(extract(SPLIT_CELLS, published))


def test_rendered_rows_with_year_columns_and_hedged_targets():
    text = (
        "主要指标\n"
        "指标 | 2020年 | 2025年目标\n"
        "普惠性幼儿园覆盖率(%) | 86.5 | 90以上\n"
        "高中阶段毛入学率(%) | 91.2 | 95\n"
        "教育信息化投入(万元) | 1,250 | 2,000\n"
    )
    found = extract(text, published="2021-12-01")
    assert keys(found) == [
        ("inclusive_kindergarten_share", "preschool", 2020, "actual", 86.5),
        ("inclusive_kindergarten_share", "preschool", 2025, "target", 90.0),
        ("senior_gross_enrollment_rate", "senior_secondary", 2020, "actual", 91.2),
        ("senior_gross_enrollment_rate", "senior_secondary", 2025, "target", 95.0),
        ("edu_it_investment", "all", 2020, "actual", 12500000.0),
        ("edu_it_investment", "all", 2025, "target", 20000000.0),
    ]
    assert found[1].qualifier == "at_least"
    assert found[0].text == "普惠性幼儿园覆盖率(%) | 86.5 | 90以上"


def test_rendered_rows_with_metric_columns_and_level_rows():
    text = (
        "2023年各学段基本情况\n"
        "学段 | 学校数(所) | 在校生(人) | 专任教师(人)\n"
        "小学 | 49 | 60766 | 3150\n"
        "初中 | 28 | 23270 | 4729\n"
    )
    assert keys(extract(text, published="2024-07-15")) == [
        ("schools", "primary", 2023, "actual", 49.0),
        ("students_enrolled", "primary", 2023, "actual", 60766.0),
        ("full_time_teachers", "primary", 2023, "actual", 3150.0),
        ("schools", "junior_secondary", 2023, "actual", 28.0),
        ("students_enrolled", "junior_secondary", 2023, "actual", 23270.0),
        ("full_time_teachers", "junior_secondary", 2023, "actual", 4729.0),
    ]


def test_aid_table_takes_the_full_year_group_aligned_from_the_right():
    text = (
        "2021年各学段学生资助情况统计表\n"
        "填报单位:某县教育局 | 单位:万元 | |||\n"
        "2021年春 | 2021年秋 | 全年 | |||\n"
        "资助金额 | 资助人数(人) | 资助金额 | 资助人数 | 资助人数 | 资助金额 | |||\n"
        "学前教育 | 国家助学金 | 27.1 | 313 | 26.9 | 306 | 619 | 54 |\n"
        "义务教育 | 营养改善计划 | 307.55 | 6151 | 12863 | 643.15 | |||\n"
        "国家免学费 | 0 | 0 | |||\n"
    )
    assert keys(extract(text, published="2021-12-20")) == [
        ("students_aided", "preschool", 2021, "actual", 619.0),
        ("student_aid_funds", "preschool", 2021, "actual", 540000.0),
        ("students_aided", "compulsory", 2021, "actual", 12863.0),
        ("student_aid_funds", "compulsory", 2021, "actual", 6431500.0),
    ]


def test_metadata_tables_hold_no_figures():
    text = (
        "索引号 | 012236934/2022-01279 | 主题分类 | 科技、教育\n"
        "发文字号 | 成文日期 | 2022-08-25 |\n"
    )
    assert extract(text) == []


def test_rows_labelled_by_year():
    text = (
        "学前教育发展情况\n年份 | 毛入园率(%) | 普惠率(%)\n2020年 | 88.5 | 80.2\n2025年 | 92 | 85\n"
    )
    assert keys(extract(text, published="2021-06-01")) == [
        ("preschool_gross_enrollment_rate", "preschool", 2020, "actual", 88.5),
        ("inclusive_kindergarten_share", "preschool", 2020, "actual", 80.2),
        ("preschool_gross_enrollment_rate", "preschool", 2025, "target", 92.0),
        ("inclusive_kindergarten_share", "preschool", 2025, "target", 85.0),
    ]


def test_undated_plan_body_with_rendered_table_and_group_lines():
    """A DOCX plan body as the parser renders it: no date, group labels on their own lines."""
    text = (
        "一、“十三五”发展情况\n"
        "2020年,全区学前三年毛入园率达98.5%。至2020年底,全区有特殊教育学校1所。\n"
        "二、“十四五”目标任务\n"
        "到2025年,学前教育毛入园率达到99%。\n"
        "专栏一 主要目标\n"
        "指标名称 | 2020年 | 2025年 | 属性\n"
        "基础教育\n"
        "学前教育普惠率(%) | 92.1 | 95 | 预期性\n"
        "职业教育\n"
        "中等职业教育在校生 | 371 | 400 | 预期性\n"
    )
    assert keys(extract(text, published=None)) == [
        ("preschool_gross_enrollment_rate", "preschool", 2020, "actual", 98.5),
        ("schools", "special", 2020, "actual", 1.0),
        ("preschool_gross_enrollment_rate", "preschool", 2025, "target", 99.0),
        ("inclusive_kindergarten_share", "preschool", 2020, "actual", 92.1),
        ("inclusive_kindergarten_share", "preschool", 2025, "target", 95.0),
        ("students_enrolled", "secondary_vocational", 2020, "actual", 371.0),
        ("students_enrolled", "secondary_vocational", 2025, "target", 400.0),
    ]


def test_unit_columns_and_units_written_in_cells():
    text = (
        "表一 教育经费执行情况\n"
        "指标 | 单位 | 2021年 | 2022年\n"
        "教育经费总投入 | 万元 | 387,878 | 387,859\n"
        "专任教师 | 人 | 11,232 | 11,305\n"
        "一般公共预算教育经费 | | 282255万元 | 28.46亿元\n"
    )
    assert keys(extract(text, published="2023-06-01")) == [
        ("edu_total_investment", "all", 2021, "actual", 3878780000.0),
        ("edu_total_investment", "all", 2022, "actual", 3878590000.0),
        ("full_time_teachers", "all", 2021, "actual", 11232.0),
        ("full_time_teachers", "all", 2022, "actual", 11305.0),
        ("edu_general_budget_expenditure", "all", 2021, "actual", 2822550000.0),
        ("edu_general_budget_expenditure", "all", 2022, "actual", 2846000000.0),
    ]


def test_yearbook_table_with_tab_separated_columns():
    text = (
        "表3 各级学校情况\n类别\t学校数(所)\t在校生(人)\t专任教师(人)\n"
        "普通高中\t7\t15230\t1208\n中等职业学校\t3\t6610\t455\n"
    )
    figures = extract(text, "2021-03-01")
    assert [(f.metric, f.level, f.value) for f in figures] == [
        ("schools", "general_senior_secondary", 7.0),
        ("students_enrolled", "general_senior_secondary", 15230.0),
        ("full_time_teachers", "general_senior_secondary", 1208.0),
        ("schools", "secondary_vocational", 3.0),
        ("students_enrolled", "secondary_vocational", 6610.0),
        ("full_time_teachers", "secondary_vocational", 455.0),
    ]


def test_prose_with_double_spaces_is_not_a_table():
    figures = extract("全县教育投入  8316万元,比上年增长5%,专任教师  3210人。", "2021-03-01")
    assert [(f.metric, f.value) for f in figures] == [
        ("edu_total_investment", 83160000.0),
        ("full_time_teachers", 3210.0),
    ]


def test_a_caption_gives_its_level_to_every_row():
    text = (
        "表5 初中教育基本情况\n指标 | 2021年 | 2022年\n"
        "学校数(所) | 21 | 22\n专任教师(人) | 1904 | 1951\n"
    )
    assert [(f.metric, f.level, f.year, f.value) for f in extract(text, "2023-02-01")] == [
        ("schools", "junior_secondary", 2021, 21.0),
        ("schools", "junior_secondary", 2022, 22.0),
        ("full_time_teachers", "junior_secondary", 2021, 1904.0),
        ("full_time_teachers", "junior_secondary", 2022, 1951.0),
    ]
