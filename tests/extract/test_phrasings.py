"""Recurring national phrasings, each a general mechanism (issue: "Extraction that generalises").

Every sentence is written for the test, not copied from the document that revealed the gap.
"""

from tests.extract.support import extract, keys


def test_previous_year_stated_before_this_year():
    text = "2020年教育经费统计公告\n全市高中生均一般公共预算公用经费上年2140元,本年2306元。"
    assert keys(extract(text, "2021-11-30")) == [
        ("per_student_public_funds", "general_senior_secondary", 2019, "actual", 2140.0),
        ("per_student_public_funds", "general_senior_secondary", 2020, "actual", 2306.0),
    ]


def test_from_last_years_value_to_this_years():
    text = "2022年,全县小学生均一般公共预算教育事业费由上年的8120.3元提高到8544.9元。"
    assert keys(extract(text)) == [
        ("per_student_operating_expenditure", "primary", 2021, "actual", 8120.3),
        ("per_student_operating_expenditure", "primary", 2022, "actual", 8544.9),
    ]


def test_since_a_year_makes_a_cumulative_figure_up_to_the_documents_year():
    (figure,) = extract("自2016年春季实施营养改善计划以来,全县共投入资金1.9亿元。", "2020-05-01")
    assert (figure.metric, figure.year, figure.period_start) == ("student_aid_funds", 2020, 2016)


def test_a_plan_earlier_in_the_sentence_makes_later_clauses_targets():
    figures = extract("今年拟新建幼儿园6所,新增学前学位2160个,其中公办园学位1800个。", "2024-03-01")
    assert keys(figures)[0] == ("new_school_places", "preschool", 2024, "target", 2160.0)


def test_what_was_done_stays_actual_next_to_a_plan():
    figures = extract("今年计划新增学位2400个,目前已新增学位1650个。", "2023-12-20")
    assert [(f.kind, f.value) for f in figures] == [("target", 2400.0), ("actual", 1650.0)]


def test_amount_whose_unit_the_writer_dropped():
    figures = extract("2019年全县国家财政性教育经费为2.61亿,比去年2.43亿增长7.4%。")
    assert keys(figures) == [
        ("edu_fiscal_investment", "all", 2019, "actual", 261000000.0),
        ("edu_fiscal_investment", "all", 2018, "actual", 243000000.0),
    ]


def test_money_put_in_for_aid_takes_the_level_named_after_it():
    (figure,) = extract("安排资金128万元,免除普通高中建档立卡学生学杂费。", "2021-06-01")
    assert (figure.metric, figure.level, figure.value) == (
        "student_aid_funds",
        "general_senior_secondary",
        1280000.0,
    )


def test_schools_in_an_inspection_sample_are_no_stock():
    text = "评估组随机抽取学校45所,其中小学28所、初中12所。全县共有小学63所。"
    assert keys(extract(text)) == [("schools", "primary", 2022, "actual", 63.0)]


def test_a_level_written_before_another_number_does_not_carry():
    text = (
        "补助标准从2010年的初中每生500元提高到目前的1250元,累计投入资金3.6亿元,惠及学生41万人次。"
    )
    assert [(f.metric, f.level) for f in extract(text)] == [
        ("student_aid_funds", "all"),
        ("students_aided", "all"),
    ]


def test_number_and_unit_split_by_a_line_break():
    figures = extract("全年教育经费总投入 12680\n万元,比上年增长6.1%。")
    assert keys(figures) == [("edu_total_investment", "all", 2022, "actual", 126800000.0)]
    assert figures[0].yoy_growth_pct == 6.1


def test_part_of_a_population_carries_its_scope_and_never_replaces_the_whole():
    text = "全区共有初中12所,其中民办初中2所;专任教师1460人(农村学校780人)。"
    figures = extract(text)
    assert [(f.metric, f.value, f.scope) for f in figures] == [
        ("schools", 12.0, None),
        ("schools", 2.0, "private"),
        ("full_time_teachers", 1460.0, None),
        ("full_time_teachers", 780.0, "rural"),
    ]


def test_fresh_graduates_rate_is_scoped():
    figures = extract("高考本科上线率81.3%,其中应届毕业生本科上线率84.0%。")
    assert [(f.value, f.scope) for f in figures] == [(81.3, None), (84.0, "fresh_graduates")]


def test_programme_names_with_a_scope_word_cover_everyone_they_name():
    (figure,) = extract("农村义务教育学生营养改善计划全年投入资金1860万元。")
    assert (figure.metric, figure.level, figure.scope) == ("student_aid_funds", "compulsory", None)


def test_numbered_items_give_their_level_to_the_sentences_under_them():
    text = (
        "(一)普通高中。全市招生6120人,在校生18344人,专任教师1502人。\n"
        "(二)中等职业教育。在校生7730人,专任教师588人。"
    )
    assert [(f.metric, f.level, f.value) for f in extract(text)] == [
        ("students_enrolled", "general_senior_secondary", 18344.0),
        ("full_time_teachers", "general_senior_secondary", 1502.0),
        ("students_enrolled", "secondary_vocational", 7730.0),
        ("full_time_teachers", "secondary_vocational", 588.0),
    ]


