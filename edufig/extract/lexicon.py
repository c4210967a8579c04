"""Metric wording: the catalog's own names plus the aliases reports use.

A keyword names one metric or a small set (`资助` is aid money in 元 and aided students in 人次);
the quantity's unit picks among them. Partial keywords (`生均`, `优秀率`) only continue a
metric already named earlier in the sentence. Postfix keywords follow the number
(`450万元培训经费`, `864名教师参与交流轮岗`).
"""

from __future__ import annotations

import re
from functools import cache
from typing import NamedTuple

from edufig.core.catalog import load_metrics
from edufig.extract.trie import trie_regex

PER_STUDENT = (
    "per_student_general_budget_expenditure",
    "per_student_operating_expenditure",
    "per_student_public_funds",
)
AID = ("student_aid_funds", "students_aided")
KINDERGARTEN_SHARES = ("inclusive_kindergarten_share", "public_kindergarten_share")
PHYSICAL = ("physical_fitness_pass_rate", "physical_fitness_excellent_rate")
BUDGETS = ("", "一般公共预算", "公共财政预算", "公共财政", "预算内", "财政预算内")

ALIASES: dict[str, tuple[str, ...]] = {
    "edu_total_investment": (
        "教育经费总投入",
        "教育总投入",
        "教育投入",
        "教育经费投入",
    ),
    "edu_fiscal_investment": (
        "国家财政性教育经费",
        "财政性教育经费",
        "财政性学前教育经费",
        "财政性教育投入",
        "财政性投入",
        "财政教育总投入",
    ),
    "edu_general_budget_expenditure": (
        "一般公共预算教育支出",
        "一般公共预算教育经费",
        "一般公共预算教育投入",
        "公共财政预算教育经费",
        "公共财政预算教育支出",
        "公共财政教育支出",
        "公共财政教育经费支出",
        "公共财政教育经费",
        "财政预算内教育经费",
        "预算内教育经费",
        "财政教育支出",
        "教育支出",
    ),
    "fiscal_expenditure_total": (
        "一般公共预算支出",
        "公共财政预算支出",
        "公共财政支出",
        "地方财政支出",
        "财政支出",
    ),
    "per_student_general_budget_expenditure": (
        "生均一般公共预算教育经费",
        "生均公共财政预算教育经费",
        "生均一般公共预算教育支出",
        "生均财政性教育经费",
    ),
    "per_student_operating_expenditure": (
        *(f"生均{budget}教育事业费{tail}" for budget in BUDGETS for tail in ("", "支出")),
        "生均事业费",
    ),
    "per_student_public_funds": tuple(f"生均{budget}公用经费" for budget in BUDGETS),
    "student_aid_funds": (
        "资助资金",
        "资助款",
        "资助金额",
        "资助经费",
        "奖助学金",
        "发放资金",
    ),
    "student_loan_amount": (
        "助学贷款金额",
        "贷款金额",
        "生源地信用助学贷款",
        "生源地助学贷款",
        "生源地贷款",
        "助学贷款",
    ),
    "capital_investment": (
        "固定资产实际完成投资",
        "固定资产投资",
        "基本建设投入",
        "基建投入",
        "建设投入资金",
        "建设投入",
        "基建维修资金",
        "基本建设资金",
        "建设资金",
        "校舍维修改造资金",
        "校舍改造资金",
        "维修改造资金",
        "计划投资",
    ),
    "edu_it_investment": (
        "教育信息化投入",
        "信息化建设投入",
        "信息化投入",
        "信息化建设资金",
    ),
    "teacher_training_funds": ("教师培训经费", "培训经费"),
    "teacher_avg_income": (
        "教师人均年收入",
        "人均年收入",
        "教师平均工资",
        "教师年平均工资",
        "教师年均工资",
        "年平均工资",
        "年均工资收入",
    ),
    "full_time_teachers": ("专任教师",),
    "staff_total": ("在编教职工", "教职工人员", "教职工", "教职员工"),
    "teachers_recruited": (
        "补充教职工",
        "补充教师",
        "招录教师",
        "招聘教师",
        "招聘特岗教师",
        "招聘",
        "引进",
    ),
    "teachers_rotated": ("交流轮岗", "交流"),
    "distinguished_teachers": (
        "特级教师",
        "名师",
        "名教师",
        "名班主任",
        "学科带头人",
        "骨干教师",
        "教学名师",
    ),
    "teacher_qualification_rate": ("学历合格率", "学历达标率"),
    "dual_qualified_teacher_share": ("双师型教师占专业课教师比例", "双师型教师比例", "双师型"),
    "preschool_teacher_trained_share": ("接受专业教育的比例", "接受专业教育比例"),
    "student_teacher_ratio": ("生师比",),
    "preschool_gross_enrollment_rate": ("毛入园率", "入园率"),
    "primary_net_enrollment_rate": ("小学净入学率", "净入学率"),
    "junior_gross_enrollment_rate": ("初中毛入学率",),
    "compulsory_retention_rate": ("巩固率",),
    "senior_gross_enrollment_rate": ("高中阶段毛入学率", "高中阶段教育毛入学率"),
    "gaokao_undergrad_admission_rate": ("本科上线率", "本科录取率", "本科升学率", "二本上线率"),
    "gaokao_key_univ_admission_rate": ("重点上线率", "重点本科上线率", "一本上线率", "重点率"),
    "physical_fitness_pass_rate": (
        "体质健康达标率",
        "体质健康合格率",
        "体质测试合格率",
        "体质健康标准达标率",
        "体质健康标准合格率",
        "体质达标率",
        "体质合格率",
    ),
    "physical_fitness_excellent_rate": ("体质健康优秀率",),
    "myopia_rate": ("近视检出率", "近视率", "近视发生率", "近视发病率"),
    "vocational_employment_rate": ("就业率",),
    "inclusive_kindergarten_share": (
        "普惠性幼儿园覆盖率",
        "普惠性幼儿园在园幼儿占比",
        "普惠性幼儿园占全区幼儿园",
        "普惠性资源覆盖率",
        "普惠性学前教育资源覆盖率",
        "普惠性学前教育覆盖率",
        "普惠性幼儿园占",
        "普惠率",
    ),
    "public_kindergarten_share": (
        "公办园在园幼儿占比",
        "公办幼儿园在园幼儿占比",
        "公办幼儿园在园幼儿数占比",
        "公办园占比",
        "公办幼儿园占比",
        "公办园在园幼儿比例",
        "公办幼儿园在园幼儿比例",
    ),
    "disabled_children_enrollment_rate": (
        "残疾儿童入学率",
        "残疾儿童少年入学率",
        "残疾儿童少年义务教育入学率",
    ),
    "students_enrolled": (
        "在校中小学生",
        "在校(园)学生",
        "在校学生",
        "在校生",
        "在园幼儿",
        "在园儿童",
    ),
    "schools": ("各级各类学校", "各类学校"),
    "students_aided": (
        "资助学生",
        "受资助学生",
        "惠及学生",
        "惠及贫困生",
        "惠及大学生",
        "惠及困难学生",
    ),
}
NEW_PLACES = re.compile(r"(?:新增|增加|提供|增设|新设|扩充)[^,;。\d]{0,8}?(?:学位|园位)")
FEE_WAIVER = re.compile(
    r"(?:减|免)除?[^,;。\d]{0,8}?(?:学杂费|学费|保教费|住宿费|作业本费|教科书费)"
)
AIDED_STUDENTS = re.compile(r"(?:惠及|资助|受助)[^,;。\d]{0,8}?学生")
SHARED: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("资助", AID),
    ("国家助学金", AID),
    ("助学金", AID),
    ("免学杂费", AID),
    ("免学费", AID),
    ("营养改善计划", AID),
    ("免费教科书", AID),
    ("生活补助", AID),
)
PARTIAL: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("生均", PER_STUDENT),
    ("优秀率", PHYSICAL),
    ("达标率", PHYSICAL),
    ("在园幼儿占比", KINDERGARTEN_SHARES),
)
PARTIAL_RESULT = {
    "优秀率": "physical_fitness_excellent_rate",
    "达标率": "physical_fitness_pass_rate",
}
BY_LEVEL = ("毛入学率", "入学率")
SHARE_OF_SPENDING = re.compile(r"占[^,;。\d]{0,20}?支出")
POSTFIX: tuple[tuple[str, str], ...] = (
    (r"^(?:的)?培训经费", "teacher_training_funds"),
    (r"^用于[^,;。]{0,6}培训", "teacher_training_funds"),
    (r"^[^,;。]{0,14}(?:交流轮岗|交流任教|支教)", "teachers_rotated"),
    (r"^[^,;。]{0,4}(?:各级各类)?(?:教师人才|骨干教师|名师|学科带头人)", "distinguished_teachers"),
    (r"^[^,;。]{0,4}(?:进行|用于)[^,;。]{0,4}信息化", "edu_it_investment"),
    (r"^[^,;。]{0,4}(?:进行|用于)[^,;。]{0,6}基本建设", "capital_investment"),
)
LEVEL_RATE = {
    "preschool": "preschool_gross_enrollment_rate",
    "primary": "primary_net_enrollment_rate",
    "junior_secondary": "junior_gross_enrollment_rate",
    "senior_secondary": "senior_gross_enrollment_rate",
}
IMPLIED_LEVEL = {
    "preschool_gross_enrollment_rate": "preschool",
    "primary_net_enrollment_rate": "primary",
    "junior_gross_enrollment_rate": "junior_secondary",
    "compulsory_retention_rate": "compulsory",
    "senior_gross_enrollment_rate": "senior_secondary",
    "inclusive_kindergarten_share": "preschool",
    "public_kindergarten_share": "preschool",
    "preschool_teacher_trained_share": "preschool",
    "dual_qualified_teacher_share": "secondary_vocational",
    "vocational_employment_rate": "secondary_vocational",
    "gaokao_undergrad_admission_rate": "general_senior_secondary",
    "gaokao_key_univ_admission_rate": "general_senior_secondary",
}
ACCEPTS = {
    "yuan": ("yuan", "scaled"),
    "person": ("person", "person_time", "scaled"),
    "person_time": ("person_time", "person", "scaled"),
    "count": ("count", "scaled"),
    "percent": ("percent",),
    "ratio": ("ratio",),
}
NEW_PLACES_UNITS = ("count", "person", "scaled")


