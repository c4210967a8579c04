"""Metric and level wording."""

from edufig.extract.levels import find_levels
from edufig.extract.lexicon import (
    accepts,
    find_keywords,
    partial_metric,
    postfix_metric,
    rate_for_level,
)


def metrics_in(text: str) -> list[tuple[str, ...]]:
    return [hit.metrics for hit in find_keywords(text)]


def test_longest_phrase_wins():
    assert metrics_in("幼儿园生均一般公共预算教育经费") == [
        ("per_student_general_budget_expenditure",)
    ]
    assert metrics_in("一般公共预算教育经费") == [("edu_general_budget_expenditure",)]
    assert metrics_in("生均公共财政预算公用经费") == [("per_student_public_funds",)]
    assert metrics_in("生均公共财政预算教育事业费") == [("per_student_operating_expenditure",)]


def test_share_of_spending_overlaps_the_spending_itself():
    found = metrics_in("公共财政预算教育经费占财政支出的比例")
    assert ("edu_share_of_fiscal_expenditure",) in found
    assert ("fiscal_expenditure_total",) in found


def test_teacher_words_are_kept_apart():
    assert metrics_in("专任教师") == [("full_time_teachers",)]
    assert metrics_in("教职工") == [("staff_total",)]
    assert metrics_in("补充教职工") == [("teachers_recruited",)]
    assert metrics_in("专任教师学历合格率") == [("teacher_qualification_rate",)]


def test_enrollment_rates():
    assert metrics_in("学前三年毛入园率") == [("preschool_gross_enrollment_rate",)]
    assert metrics_in("九年义务教育巩固率") == [("compulsory_retention_rate",)]
    assert [h.by_level for h in find_keywords("适龄儿童少年入学率")] == [True]


def test_units_decide_between_money_and_heads():
    assert accepts("student_aid_funds", "yuan") and not accepts("student_aid_funds", "person")
    assert accepts("students_aided", "person") and accepts("students_aided", "person_time")
    assert accepts("new_school_places", "person") and not accepts("schools", "person")


def test_partial_words_continue_an_earlier_metric_only():
    assert partial_metric("生均", "per_student_public_funds") == "per_student_public_funds"
    assert partial_metric("生均", None) is None
    assert (
        partial_metric("优秀率", "physical_fitness_pass_rate") == "physical_fitness_excellent_rate"
    )
    assert partial_metric("优秀率", "full_time_teachers") is None


def test_words_after_the_number():
    assert postfix_metric("培训经费和300万元教研经费") == "teacher_training_funds"
    assert postfix_metric("中小学教师参与交流轮岗") == "teachers_rotated"
    assert postfix_metric("进行教育信息化建设") == "edu_it_investment"
    assert postfix_metric("乡村教师发放生活补助") is None


def test_levels():
    assert [h.level for h in find_levels("中等职业学校、幼儿园、小学、初中专任教师")] == [
        "secondary_vocational",
        "preschool",
        "primary",
        "junior_secondary",
    ]
    assert [h.level for h in find_levels("其中小学51所")] == ["primary"]
    assert [h.level for h in find_levels("普通高中")] == ["general_senior_secondary"]
    assert [h.level for h in find_levels("高中阶段")] == ["senior_secondary"]


def test_enrollment_rate_by_level():
    assert rate_for_level("入学率", "primary") == "primary_net_enrollment_rate"
    assert rate_for_level("入学率", "junior_secondary") == "junior_gross_enrollment_rate"
    assert rate_for_level("毛入学率", "senior_secondary") == "senior_gross_enrollment_rate"
    assert rate_for_level("毛入学率", "primary") is None
