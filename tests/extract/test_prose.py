"""Figures in running text, with the wording of real reports."""

import pytest

from tests.extract.support import extract, keys


def test_spec_example_with_changes():
    (figure,) = extract(
        "2021年完成一般公共预算教育支出473813.97万元,同比增加11730.67万元,增长2.54%。"
    )
    assert keys([figure]) == [
        ("edu_general_budget_expenditure", "all", 2021, "actual", 4738139700.0)
    ]
    assert figure.yoy_change == pytest.approx(117306700.0)
    assert figure.yoy_growth_pct == pytest.approx(2.54)
    assert figure.unit == "yuan" and figure.qualifier == "exact"


def test_change_after_an_uncatalogued_amount_stays_with_that_amount():
    figures = extract(
        "2018年,全区公共财政预算教育经费为 73618 万元;地方经常性财政收入108881万元,"
        "较上年增长13.25 个百分点;公共财政支出409468 万元。"
    )
    assert keys(figures) == [
        ("edu_general_budget_expenditure", "all", 2018, "actual", 736180000.0),
        ("fiscal_expenditure_total", "all", 2018, "actual", 4094680000.0),
    ]
    assert all(f.yoy_change is None and f.yoy_growth_pct is None for f in figures)


def test_enumeration_shares_one_metric_across_levels():
    text = (
        "2021年幼儿园生均一般公共预算教育经费8079.84元,增长8.75%;普通小学生均13421.51元,"
        "增长4.86%;普通初中生均16148.23元,增长7.22%;中等职业学校生均11888.28元。"
    )
    assert keys(extract(text)) == [
        ("per_student_general_budget_expenditure", "preschool", 2021, "actual", 8079.84),
        ("per_student_general_budget_expenditure", "primary", 2021, "actual", 13421.51),
        ("per_student_general_budget_expenditure", "junior_secondary", 2021, "actual", 16148.23),
        (
            "per_student_general_budget_expenditure",
            "secondary_vocational",
            2021,
            "actual",
            11888.28,
        ),
    ]


def test_level_only_clauses_continue_the_metric():
    text = (
        "2018年,生均公共财政预算教育事业费小学为10969元,初"
        "中为 15263元;生均公共财政预算公用经费小学为1654元"
        ",初中为2459元。"
    )
    assert keys(extract(text)) == [
        ("per_student_operating_expenditure", "primary", 2018, "actual", 10969.0),
        ("per_student_operating_expenditure", "junior_secondary", 2018, "actual", 15263.0),
        ("per_student_public_funds", "primary", 2018, "actual", 1654.0),
        ("per_student_public_funds", "junior_secondary", 2018, "actual", 2459.0),
    ]


def test_base_year_comparisons_yield_the_earlier_figure():
    text = "2022年,全市教育经费总投入为387859万元,比上年的387878万元减少19万元。"
    found = extract(text, published="2024-02-22")
    assert keys(found) == [
        ("edu_total_investment", "all", 2022, "actual", 3878590000.0),
        ("edu_total_investment", "all", 2021, "actual", 3878780000.0),
    ]
    assert found[0].yoy_change == pytest.approx(-190000.0)


def test_comparison_with_a_named_year():
    text = (
        "2020年,全区教育投入10.29亿元(其中,财政性投入8."
        "85亿元),较2015年教育投入的6.86亿元(其中,财政性"
        "投入5.82亿元)增长50%。"
    )
    assert keys(extract(text)) == [
        ("edu_total_investment", "all", 2020, "actual", 1029000000.0),
        ("edu_fiscal_investment", "all", 2020, "actual", 885000000.0),
        ("edu_total_investment", "all", 2015, "actual", 686000000.0),
        ("edu_fiscal_investment", "all", 2015, "actual", 582000000.0),
    ]


def test_progression_from_a_base_year():
    text = "全市财政性学前教育经费由2013年的1.44亿元提高到2016年的3.6亿元,增长1.5倍。"
    assert keys(extract(text, published="2018-01-17")) == [
        ("edu_fiscal_investment", "preschool", 2013, "actual", 144000000.0),
        ("edu_fiscal_investment", "preschool", 2016, "actual", 360000000.0),
    ]