def test_respective_rates_after_a_list_of_levels_are_each_levels_own_rate():
    text = "学前三年、初中、高中阶段毛入学率分别为91.2%、103.5%、93.8%。"
    assert [(f.metric, f.level, f.value) for f in extract(text)] == [
        ("preschool_gross_enrollment_rate", "preschool", 91.2),
        ("junior_gross_enrollment_rate", "junior_secondary", 103.5),
        ("senior_gross_enrollment_rate", "senior_secondary", 93.8),
    ]


def test_programme_lists_pair_heads_with_money():
    text = "落实营养改善计划惠及学生3.1万人次、资金2480万元,减免保教费612人次、43.7万元。"
    assert [(f.metric, f.value) for f in extract(text)] == [
        ("students_aided", 31000.0),
        ("student_aid_funds", 24800000.0),
        ("students_aided", 612.0),
        ("student_aid_funds", 437000.0),
    ]


def test_indicator_table_flattened_one_cell_per_line():
    text = (
        "表1 主要发展指标\n主要指标\n2020年\n2025年\n属性\n"
        "高中阶段毛入学率(%)\n90.4\n95\n预期性\n"
        "义务教育巩固率(%)\n97.1\n98\n约束性\n"
    )
    figures = extract(text, "2021-10-20")
    assert keys(figures) == [
        ("senior_gross_enrollment_rate", "senior_secondary", 2020, "actual", 90.4),
        ("senior_gross_enrollment_rate", "senior_secondary", 2025, "target", 95.0),
        ("compulsory_retention_rate", "compulsory", 2020, "actual", 97.1),
        ("compulsory_retention_rate", "compulsory", 2025, "target", 98.0),
    ]


def test_a_number_broken_across_lines_in_prose_is_rejoined():
    figures = extract("截至年底,全区共有专任教师2\n648人,在校学生3\n9061人。")
    assert [(f.metric, f.value) for f in figures] == [
        ("full_time_teachers", 2648.0),
        ("students_enrolled", 39061.0),
    ]
    text = "截至年底,全区共有专任教师2\n648人,在校学生3\n9061人。"
    assert text[figures[0].start : figures[0].end].endswith("专任教师2\n648人")


def test_page_numbers_between_the_halves_of_a_sentence_are_debris():
    figures = extract("全市一般公共预算教育支出\n— 7 —\n21.3亿元,同比增长5.2%。")
    assert keys(figures) == [("edu_general_budget_expenditure", "all", 2022, "actual", 2.13e9)]
    assert figures[0].yoy_growth_pct == 5.2


def test_a_page_number_set_off_by_blank_lines_is_debris_too():
    text = "全县普通高中专任教师\n\n第 12 页\n\f\n1426人,比上年增加38人。"
    (teachers,) = extract(text)
    assert (teachers.metric, teachers.level, teachers.value) == (
        "full_time_teachers",
        "general_senior_secondary",
        1426.0,
    )
    assert text[teachers.start : teachers.end].endswith("1426人")


def test_table_columns_on_their_own_lines_are_not_joined():
    text = "指标\n2020年\n2025年\n在校生(人)\n12400\n13100\n"
    assert [f.value for f in extract(text)] == [12400.0, 13100.0]


def test_a_sentence_opening_with_qizhong_breaks_down_the_figure_before():
    text = (
        "全市普通初中生均公用经费为3420.5元,比上年的3215.0元增长6.39%。"
        "其中,农村为3388.1元,比上年的3190.2元增长6.2%。"
    )
    figures = extract(text)
    assert [(f.metric, f.level, f.year, f.value, f.scope) for f in figures] == [
        ("per_student_public_funds", "junior_secondary", 2022, 3420.5, None),
        ("per_student_public_funds", "junior_secondary", 2021, 3215.0, None),
        ("per_student_public_funds", "junior_secondary", 2022, 3388.1, "rural"),
        ("per_student_public_funds", "junior_secondary", 2021, 3190.2, "rural"),
    ]


def test_places_provided_by_schools_to_be_built_are_planned_new_places():
    (figure,) = extract("明年将新建小学3所,建成后可提供学位5400个。", "2023-11-02")
    assert keys([figure]) == [("new_school_places", "all", 2023, "target", 5400.0)]


def test_a_semester_named_at_the_head_of_a_sentence_covers_all_of_it():
    text = "2021年春季学期,全县资助学生2310人次,发放资金96.5万元。全年资助资金合计210万元。"
    assert [(f.metric, f.value) for f in extract(text)] == [("student_aid_funds", 2100000.0)]


def test_a_comma_grouping_thousands_does_not_cut_the_clause():
    plain = (
        "2021年全县资助普通高中家庭经济困难学生12540人次,发放国家助学金1254万元,"
        "其中秋季学期资助6320人次,资助金额632万元。"
    )
    grouped = plain.replace("12540", "12,540").replace("6320人次", "6,320人次")
    assert keys(extract(grouped)) == keys(extract(plain))
    assert ("student_aid_funds", "general_senior_secondary", 2021, "actual", 12540000.0) in keys(
        extract(grouped)
    )
