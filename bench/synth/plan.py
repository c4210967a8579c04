"""“十四五”教育事业发展规划: the 十三五 review in prose and the 专栏 indicator table.

Patterns of the authored a04 (湄潭县) and seed 004 (杏花岭区): 2020 column → actual 2020,
2025 column → target 2025 (`以上` → at_least); the review's 2020 rate restates the table's.
"""

from __future__ import annotations

import random

from bench.synth.context import Context
from bench.synth.prose import Fact, filler, narrative
from bench.synth.series import SCHOOL_LEVELS

PLANTABLE = ("conflict",)
BASE, TARGET = 2020, 2025


def plan_report(ctx: Context) -> None:
    doc, rng, r = ctx.doc, ctx.rng, ctx.region
    base = ctx.series[BASE]
    doc.line(f"{r.full_name}人民政府办公室关于印发《{r.full_name}“十四五”教育事业发展规划》的通知")
    doc.line("各有关单位:现将规划印发给你们,请认真贯彻执行。")
    doc.line(f"{r.full_name}“十四五”教育事业发展规划")
    doc.line("一、发展基础")
    schools = sum(base.schools[lv] for lv in SCHOOL_LEVELS)
    teachers = sum(base.teachers[lv] for lv in SCHOOL_LEVELS)
    ger = base.preschool_ger
    doc.line(
        f"“十三五”期间,{r.scope}教育事业持续健康发展。至2020年底,{r.scope}有各级各类学校{schools}所,"
        f"专任教师{teachers}人。学前三年毛入园率达到{ger:.2f}%,教育普及水平稳步提升。",
        [
            Fact("schools", "all", BASE, schools, "count"),
            Fact("full_time_teachers", "all", BASE, teachers, "person"),
            Fact("preschool_gross_enrollment_rate", "preschool", BASE, ger, "percent"),
        ],
    )
    for paragraph in narrative(rng, rng.randint(8, 14)):
        doc.line(paragraph)
    doc.line("二、主要目标")
    doc.line(
        "到2025年,基本形成覆盖城乡、布局合理、公平优质的基本公共教育服务体系。" + filler(rng, 1)
    )
    doc.line(f"专栏{rng.choice(('1', '一'))} “十四五”教育事业发展主要指标")
    _indicator_table(ctx)
    doc.line("三、主要任务")
    for paragraph in narrative(rng, rng.randint(14, 24)):
        doc.line(paragraph)


def _table_ger(ctx: Context) -> float:
    ger = ctx.series[BASE].preschool_ger
    if ctx.planted != "conflict":
        return ger
    stated = round(ger + ctx.rng.choice((-1, 1)) * ctx.rng.uniform(1.5, 4.0), 1)
    ctx.plant(
        "conflict",
        "preschool_gross_enrollment_rate",
        "preschool",
        BASE,
        f"text says 至2020年底…学前三年毛入园率达到{ger}%, "
        f"the 专栏 table's 2020 column says {stated}",
        stated=stated,
        true=ger,
    )
    return stated


def _goal(rng: random.Random, reached: float, cap: float) -> float:
    """A 2025 target above what the region reaches by the corpus's last year (plans aim higher)."""
    return round(min(cap, reached + rng.uniform(0.3, 2.0)), 1)


def _indicator_table(ctx: Context) -> None:
    base, rng = ctx.series[BASE], ctx.rng
    ger = _table_ger(ctx)
    ratio = round(
        sum(base.students[lv] for lv in ("primary", "junior_secondary"))
        / sum(base.teachers[lv] for lv in ("primary", "junior_secondary")),
        1,
    )
    latest = ctx.series[max(ctx.series.years)]
    rows = [
        (
            "学前三年毛入园率(%)",
            "preschool_gross_enrollment_rate",
            "preschool",
            "percent",
            ger,
            _goal(rng, max(ger, latest.preschool_ger), 99.0),
        ),
        (
            "九年义务教育巩固率(%)",
            "compulsory_retention_rate",
            "compulsory",
            "percent",
            base.retention,
            _goal(rng, max(base.retention, latest.retention), 99.8),
        ),
        (
            "高中阶段毛入学率(%)",
            "senior_gross_enrollment_rate",
            "senior_secondary",
            "percent",
            base.senior_ger,
            _goal(rng, max(base.senior_ger, latest.senior_ger), 99.0),
        ),
        (
            "义务教育阶段生师比",
            "student_teacher_ratio",
            "compulsory",
            "ratio",
            ratio,
            round(ratio - rng.uniform(0.2, 1.0), 1),
        ),
    ]
    cells = [["指标", "2020年", "2025年", "属性"]]
    facts: list[list[Fact]] = [[]]
    for label, metric, level, unit, now, goal in rows:
        at_least = unit == "percent" and rng.random() < 0.3
        shown = [f"{now:g}:1", f"{goal:g}:1"] if unit == "ratio" else [f"{now:g}", f"{goal:g}"]
        shown[1] += "以上" if at_least else ""
        cells.append([label, *shown, rng.choice(("预期性", "约束性"))])
        facts.append(
            [
                Fact(metric, level, BASE, now, unit),
                Fact(
                    metric,
                    level,
                    TARGET,
                    goal,
                    unit,
                    kind="target",
                    qualifier="at_least" if at_least else "exact",
                ),
            ]
        )
    ctx.doc.table(cells, facts)
