"""Each check against planted errors it must catch and near misses it must not flag.

One warehouse for the module: landing rows below, a real `dbt build` of the quality models
and their parents, a real GX checkpoint run. Regions are real GB/T 2260 codes; each planted
error sits in its own region so a flag can only come from the rows meant to raise it.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from edufig.core.config import Settings
from edufig.quality import check_quality, list_flags
from edufig.quality.registry import ALL_BOUNDS, CHECKS
from tests.quality.conftest import evidence_texts, flags_for
from tests.quality.warehouse import Doc, build_quality_models, write_landing

XINGHUALING, CHUXIONG = "140107", "532300"
HARD, PLAUS, SCALE, GROWTH = "130500", "230281", "320981", "510722"
PARTS, CONFLICT, JUMPS, RATIOS = "520328", "610323", "410100", "440300"
TARGETS, PP = "110101", "310101"
ANNUAL, RATIO_ALL, BREAKDOWN, SCOPED = "320102", "330106", "420106", "430102"
SCRIPT = "<script>alert('x')</script>"
AIDED = "全年共资助学生62972人次,其中义务教育阶段20000人次、普通高中10118人次"
ENROLLED = "现有在校学生67786人,其中:幼儿16532人、小学生28266人、初中12705人、高中8416人"
COMPULSORY = "义务教育学校200所,其中小学50所、初中20所"
RURAL = "全区在校学生60000人,其中农村小学生9000人、农村初中生4000人"
SCHOOLS = "全区有学校200所,其中义务教育学校70所(小学50所、初中20所)、普通高中20所"


def rate(metric, year, value, level="all", **extra):
    return {
        "metric": metric,
        "year": year,
        "value": value,
        "unit": "percent",
        "level": level,
        "text": f"{metric} {value}%",
        **extra,
    }


def money(metric, year, value, level="all", **extra):
    return {
        "metric": metric,
        "year": year,
        "value": value,
        "unit": "yuan",
        "level": level,
        "text": f"{metric} {value}元",
        **extra,
    }


def count(metric, year, value, level, unit="count", **extra):
    return {
        "metric": metric,
        "year": year,
        "value": value,
        "unit": unit,
        "level": level,
        "text": f"{metric} {value}",
        **extra,
    }


XINGHUALING_PLAN = Doc(
    "004_xinghualing",
    XINGHUALING,
    title="杏花岭区“十四五”教育事业发展规划",
    figures=[
        rate(
            "preschool_gross_enrollment_rate",
            2020,
            98.5,
            "preschool",
            text="学前三年毛入园率达98.5%",
        ),
        rate(
            "preschool_gross_enrollment_rate",
            2020,
            98.91,
            text="学前教育毛入园率(%) | 98.91 | 99 | 预期性",
        ),
        rate(
            "preschool_gross_enrollment_rate",
            2025,
            99.0,
            kind="target",
            text="学前教育毛入园率达到99%",
        ),
        rate(
            "preschool_gross_enrollment_rate",
            2025,
            99.0,
            kind="target",
            text="学前教育毛入园率(%) | 98.91 | 99",
        ),
        rate(
            "preschool_gross_enrollment_rate",
            2025,
            90.0,
            "preschool",
            kind="target",
            qualifier="at_least",
            text="全区学前三年毛入园率保持90%以上",
        ),
        rate(
            "compulsory_retention_rate",
            2020,
            99.64,
            "compulsory",
            text="九年义务教育巩固率达99.64%",
        ),
        rate("compulsory_retention_rate", 2020, 99.64, text="九年义务教育巩固率(%) | 99.64 | 100"),
        rate(
            "compulsory_retention_rate",
            2025,
            99.7,
            "compulsory",
            kind="target",
            text="九年义务教育巩固率达99.7%",
        ),
        rate(
            "compulsory_retention_rate",
            2025,
            100.0,
            kind="target",
            text="九年义务教育巩固率(%) | 99.64 | 100 | 预期性",
        ),
        rate(
            "primary_net_enrollment_rate",
            2020,
            100.0,
            "primary",
            text="小学净入学率(%) | 100 | 100",
        ),
        count("students_enrolled", 2020, 52403, "all", "person", text="全区在校中小学生52403人"),
        count("students_enrolled", 2020, 48550, "primary", "person", text="其中小学生48550人"),
        count("students_enrolled", 2020, 3853, "junior_secondary", "person", text="初中生3853人"),
        count("students_enrolled", 2020, 16760, "preschool", "person", text="在园幼儿16760人"),
        count("full_time_teachers", 2020, 1696, "preschool", "person", text="专任教师1696人"),
        count("schools", 2020, 64, "compulsory", text="全区义务教育阶段学校64所"),
        count("schools", 2020, 51, "primary", text="其中小学51所"),
        count("schools", 2020, 13, "junior_secondary", text="初级中学13所"),
        money(
            "edu_total_investment",
            2020,
            1.029e9,
            text="全区教育投入10.29亿元(其中,财政性投入8.85亿元)",
        ),
        money(
            "edu_fiscal_investment",
            2020,
            8.85e8,
            text="全区教育投入10.29亿元(其中,财政性投入8.85亿元)",
        ),
        rate(
            "inclusive_kindergarten_share",
            2020,
            92.1,
            "preschool",
            text="学前教育普惠率(%) | 92.1 | 95",
        ),
        rate(
            "inclusive_kindergarten_share",
            2025,
            95.0,
            "preschool",
            kind="target",
            text="学前教育普惠率(%) | 92.1 | 95",
        ),
    ],
)

CHUXIONG_REPORT = Doc(
    "000_chuxiong",
    CHUXIONG,
    title="楚雄州人民政府履行教育职责工作情况报告",
    figures=[
        money(
            "edu_general_budget_expenditure",
            2021,
            4738139700.0,
            yoy_change=117306700.0,
            yoy_growth_pct=2.54,
            text="2021年完成一般公共预算教育支出473813.97万元,同比增加11730.67万元,增长2.54%",
        ),
        money(
            "per_student_general_budget_expenditure",
            2021,
            8079.84,
            "preschool",
            yoy_growth_pct=8.75,
            text="幼儿园生均一般公共预算教育经费8079.84元,增长8.75%",
        ),
        money(
            "per_student_general_budget_expenditure",
            2021,
            13421.51,
            "primary",
            yoy_growth_pct=4.86,
            text="普通小学生均13421.51元,增长4.86%",
        ),
        money(
            "per_student_general_budget_expenditure",
            2021,
            16148.23,
            "junior_secondary",
            yoy_growth_pct=7.22,
            text="普通初中生均16148.23元,增长7.22%",
        ),
    ],
)

PLANTED = [
    Doc(
        "hard",
        HARD,
        figures=[
            rate(
                "compulsory_retention_rate",
                2023,
                100.3,
                "compulsory",
                text=f"九年义务教育巩固率100.3% {SCRIPT}",
            ),
            rate("primary_net_enrollment_rate", 2022, 100.0, "primary"),
            count("schools", 2022, -3, "primary"),
            rate("preschool_gross_enrollment_rate", 2022, 104.0, "preschool"),
        ],
    ),
    Doc(
        "plaus",
        PLAUS,
        figures=[
            money("per_student_general_budget_expenditure", 2021, 52000.0, "primary"),
            money("per_student_general_budget_expenditure", 2021, 150000.0, "junior_secondary"),
            money(
                "per_student_general_budget_expenditure", 2021, 30000.0, "general_senior_secondary"
            ),
            rate("teacher_qualification_rate", 2021, 99.5, "primary"),
        ],
    ),
    Doc(
        "scale",
        SCALE,
        figures=[
            money(
                "per_student_general_budget_expenditure",
                2021,
                123456700.0,
                "primary",
                text="普通小学生均12345.67万元",
            ),
            money(
                "edu_general_budget_expenditure",
                2021,
                473813.97,
                text="一般公共预算教育支出473813.97元",
            ),
            money("student_aid_funds", 2022, 186.3, "preschool", text="学前教育资助资金186.3元"),
            money("student_aid_funds", 2022, 11026000.0, "compulsory"),
            money("student_aid_funds", 2022, 14658000.0, "general_senior_secondary"),
            money("student_aid_funds", 2022, 7684000.0, "secondary_vocational"),
            money("student_aid_funds", 2022, 250000.0, "special"),
        ],
    ),
    Doc(
        "growth",
        GROWTH,
        figures=[
            money("edu_total_investment", 2022, 1.0256e9, yoy_change=5.0e7, yoy_growth_pct=8.0),
            money(
                "per_student_general_budget_expenditure",
                2022,
                13968.30,
                "junior_secondary",
                yoy_growth_pct=7.69,
            ),
            money("per_student_general_budget_expenditure", 2021, 13215.77, "junior_secondary"),
            money(
                "per_student_general_budget_expenditure",
                2022,
                11968.30,
                "primary",
                yoy_growth_pct=5.69,
            ),
            money("per_student_general_budget_expenditure", 2021, 11323.91, "primary"),
            rate("preschool_gross_enrollment_rate", 2021, 94.2, "preschool", yoy_change=1.3),
            rate("preschool_gross_enrollment_rate", 2020, 93.9, "preschool"),
            rate("senior_gross_enrollment_rate", 2021, 92.5, "senior_secondary", yoy_change=0.6),
            rate("senior_gross_enrollment_rate", 2020, 91.9, "senior_secondary"),
        ],
    ),
    Doc(
        "parts",
        PARTS,
        figures=[
            count("schools", 2022, 70, "compulsory"),
            count("schools", 2022, 50, "primary"),
            count("schools", 2022, 13, "junior_secondary"),
            money("edu_total_investment", 2022, 8.0e8),
            money("edu_fiscal_investment", 2022, 9.2e8),
            count("students_aided", 2022, 62972, "all", "person_time"),
            count("students_aided", 2022, 40000, "compulsory", "person_time"),
            count("students_aided", 2022, 34118, "general_senior_secondary", "person_time"),
            count("students_enrolled", 2022, 9000, "senior_secondary", "person"),
            count("students_enrolled", 2022, 6000, "general_senior_secondary", "person"),
            count("students_enrolled", 2022, 3000, "secondary_vocational", "person"),
        ],
    ),
    Doc(
        "conflict_a",
        CONFLICT,
        figures=[
            rate("preschool_gross_enrollment_rate", 2021, 90.5, "preschool"),
            rate("senior_gross_enrollment_rate", 2021, 91.0, "senior_secondary"),
            rate("compulsory_retention_rate", 2021, 97.0, "compulsory", qualifier="approx"),
        ],
    ),
    Doc(
        "conflict_b",
        CONFLICT,
        figures=[
            rate("preschool_gross_enrollment_rate", 2021, 91.7, "preschool"),
            rate("senior_gross_enrollment_rate", 2021, 91.0, "senior_secondary"),
            rate("compulsory_retention_rate", 2021, 96.4, "compulsory"),
        ],
    ),
    Doc(
        "jumps",
        JUMPS,
        figures=[
            money("per_student_general_budget_expenditure", 2020, 15000.0, "junior_secondary"),
            money("per_student_general_budget_expenditure", 2021, 25000.0, "junior_secondary"),
            money("per_student_general_budget_expenditure", 2020, 11000.0, "primary"),
            money("per_student_general_budget_expenditure", 2021, 12430.0, "primary"),
            rate("preschool_gross_enrollment_rate", 2020, 70.0, "preschool"),
            rate("preschool_gross_enrollment_rate", 2021, 95.0, "preschool"),
            rate("senior_gross_enrollment_rate", 2020, 90.0, "senior_secondary"),
            rate("senior_gross_enrollment_rate", 2021, 92.0, "senior_secondary"),
        ],
    ),
    Doc(
        "aid_programmes",
        PARTS,
        figures=[
            count("students_aided", 2021, 62972, "all", "person_time"),
            count("students_aided", 2021, 5875, "preschool", "person_time"),
            count("students_aided", 2021, 37598, "compulsory", "person_time"),
            count("students_aided", 2021, 6435, "secondary_vocational", "person_time"),
            count("students_aided", 2021, 9148, "secondary_vocational", "person_time"),
            count("students_aided", 2021, 10351, "general_senior_secondary", "person_time"),
        ],
    ),
    Doc(
        "ratios",
        RATIOS,
        figures=[
            count("students_enrolled", 2022, 30000, "primary", "person"),
            count("full_time_teachers", 2022, 800, "primary", "person"),
            count("students_enrolled", 2022, 30000, "junior_secondary", "person"),
            count("full_time_teachers", 2022, 500, "junior_secondary", "person"),
            count("students_enrolled", 2022, 20000, "general_senior_secondary", "person"),
            count("full_time_teachers", 2022, 1500, "general_senior_secondary", "person"),
            count("students_enrolled", 2022, 539, "special", "person"),
            count("full_time_teachers", 2022, 37, "special", "person"),
            money("edu_general_budget_expenditure", 2022, 5.0e8),
            money("fiscal_expenditure_total", 2022, 2.9e9),
            rate("edu_share_of_fiscal_expenditure", 2022, 18.5),
        ],
    ),
    Doc(
        "ratios_share",
        RATIOS,
        figures=[
            money("edu_general_budget_expenditure", 2021, 5.0e8),
            money("fiscal_expenditure_total", 2021, 1.0e9),
        ],
    ),
    Doc(
        "targets",
        TARGETS,
        figures=[
            rate("public_kindergarten_share", 2020, 47.7, "preschool"),
            rate("public_kindergarten_share", 2025, 45.0, "preschool", kind="target"),
            rate("physical_fitness_pass_rate", 2020, 96.8),
            rate("physical_fitness_pass_rate", 2025, 97.0, kind="target"),
            rate("myopia_rate", 2020, 50.0),
            rate("myopia_rate", 2025, 45.0, kind="target"),
        ],
    ),
    Doc(
        "pp",
        PP,
        figures=[
            money(
                "edu_total_investment",
                2022,
                1.25e9,
                yoy_growth_pct=3.2,
                text="教育经费总投入12.5亿元,比上年增长3.2个百分点",
            ),
            money(
                "edu_fiscal_investment",
                2022,
                1.0e9,
                yoy_growth_pct=5.1,
                text="财政性教育经费10亿元,增长5.1%,占财政支出比例提高0.8个百分点",
            ),
        ],
    ),
    Doc(
        "annual_a",
        ANNUAL,
        figures=[
            money("student_aid_funds", 2022, 6.6935e7, text="全年共发放学生资助资金6693.5万元"),
            money("student_aid_funds", 2022, 2.0e7, text="其中营养改善计划资金2000万元"),
            count("students_aided", 2022, 31265, "all", "person_time", text="资助学生31265人次"),
            money("capital_investment", 2022, 1.3e8, text="教育基本建设投资1.3亿元"),
            money("edu_it_investment", 2022, 50520100.0, text="教育信息化投入5052.01万元"),
        ],
    ),
    Doc(
        "annual_b",
        ANNUAL,
        figures=[
            money("student_aid_funds", 2022, 7.2e7, text="2022年全区发放资助资金7200万元"),
            count("students_aided", 2022, 31265, "all", "person_time", text="惠及学生31265人次"),
            money("edu_it_investment", 2022, 5.052e7, text="信息化投入5052万元"),
        ],
    ),
    Doc(
        "annual_c",
        ANNUAL,
        figures=[
            money("student_aid_funds", 2022, 9.0e7, text="2022年预算安排学生资助资金9000万元"),
            money(
                "capital_investment",
                2022,
                1.36e8,
                qualifier="approx",
                text="基建投资约1.36亿元",
            ),
        ],
    ),
    Doc(
        "ratio_all",
        RATIO_ALL,
        figures=[
            count("students_enrolled", 2022, 78600, "all", "person", text="在校学生7.86万人"),
            count("full_time_teachers", 2022, 1200, "all", "person", text="专任教师1200人"),
            count("students_enrolled", 2021, 78600, "all", "person"),
            count("full_time_teachers", 2021, 5530, "all", "person"),
            count("students_enrolled", 2020, 60000, "all", "person"),
            count("full_time_teachers", 2020, 1800, "all", "person"),
            count("students_enrolled", 2023, 30000, "all", "person"),
            count("full_time_teachers", 2023, 800, "primary", "person"),
            count("students_enrolled", 2019, 60000, "all", "person"),
            count("students_enrolled", 2019, 16000, "all", "person"),
            count("full_time_teachers", 2019, 1000, "all", "person"),
        ],
    ),
    Doc(
        "breakdown",
        BREAKDOWN,
        figures=[
            *(
                count("students_aided", 2022, n, level, "person_time", text=AIDED)
                for level, n in (
                    ("all", 62972),
                    ("compulsory", 20000),
                    ("general_senior_secondary", 10118),
                )
            ),
            *(
                count("students_enrolled", 2022, n, level, "person", text=ENROLLED)
                for level, n in (
                    ("all", 67786),
                    ("preschool", 16532),
                    ("primary", 28266),
                    ("junior_secondary", 12705),
                    ("general_senior_secondary", 8416),
                )
            ),
            *(
                count("schools", 2021, n, level, text=SCHOOLS)
                for level, n in (
                    ("all", 200),
                    ("compulsory", 70),
                    ("primary", 50),
                    ("junior_secondary", 20),
                    ("general_senior_secondary", 20),
                )
            ),
            *(
                count("schools", 2020, n, level, text=COMPULSORY)
                for level, n in (("compulsory", 200), ("primary", 50), ("junior_secondary", 20))
            ),
            count("schools", 2022, 64, "all", text="全区学校64所,其中小学51所"),
            count("schools", 2022, 51, "primary", text="全区学校64所,其中小学51所"),
            money("student_aid_funds", 2022, 8.0e7, text="资助资金8000万元"),
            money("student_aid_funds", 2022, 1.0e7, "compulsory", text="其中义务教育1000万元"),
            money("student_aid_funds", 2022, 5.0e6, "general_senior_secondary", text="高中500万元"),
        ],
    ),
    Doc(
        "scoped_a",
        SCOPED,
        figures=[
            rate("compulsory_retention_rate", 2023, 100.3, "compulsory"),
            rate("senior_gross_enrollment_rate", 2021, 91.0, "senior_secondary"),
            rate("senior_gross_enrollment_rate", 2021, 80.0, "senior_secondary", scope="rural"),
            rate("compulsory_retention_rate", 2022, 100.5, "compulsory", scope="rural"),
            money("student_aid_funds", 2022, 6.0e7, text="全年发放资助资金6000万元"),
            *(
                count("students_enrolled", 2022, n, level, "person", scope=scope, text=RURAL)
                for level, n, scope in (
                    ("all", 60000, None),
                    ("primary", 9000, "rural"),
                    ("junior_secondary", 4000, "rural"),
                )
            ),
        ],
    ),
    Doc(
        "scoped_b",
        SCOPED,
        figures=[
            money(
                "student_aid_funds", 2022, 1.0e7, scope="private", text="民办学校资助资金1000万元"
            ),
            rate("senior_gross_enrollment_rate", 2021, 91.0, "senior_secondary"),
        ],
    ),
]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    work = tmp_path_factory.mktemp("quality")
    settings = Settings(warehouse=work / "warehouse.duckdb")
    write_landing(settings, [XINGHUALING_PLAN, CHUXIONG_REPORT, *PLANTED])
    build_quality_models(settings, work)
    result = check_quality(settings)
    return settings, result, list_flags(settings)


def test_stage_counts_match_flags(run):
    _, result, flags = run
    assert not result.errors and not result.failed
    assert result.counts["flags"] == len(flags) > 0
    assert result.counts["flags_error"] == sum(f["severity"] == "error" for f in flags)
    assert result.counts["flags_warning"] == sum(f["severity"] == "warning" for f in flags)
    by_check = {
        k.removeprefix("check_"): v for k, v in result.counts.items() if k.startswith("check_")
    }
    assert all(by_check[name] > 0 for name in by_check), by_check


def test_xinghualing_text_and_table_conflicts_are_flagged(run):
    flags = run[2]
    rate_2020 = flags_for(
        flags, "conflicts", XINGHUALING, metric="preschool_gross_enrollment_rate", year=2020
    )
    target_2025 = flags_for(
        flags, "conflicts", XINGHUALING, metric="compulsory_retention_rate", year=2025
    )
    assert len(rate_2020) == 1 and len(target_2025) == 1
    assert rate_2020[0]["severity"] == "error" and rate_2020[0]["kind"] == "actual"
    assert json.loads(rate_2020[0]["values_json"])["values"] == [98.5, 98.91]
    assert json.loads(target_2025[0]["values_json"])["values"] == [99.7, 100.0]
    assert target_2025[0]["kind"] == "target"
    assert (
        "98.5%、98.91%" in rate_2020[0]["message_zh"] and "杏花岭区" in rate_2020[0]["message_zh"]
    )
    assert "学前三年毛入园率达98.5%" in evidence_texts(rate_2020[0])
    assert any("| 98.91 |" in t for t in evidence_texts(rate_2020[0]))
    assert rate_2020[0]["province"] == "山西省" and rate_2020[0]["doc_ids"] == "004_xinghualing"


def test_arithmetic_that_holds_is_not_flagged(run):
    flags = run[2]
    xinghualing = [f for f in flags if f["region_code"] == XINGHUALING]
    assert {f["check_name"] for f in xinghualing} == {"conflicts"}, [
        f["message_en"] for f in xinghualing
    ]
    assert [f for f in flags if f["region_code"] == CHUXIONG] == []


def test_hard_bounds(run):
    flags = flags_for(run[2], "hard_bounds", HARD)
    assert sorted((f["metric"], f["severity"]) for f in flags) == [
        ("compulsory_retention_rate", "error"),
        ("schools", "error"),
    ]
    retention = flags_for(flags, "hard_bounds", metric="compulsory_retention_rate")[0]
    assert "100.3%" in retention["message_zh"] and "[0%, 100%]" in retention["message_zh"]


def test_plausibility_ranges_from_national_statistics(run):
    flags = {f["level"]: f for f in flags_for(run[2], "plausibility", PLAUS)}
    assert set(flags) == {"primary", "junior_secondary"}
    assert flags["primary"]["severity"] == "warning"
    assert flags["junior_secondary"]["severity"] == "error"
    values = json.loads(flags["primary"]["values_json"])
    assert values["national_value"] == 12380.73 and values["soft_max"] == 37142
    assert "2021年全国教育经费执行情况统计公告" in values["source_title"]


def test_unit_scale(run):
    flags = {f["metric"]: f for f in flags_for(run[2], "unit_scale", SCALE)}
    assert set(flags) == {
        "per_student_general_budget_expenditure",
        "edu_general_budget_expenditure",
        "student_aid_funds",
    }
    assert all(f["severity"] == "error" for f in flags.values())
    assert (
        json.loads(flags["per_student_general_budget_expenditure"]["values_json"])["scale_factor"]
        == 1e-4
    )
    assert json.loads(flags["edu_general_budget_expenditure"]["values_json"])["scale_factor"] == 1e4
    aid = flags["student_aid_funds"]
    assert aid["level"] == "preschool" and "186.3元" in aid["message_zh"]
    assert "其他学段" in aid["message_zh"]
    assert flags_for(run[2], "plausibility", SCALE) == []


def test_stated_growth(run):
    flags = flags_for(run[2], "stated_growth", GROWTH)
    found = {(f["metric"], f["level"], f["severity"]) for f in flags}
    assert found == {
        ("edu_total_investment", "all", "error"),
        ("per_student_general_budget_expenditure", "junior_secondary", "warning"),
        ("preschool_gross_enrollment_rate", "preschool", "warning"),
    }
    clause = flags_for(flags, "stated_growth", metric="edu_total_investment")[0]
    assert "按数值为5.13%" in clause["message_zh"] and "增长8.0%" in clause["message_zh"]


def test_parts_against_totals(run):
    flags = flags_for(run[2], "parts_totals", PARTS)
    found = {(f["metric"], json.loads(f["values_json"])["parts_sum"]) for f in flags}
    assert found == {
        ("schools", 63.0),
        ("edu_total_investment", 9.2e8),
        ("students_aided", 74118.0),
    }
    assert all(f["severity"] == "error" for f in flags)


def test_aid_programmes_of_one_level_may_reach_the_same_pupils(run):
    """Two programmes of one level (助学金 and 免学费) count some pupils twice: their sum may
    exceed the stated total while the largest programme of each level does not."""
    flags = flags_for(run[2], "parts_totals", PARTS)
    assert not [f for f in flags if "aid_programmes" in f["doc_ids"]]


def test_conflicts_across_documents(run):
    flags = flags_for(run[2], "conflicts", CONFLICT)
    assert [(f["metric"], f["severity"], f["doc_ids"]) for f in flags] == [
        ("preschool_gross_enrollment_rate", "warning", "conflict_a,conflict_b")
    ]


def test_year_on_year_jumps(run):
    flags = {f["metric"]: f for f in flags_for(run[2], "yoy_jumps", JUMPS)}
    assert set(flags) == {
        "per_student_general_budget_expenditure",
        "preschool_gross_enrollment_rate",
    }
    assert flags["per_student_general_budget_expenditure"]["level"] == "junior_secondary"
    assert "+66.67%" in flags["per_student_general_budget_expenditure"]["message_zh"]
    assert "+25.00个百分点" in flags["preschool_gross_enrollment_rate"]["message_zh"]


def test_derived_ratios(run):
    """Special education is left out: its enrolment counts pupils in regular classes."""
    flags = flags_for(run[2], "derived_ratios", RATIOS)
    found = {(f["metric"], f["level"], f["year"], f["severity"]) for f in flags}
    assert found == {
        ("student_teacher_ratio", "primary", 2022, "warning"),
        ("student_teacher_ratio", "junior_secondary", 2022, "error"),
        ("edu_share_of_fiscal_expenditure", "all", 2022, "warning"),
        ("edu_share_of_fiscal_expenditure", "all", 2021, "error"),
    }


def test_targets_below_baseline(run):
    flags = flags_for(run[2], "targets_baseline", TARGETS)
    assert [(f["metric"], f["year"], f["severity"]) for f in flags] == [
        ("public_kindergarten_share", 2025, "warning")
    ]
    assert "2025年目标45%低于2020年基线47.7%" in flags[0]["message_zh"]


def test_percentage_points_for_an_amount(run):
    flags = flags_for(run[2], "pp_amounts", PP)
    assert [f["metric"] for f in flags] == ["edu_total_investment"]


def test_data_docs_escape_scraped_text(run):
    settings, _, flags = run
    retention = flags_for(flags, "hard_bounds", HARD, metric="compulsory_retention_rate")[0]
    assert SCRIPT in evidence_texts(retention)[0]
    pages = list(Path(settings.data_docs_dir).rglob("*.html"))
    page_text = "\n".join(p.read_text(encoding="utf-8") for p in pages)
    assert "alert(&#x27;x&#x27;)" in page_text
    assert "<script>alert(" not in page_text
    assert retention["data_docs_url"].startswith("file://")
    assert Path(retention["data_docs_url"].removeprefix("file://")).is_file()


def test_flags_table_has_the_contract_columns(run):
    contract = [
        "flag_id",
        "check_name",
        "severity",
        "region_code",
        "region_name",
        "province",
        "metric",
        "metric_name_zh",
        "level",
        "year",
        "kind",
        "doc_ids",
        "values_json",
        "message_zh",
        "message_en",
        "evidence_json",
        "data_docs_url",
        "raised_at",
        "run_id",
    ]
    with duckdb.connect(str(run[0].warehouse), read_only=True) as con:
        columns = [r[0] for r in con.execute("describe dq.dq_flags").fetchall()]
    assert columns == contract
    assert all(set(flag) == set(contract) for flag in run[2])


def test_rerun_replaces_flags_with_stable_ids(run):
    settings, _, flags = run
    again = check_quality(settings)
    rerun = list_flags(settings)
    assert again.counts["flags"] == len(flags)
    assert sorted(f["flag_id"] for f in rerun) == sorted(f["flag_id"] for f in flags)
    assert {f["run_id"] for f in rerun} != {f["run_id"] for f in flags}


def test_list_flags_by_province(run):
    settings = run[0]
    shanxi = list_flags(settings, province="山西省")
    assert shanxi and {f["region_code"] for f in shanxi} == {XINGHUALING}
    assert list_flags(settings, province="山西") == shanxi
    assert list_flags(settings, province="140000") == shanxi


def test_every_bound_a_check_model_sets_is_declared(run):
    """A bound the SQL sets but the registry leaves out would be silently ignored."""
    with duckdb.connect(str(run[0].warehouse), read_only=True) as con:
        for check in CHECKS:
            columns = {r[0] for r in con.execute(f"describe dq.{check.model}").fetchall()}
            present = [b for b in ALL_BOUNDS if b in columns]
            counts = con.execute(
                f"select {', '.join(f'count({b})' for b in present) or '0'} from dq.{check.model}"
            ).fetchone()
            used = {b for b, n in zip(present, counts, strict=False) if n}
            assert used <= set(check.bounds), check.name


def test_annual_totals_across_documents(run):
    flags = flags_for(run[2], "annual_totals", ANNUAL)
    assert [(f["metric"], f["level"], f["year"], f["severity"]) for f in flags] == [
        ("student_aid_funds", "all", 2022, "warning")
    ]
    values = json.loads(flags[0]["values_json"])
    assert values["values"] == [6.6935e7, 7.2e7] and values["documents"] == 2
    assert flags[0]["doc_ids"] == "annual_a,annual_b"
    assert "2份文档给出的全年合计不一致:6,693.5万元、7,200万元" in flags[0]["message_zh"]
    assert "66.94 million yuan, 72.00 million yuan" in flags[0]["message_en"]
    assert flags_for(run[2], "conflicts", ANNUAL) == []


def test_student_teacher_ratio_at_level_all(run):
    flags = flags_for(run[2], "all_levels_ratio", RATIO_ALL)
    found = {(f["metric"], f["level"], f["year"], f["severity"]) for f in flags}
    assert found == {
        ("student_teacher_ratio", "all", 2022, "error"),
        ("student_teacher_ratio", "all", 2020, "warning"),
    }
    error = flags_for(flags, "all_levels_ratio", year=2022)[0]
    values = json.loads(error["values_json"])
    assert (values["soft_min"], values["soft_max"], values["hard_min"], values["hard_max"]) == (
        8,
        30,
        3,
        60,
    )
    assert "在校生78,600人/专任教师1,200人推算全学段生师比为65.50" in error["message_zh"]
    assert "[3.0, 60.0]" in error["message_zh"] and "生师比" in error["message_zh"]
    assert flags_for(run[2], "derived_ratios", RATIO_ALL) == []


def test_breakdown_explaining_well_under_its_total(run):
    flags = flags_for(run[2], "breakdowns", BREAKDOWN)
    found = {(f["metric"], f["level"], f["year"]): json.loads(f["values_json"]) for f in flags}
    assert set(found) == {("students_aided", "all", 2022), ("schools", "all", 2021)}
    equal = flags_for(run[2], "parts_totals", BREAKDOWN)
    assert [(f["metric"], f["level"], f["year"]) for f in equal] == [
        ("schools", "compulsory", 2020)
    ]
    assert found[("students_aided", "all", 2022)]["share_pct"] == 47.8
    assert found[("schools", "all", 2021)]["parts_sum"] == 90
    assert all(f["severity"] == "warning" for f in flags)
    aided = flags_for(flags, "breakdowns", metric="students_aided")[0]
    assert (
        "“其中”所列义务教育、普通高中合计30,118人次,仅为总数62,972人次的47.8%"
        in (aided["message_zh"])
    )
    assert AIDED in evidence_texts(aided)


def test_only_whole_population_figures_are_compared(run):
    """Figures about part of a population (scope 农村, 民办…) are compared with nothing."""
    flags = [f for f in run[2] if f["region_code"] == SCOPED]
    assert [(f["check_name"], f["metric"], f["doc_ids"]) for f in flags] == [
        ("hard_bounds", "compulsory_retention_rate", "scoped_a")
    ]