def test_points_and_respective_changes():
    text = "2019年全区高考文化课本科上线率73.1%,重点上线率30.2%,分别较上年提升29.9、4.9个百分点。"
    found = extract(text, published="2019-09-23")
    assert keys(found) == [
        ("gaokao_undergrad_admission_rate", "general_senior_secondary", 2019, "actual", 73.1),
        ("gaokao_key_univ_admission_rate", "general_senior_secondary", 2019, "actual", 30.2),
    ]
    assert [f.yoy_change for f in found] == [29.9, 4.9]


def test_share_with_points_change():
    text = (
        "2022年,全市一般公共预算教育经费占一般公共预算支出181"
        "4597万元的比例15.68%,比上年的18.92%下降3."
        "24个百分点。"
    )
    found = extract(text, published="2024-02-22")
    assert keys(found) == [
        ("fiscal_expenditure_total", "all", 2022, "actual", 18145970000.0),
        ("edu_share_of_fiscal_expenditure", "all", 2022, "actual", 15.68),
        ("edu_share_of_fiscal_expenditure", "all", 2021, "actual", 18.92),
    ]
    assert found[1].yoy_change == pytest.approx(-3.24)


def test_one_rate_for_several_levels():
    text = "2020年,中等职业学校、幼儿园、小学、初中专任教师学历合格率均达100%。"
    assert sorted(keys(extract(text))) == sorted(
        ("teacher_qualification_rate", level, 2020, "actual", 100.0)
        for level in ("secondary_vocational", "preschool", "primary", "junior_secondary")
    )


def test_generic_enrollment_rate_takes_its_metric_from_the_level():
    text = "至2020年底,小学、初中适龄儿童少年入学率均达100%,九年义务教育巩固率达99.64%。"
    assert keys(extract(text)) == [
        ("primary_net_enrollment_rate", "primary", 2020, "actual", 100.0),
        ("junior_gross_enrollment_rate", "junior_secondary", 2020, "actual", 100.0),
        ("compulsory_retention_rate", "compulsory", 2020, "actual", 99.64),
    ]


def test_school_counts_and_sub_types():
    text = (
        "至2020年底,全区义务教育阶段学校64所,其中小学51所,"
        "包括49所公办小学和2所民办小学。公办小学包括城区小学38所"
        "。"
    )
    figures = extract(text)
    assert keys([f for f in figures if f.scope is None]) == [
        ("schools", "compulsory", 2020, "actual", 64.0),
        ("schools", "primary", 2020, "actual", 51.0),
    ]
    assert [(f.value, f.scope) for f in figures if f.scope] == [(38.0, "public")]


def test_statistical_bulletin_lines_inherit_level_and_year():
    text = (
        "三、高中阶段教育\n2023年,全市高中阶段共有学校8所。招生8057人,在校生"
        "29396人,专任教师2287人。\n其中普通高中6所,招生5735人,在校生2"
        "2502人。\n普通高中共有教职工2100人,专任教师1931人。"
    )
    assert keys(extract(text, published="2024-07-15")) == [
        ("schools", "senior_secondary", 2023, "actual", 8.0),
        ("students_enrolled", "senior_secondary", 2023, "actual", 29396.0),
        ("full_time_teachers", "senior_secondary", 2023, "actual", 2287.0),
        ("schools", "general_senior_secondary", 2023, "actual", 6.0),
        ("students_enrolled", "general_senior_secondary", 2023, "actual", 22502.0),
        ("staff_total", "general_senior_secondary", 2023, "actual", 2100.0),
        ("full_time_teachers", "general_senior_secondary", 2023, "actual", 1931.0),
    ]


def test_periods_and_cumulative_figures():
    text = (
        "“十三五”以来,全区共签约引进研究生、免费师范生11名,招录"
        "教师227名,选派65名教师到新建学校交流任教。"
    )
    found = extract(text, published="2019-09-23")
    assert keys(found) == [
        ("teachers_recruited", "all", 2019, "actual", 11.0),
        ("teachers_recruited", "all", 2019, "actual", 227.0),
        ("teachers_rotated", "all", 2019, "actual", 65.0),
    ]
    assert {f.period_start for f in found} == {2016}


def test_relative_periods_count_back_from_the_document():
    (figure,) = extract("近三年来,已招聘229人,以充实农村学校。", published="2020-12-11")
    assert (figure.metric, figure.year, figure.period_start) == ("teachers_recruited", 2020, 2018)


