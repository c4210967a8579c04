"""履行教育职责自评报告: prose with funding, per-student enumeration, teachers and aid.

Patterns of seed 000 (楚雄州), seed 001 (潜江市) and the authored a03 (三台县).
"""

from __future__ import annotations

from bench.synth.context import WAN, Context
from bench.synth.prose import Fact, change_words, filler, growth, narrative, wan

PLANTABLE = ("unit_scale",)


def selfeval_report(ctx: Context) -> None:
    doc, rng, r, y = ctx.doc, ctx.rng, ctx.region, ctx.year
    doc.line(f"{r.full_name}人民政府履行教育职责工作情况报告")
    doc.line(
        f"根据《{r.province}人民政府教育督导委员会关于开展{y + 1}年"
        "履行教育职责评价工作的通知》要求,"
        f"{r.full_name}人民政府认真组织开展自评工作,现将{y}年履行教育职责工作情况报告如下:"
    )
    doc.line("一、主要做法及成效")
    doc.line("(一)落实教育工作职责,形成合力推动发展。" + filler(rng, 3))
    for paragraph in narrative(rng, rng.randint(8, 14)):
        doc.line(paragraph)
    text, facts = _funding_sentence(ctx)
    doc.line("(二)加大教育经费投入,强化条件保障。" + text, facts)
    doc.line(_per_student_sentence(ctx), _per_student_facts(ctx))
    doc.line("(三)加强教师队伍建设。" + filler(rng, 2))
    n = ctx.now
    doc.line(
        f"优先保障各级各类学校教师配备和补充需求,{y}年{r.scope}共补充教职工{n.recruited}人。",
        [Fact("teachers_recruited", "all", y, n.recruited, "person")],
    )
    doc.line(
        f"(四)落实学生资助政策。{y}年{r.scope}共下达资助资金{wan(n.aid_wan, rng)}万元,"
        f"资助学生{n.aided}人次。",
        [
            Fact("student_aid_funds", "all", y, n.aid_wan * WAN, "yuan"),
            Fact("students_aided", "all", y, n.aided, "person_time"),
        ],
    )
    for paragraph in narrative(rng, rng.randint(6, 10)):
        doc.line(paragraph)
    doc.line("二、存在的问题")
    doc.line(filler(rng, 2))
    doc.line("三、下一步工作打算")
    for paragraph in narrative(rng, rng.randint(6, 10)):
        doc.line(paragraph)
    doc.line(f"{r.full_name}人民政府")


def _funding_sentence(ctx: Context) -> tuple[str, list[Fact]]:
    n, b, y, rng = ctx.now, ctx.before, ctx.year, ctx.rng
    delta = round(n.budget_wan - b.budget_wan, 2)
    g = growth(n.budget_wan, b.budget_wan)
    unit, value = "万元", n.budget_wan * WAN
    if ctx.planted == "unit_scale":
        unit, value = "元", n.budget_wan
        ctx.plant(
            "unit_scale",
            "edu_general_budget_expenditure",
            "all",
            y,
            f"万元 amount written as 元: {n.budget_wan}元",
            stated=value,
            true=n.budget_wan * WAN,
        )
    verb, size = change_words(delta, "增加", "减少")
    verb_g, size_g = change_words(g, "增长", "下降")
    text = (
        f"{y}年完成一般公共预算教育支出{wan(n.budget_wan, rng)}{unit},"
        f"同比{verb}{wan(size, rng)}万元,"
        f"{verb_g}{size_g:.2f}%。"
    )
    fact = Fact(
        "edu_general_budget_expenditure",
        "all",
        y,
        value,
        "yuan",
        yoy_change=delta * WAN,
        yoy_growth_pct=g,
    )
    return text, [fact]


def _per_student_facts(ctx: Context) -> list[Fact]:
    n, y = ctx.now, ctx.year
    return [
        Fact(
            "per_student_general_budget_expenditure",
            lv,
            y,
            n.per_student[lv],
            "yuan",
            yoy_growth_pct=growth(n.per_student[lv], ctx.before.per_student[lv]),
        )
        for lv in ("preschool", "primary", "junior_secondary")
    ]


def _per_student_sentence(ctx: Context) -> str:
    n, b = ctx.now, ctx.before
    parts = []
    for lv, name in (
        ("preschool", "幼儿园"),
        ("primary", "普通小学"),
        ("junior_secondary", "普通初中"),
    ):
        verb, size = change_words(growth(n.per_student[lv], b.per_student[lv]), "增长", "下降")
        lead = f"{name}生均一般公共预算教育经费" if lv == "preschool" else f"{name}生均"
        parts.append(f"{lead}{n.per_student[lv]:.2f}元,{verb}{size:.2f}%")
    return ";".join(parts) + "。"