class KeywordHit(NamedTuple):
    """A metric keyword at [start, end); `partial` ones only continue an earlier metric."""

    start: int
    end: int
    metrics: tuple[str, ...]
    partial: bool = False
    by_level: bool = False


def accepts(metric: str, unit: str) -> bool:
    """Whether a quantity in `unit` can be a value of `metric` (人次 counts heads too)."""
    if metric == "new_school_places":
        return unit in NEW_PLACES_UNITS
    return unit in ACCEPTS[load_metrics()[metric].unit]


@cache
def _entries() -> tuple[tuple[str, tuple[str, ...], bool, bool], ...]:
    entries = [
        (name, (code,), False, False) for code, m in load_metrics().items() for name in (m.name_zh,)
    ]
    entries += [
        (alias, (code,), False, False) for code, aliases in ALIASES.items() for alias in aliases
    ]
    entries += [(alias, codes, False, False) for alias, codes in SHARED]
    entries += [(alias, codes, True, False) for alias, codes in PARTIAL]
    entries += [(alias, (), False, True) for alias in BY_LEVEL]
    return tuple(entries)


@cache
def _compiled() -> tuple[re.Pattern[str], dict[str, tuple[tuple[str, ...], bool, bool]]]:
    meaning: dict[str, tuple[tuple[str, ...], bool, bool]] = {}
    for alias, codes, partial, by_level in _entries():
        meaning.setdefault(alias, (codes, partial, by_level))
    return trie_regex(meaning), meaning