def test_targets():
    text = (
        "到2025年,学前教育毛入园率达到99%,普惠性幼儿园在园幼"
        "儿占比达到95%,培育600名以上各级各类教师人才。"
    )
    found = extract(text + "下一步,力争九年义务教育巩固率达到99.8%。", published="2022-08-25")
    assert keys(found[-1:]) == [("compulsory_retention_rate", "compulsory", 2025, "target", 99.8)]
    found = found[:-1]
    assert keys(found) == [
        ("preschool_gross_enrollment_rate", "preschool", 2025, "target", 99.0),
        ("inclusive_kindergarten_share", "preschool", 2025, "target", 95.0),
        ("distinguished_teachers", "all", 2025, "target", 600.0),
    ]
    assert found[-1].qualifier == "at_least"


def test_money_named_after_the_number_or_by_its_purpose():
    text = (
        "市级每年安排450万元培训经费和300万元教研经费。累计投入"
        "5,898万元进行教育信息化建设。全面落实市政府实事项目,投"
        "资2232万元,建设永定第二幼儿园和福台景园幼儿园。"
    )
    assert keys(extract(text, published="2023-07-12")) == [
        ("teacher_training_funds", "all", 2023, "actual", 4500000.0),
        ("edu_it_investment", "all", 2023, "actual", 58980000.0),
        ("capital_investment", "preschool", 2023, "actual", 22320000.0),
    ]


def test_aid_by_level_skips_semester_splits():
    text = (
        "中职教育国家助学金资助6435人次,发放资金643.4万元,"
        "其中春季学期资助3026人,资助金额302.85万元,"
        "秋季学期资助3409人次,资助金额340.55万元;"
        "高中教育国家免学杂费4711人次,发放资金352.335万元。"
    )
    assert keys(extract(text, published="2022-01-10")) == [
        ("students_aided", "secondary_vocational", 2022, "actual", 6435.0),
        ("student_aid_funds", "secondary_vocational", 2022, "actual", 6434000.0),
        ("students_aided", "general_senior_secondary", 2022, "actual", 4711.0),
        ("student_aid_funds", "general_senior_secondary", 2022, "actual", 3523350.0),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "组织30名责任督学开展专项督导,涉及56所学校87个具体问题事项。",
        "全区有国家级“语言文字示范校”1所、“校园足球特色学校”10所。",
        "为2997名乡村教师发放生活补助1060.875万元。",
        "舞教〔2022106 签发人 联系电话:3303606,2022726。",
        "超额110.9%完成任务,新建5所公办幼儿园,智慧黑板普及率100%。",
    ],
)
def test_decoys_yield_nothing(text):
    assert extract(text) == []


def test_evidence_points_into_the_document():
    text = "一、基本情况\n2023年,全市共有幼儿园81所,入园儿童3354人,在园幼儿17193 人。"
    found = extract(text)
    assert [f.text for f in found] == [
        "2023年,全市共有幼儿园81所,入园儿童3354人,在园幼儿17193 人"
    ] * 2
    for figure in found:
        clause = text[figure.start : figure.end]
        assert str(int(figure.value)) in clause.replace(" ", "") and clause in figure.text


def test_minority_teachers_are_a_scoped_part_not_the_whole():
    (figure,) = extract("有少数民族专任教师19.15万人,占56.61%。")
    assert (figure.metric, figure.scope) == ("full_time_teachers", "minority")
    assert figure.value == 191500.0


def test_statistics_wording_from_other_reports():
    text = (
        "2022年,全县共有各级各类学校215所,其中幼儿园96所(公办幼儿园58所),小学78所,初中24所。"
        "全县在校学生总数为8.6万人,小学生师比为17.5:1,初中生师比为12.8:1。"
        "高中阶段教育毛入学率达到92%,全市共有教职工1.2万人,其中专任教师1.05万人。"
    )
    figures = extract(text, published="2023-03-01")
    assert [(f.value, f.scope) for f in figures if f.scope] == [(58.0, "public")]
    assert keys([f for f in figures if f.scope is None]) == [
        ("schools", "all", 2022, "actual", 215.0),
        ("schools", "preschool", 2022, "actual", 96.0),
        ("schools", "primary", 2022, "actual", 78.0),
        ("schools", "junior_secondary", 2022, "actual", 24.0),
        ("students_enrolled", "all", 2022, "actual", 86000.0),
        ("student_teacher_ratio", "primary", 2022, "actual", 17.5),
        ("student_teacher_ratio", "junior_secondary", 2022, "actual", 12.8),
        ("senior_gross_enrollment_rate", "senior_secondary", 2022, "actual", 92.0),
        ("staff_total", "all", 2022, "actual", 12000.0),
        ("full_time_teachers", "all", 2022, "actual", 10500.0),
    ]


def test_budget_wording_from_other_reports():
    text = (
        "2022年全县教育支出完成12.5亿元,占一般公共预算支出的18.6%。"
        "义务教育阶段学校生均公用经费小学达到800元、初中达到1000元。"
        "全县财政性教育经费投入从2017年的5.2亿元增长到2021年的7.8亿元。"
    )
    assert keys(extract(text, published="2023-03-01")) == [
        ("edu_general_budget_expenditure", "all", 2022, "actual", 1250000000.0),
        ("edu_share_of_fiscal_expenditure", "all", 2022, "actual", 18.6),
        ("per_student_public_funds", "primary", 2022, "actual", 800.0),
        ("per_student_public_funds", "junior_secondary", 2022, "actual", 1000.0),
        ("edu_fiscal_investment", "all", 2017, "actual", 520000000.0),
        ("edu_fiscal_investment", "all", 2021, "actual", 780000000.0),
    ]


def test_spoken_years_and_stock_figures_in_a_semester():
    text = (
        "过去一年,教育支出达到23.6亿元,增长8.2%。"
        "2020年全县义务教育教师年平均工资为9.8万元。"
        "2023年秋季学期,全县共有在校生12.3万人。"
    )
    found = extract(text, published="2023-03-01")
    assert keys(found) == [
        ("edu_general_budget_expenditure", "all", 2022, "actual", 2360000000.0),
        ("teacher_avg_income", "compulsory", 2020, "actual", 98000.0),
        ("students_enrolled", "all", 2023, "actual", 123000.0),
    ]
    assert found[0].yoy_growth_pct == 8.2


def test_respective_values_take_listed_levels_or_metrics():
    text = (
        "2023年,全市小学、初中、普通高中专任教师分别为3150人、4729人和1931人。"
        "学前三年毛入园率、九年义务教育巩固率、高中阶段毛入学率分别为92.5%、98.6%和93.1%。"
        "全县现有中小学校(含教学点)136所。"
    )
    assert keys(extract(text, published="2024-01-01")) == [
        ("full_time_teachers", "primary", 2023, "actual", 3150.0),
        ("full_time_teachers", "junior_secondary", 2023, "actual", 4729.0),
        ("full_time_teachers", "general_senior_secondary", 2023, "actual", 1931.0),
        ("preschool_gross_enrollment_rate", "preschool", 2023, "actual", 92.5),
        ("compulsory_retention_rate", "compulsory", 2023, "actual", 98.6),
        ("senior_gross_enrollment_rate", "senior_secondary", 2023, "actual", 93.1),
        ("schools", "all", 2023, "actual", 136.0),
    ]


def test_subsets_are_left_out():
    text = (
        "2022年全县共有教职工8756人(其中在编8490人),其中专任教师8012人,"
        "专任教师中研究生学历236人,女教师5012人。"
    )
    assert keys(extract(text)) == [
        ("staff_total", "all", 2022, "actual", 8756.0),
        ("full_time_teachers", "all", 2022, "actual", 8012.0),
    ]


def test_a_metric_repeated_after_a_semicolon_keeps_its_level():
    text = "2021年投入学前教育基本建设资金3,260万元,新增学位1,080个;2022年计划再新增学位900个。"
    assert keys(extract(text, published="2022-03-01")) == [
        ("capital_investment", "preschool", 2021, "actual", 32600000.0),
        ("new_school_places", "preschool", 2021, "actual", 1080.0),
        ("new_school_places", "preschool", 2022, "target", 900.0),
    ]


def test_rates_from_another_domain_do_not_take_a_neighbour_level():
    text = (
        "2022年全县小学生师比为17.2∶1,学生体质健康标准达标率为92.1%,"
        "普惠性学前教育资源覆盖率达到88%,公办园在园幼儿比例为55%。"
    )
    assert keys(extract(text, published="2023-03-01")) == [
        ("student_teacher_ratio", "primary", 2022, "actual", 17.2),
        ("physical_fitness_pass_rate", "all", 2022, "actual", 92.1),
        ("inclusive_kindergarten_share", "preschool", 2022, "actual", 88.0),
        ("public_kindergarten_share", "preschool", 2022, "actual", 55.0),
    ]