def find_keywords(text: str) -> list[KeywordHit]:
    """Metric keywords, leftmost-longest, plus the phrase patterns (`占…支出` shares,
    `新增…学位`) that may overlap them."""
    pattern, meaning = _compiled()
    hits = []
    for match in pattern.finditer(text):
        codes, partial, by_level = meaning[match.group()]
        hits.append(KeywordHit(match.start(), match.end(), codes, partial, by_level))
    for phrase, code in (
        (SHARE_OF_SPENDING, "edu_share_of_fiscal_expenditure"),
        (NEW_PLACES, "new_school_places"),
        (AIDED_STUDENTS, "students_aided"),
    ):
        hits += [KeywordHit(m.start(), m.end(), (code,)) for m in phrase.finditer(text)]
    hits += [KeywordHit(m.start(), m.end(), AID) for m in FEE_WAIVER.finditer(text)]
    hits.sort(key=lambda h: (h.end, h.start))
    return hits


@cache
def _postfix() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(p), code) for p, code in POSTFIX)


def postfix_metric(after: str) -> str | None:
    """The metric a noun phrase right after a number names (`…万元培训经费`)."""
    if not after:  # the number ends its clause (every phrase has words)
        return None
    for pattern, code in _postfix():
        if pattern.match(after):
            return code
    return None


def rate_for_level(word: str, level: str) -> str | None:
    """`入学率` named with a level is that level's enrollment rate; a gross rate (`毛入学率`)
    of primary school is no catalog metric (the primary one is net)."""
    if word.startswith("毛") and level == "primary":
        return None
    return LEVEL_RATE.get(level)


def partial_metric(word: str, previous: str | None) -> str | None:
    """What a partial keyword means after `previous`: `优秀率` after a fitness rate is the
    excellent rate; `生均` after a per-student metric continues it; otherwise nothing."""
    family = dict(PARTIAL).get(word, ())
    if previous not in family:
        return None
    return PARTIAL_RESULT.get(word, previous)
