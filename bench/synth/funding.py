"""教育经费执行情况统计公告: totals, budget with 同比增加…增长, share, per-student by level.

Patterns of the authored a01 (邢台), dev 01_suizhou / 02_xinyang and seed 000's enumeration.
"""

from __future__ import annotations

from bench.synth.context import LEVEL_ZH, WAN, Context, wrong_growth
from bench.synth.prose import Fact, change_words, filler, growth, narrative, wan
from bench.synth.series import FUNDED_LEVELS

PLANTABLE = ("unit_scale", "growth", "growth_per_student")


def funding_bulletin(ctx: Context) -> None:
    doc, rng, r, y = ctx.doc, ctx.rng, ctx.region, ctx.year
    doc.line(f"{r.publisher} {r.full_name}统计局 {r.full_name}财政局")
    doc.line(f"关于{y}年{r.scope}教育经费执行情况的统计公告")
    doc.line(
        f"根据《{r.province}教育厅 {r.province}统计局 {r.province}财政厅关于{y}年教育经费执行情况"
        f"的统计公告》要求,现将{y}年{r.scope}教育经费执行情况公告如下:"
    )
    doc.line(f"一、{r.scope}教育经费总投入情况")
    _total_investment(ctx)
    doc.line(filler(rng, 2))
    doc.line("二、一般公共预算教育经费情况")
    _general_budget(ctx)
    _budget_share(ctx)
    doc.line("三、各级教育生均一般公共预算教育经费增长情况")
    doc.line(f"{y}年,{r.scope}各级教育生均一般公共预算教育经费分别为:")
    _per_student(ctx)
    doc.line("四、各级教育生均一般公共预算教育事业费和公用经费情况")
    _operating_and_public(ctx)
    doc.line("五、工作成效")
    for paragraph in narrative(rng, rng.randint(2, 4)):
        doc.line(paragraph)
    doc.line(f"{r.publisher}")
    year, month, day = (int(part) for part in ctx.published.split("-"))
    doc.line(f"{year}年{month}月{day}日")


def _total_investment(ctx: Context) -> None:
    now, before, y, rng = ctx.now, ctx.before, ctx.year, ctx.rng
    g = growth(now.total_investment_wan, before.total_investment_wan)
    gf = growth(now.fiscal_investment_wan, before.fiscal_investment_wan)
    verb, size = change_words(g, "增长", "下降")
    verb_f, size_f = change_words(gf, "增长", "下降")
    ctx.doc.line(
        f"{y}年,{ctx.region.scope}教育经费总投入为{wan(now.total_investment_wan, rng)}万元,"
        f"比上年的{wan(before.total_investment_wan, rng)}万元{verb}{size:.2f}%。其中,国家财政性"
        f"教育经费为{wan(now.fiscal_investment_wan, rng)}万元,比上年{verb_f}{size_f:.2f}%。",
        [
            Fact(
                "edu_total_investment",
                "all",
                y,
                now.total_investment_wan * WAN,
                "yuan",
                yoy_growth_pct=g,
            ),
            Fact("edu_total_investment", "all", y - 1, before.total_investment_wan * WAN, "yuan"),
            Fact(
                "edu_fiscal_investment",
                "all",
                y,
                now.fiscal_investment_wan * WAN,
                "yuan",
                yoy_growth_pct=gf,
            ),
        ],
    )


def _general_budget(ctx: Context) -> None:
    now, before, y, rng = ctx.now, ctx.before, ctx.year, ctx.rng
    delta = round(now.budget_wan - before.budget_wan, 2)
    g = growth(now.budget_wan, before.budget_wan)
    stated_g, amount_unit, value = g, "万元", now.budget_wan * WAN
    metric = "edu_general_budget_expenditure"
    if ctx.planted == "unit_scale":
        amount_unit, value = "元", now.budget_wan
        ctx.plant(
            "unit_scale",
            metric,
            "all",
            y,
            f"万元 amount written as 元: {now.budget_wan}元",
            stated=value,
            true=now.budget_wan * WAN,
        )
    elif ctx.planted == "growth":
        stated_g = wrong_growth(rng, g)
        ctx.plant(
            "growth",
            metric,
            "all",
            y,
            f"同比增加{delta}万元 on {before.budget_wan}万元 is {g}%, the text says {stated_g}%",
            stated=stated_g,
            true=g,
        )
    verb, size = change_words(delta, "增加", "减少")
    verb_g, size_g = change_words(stated_g, "增长", "下降")
    lead = rng.choice(
        (f"(一){y}年{ctx.region.scope}一般公共预算教育经费为", f"{y}年完成一般公共预算教育支出")
    )
    ctx.doc.line(
        f"{lead}{wan(now.budget_wan, rng)}{amount_unit},同比{verb}{wan(size, rng)}万元,"
        f"{verb_g}{size_g:.2f}%。",
        [Fact(metric, "all", y, value, "yuan", yoy_change=delta * WAN, yoy_growth_pct=stated_g)],
    )


def _budget_share(ctx: Context) -> None:
    now, before, y = ctx.now, ctx.before, ctx.year
    diff = round(now.share - before.share, 2)
    verb, size = change_words(diff, "提高", "降低")
    ctx.doc.line(
        f"(二)一般公共预算教育经费占一般公共预算支出比例。{y}年{ctx.region.scope}一般公共预算支出为"
        f"{wan(now.fiscal_expenditure_wan, ctx.rng)}万元,一般公共预算教育经费占一般公共预算支出的"
        f"比例为{now.share:.2f}%,比上年{verb}{size:.2f}个百分点。",
        [
            Fact("fiscal_expenditure_total", "all", y, now.fiscal_expenditure_wan * WAN, "yuan"),
            Fact(
                "edu_share_of_fiscal_expenditure", "all", y, now.share, "percent", yoy_change=diff
            ),
        ],
    )


def _per_student(ctx: Context) -> None:
    now, before, y, rng = ctx.now, ctx.before, ctx.year, ctx.rng
    wrong = rng.choice(FUNDED_LEVELS) if ctx.planted == "growth_per_student" else None
    enumerate_style = rng.random() < 0.6
    parts, facts = [], []
    for number, level in enumerate(FUNDED_LEVELS, 1):
        value, previous = now.per_student[level], before.per_student[level]
        g = growth(value, previous)
        stated = g
        if level == wrong:
            stated = wrong_growth(rng, g)
            ctx.plant(
                "growth",
                "per_student_general_budget_expenditure",
                level,
                y,
                f"{value}元 vs 上年{previous}元 is {g}%, the text says {stated}%",
                stated=stated,
                true=g,
            )
        verb, size = change_words(stated, "增长", "下降")
        facts.append(
            Fact(
                "per_student_general_budget_expenditure",
                level,
                y,
                value,
                "yuan",
                yoy_growth_pct=stated,
            )
        )
        if enumerate_style:
            facts.append(
                Fact("per_student_general_budget_expenditure", level, y - 1, previous, "yuan")
            )
            text = (
                f"{number}.{LEVEL_ZH[level]}为{value:.2f}元,"
                f"比上年的{previous:.2f}元{verb}{size:.2f}%。"
            )
            ctx.doc.line(text, facts)
            facts = []
        else:
            lead = (
                f"{LEVEL_ZH[level]}生均一般公共预算教育经费"
                if number == 1
                else f"{LEVEL_ZH[level]}生均"
            )
            parts.append(f"{lead}{value:.2f}元,{verb}{size:.2f}%")
    if not enumerate_style:
        ctx.doc.line(";".join(parts) + "。", facts)


def _operating_and_public(ctx: Context) -> None:
    now, y = ctx.now, ctx.year
    op, pub = now.operating, now.public_funds
    ctx.doc.line(
        f"{y}年,{ctx.region.scope}普通小学生均一般公共预算教育事业费为{op['primary']:.2f}元,普通初中为"
        f"{op['junior_secondary']:.2f}元,普通高中为{op['general_senior_secondary']:.2f}元。普通小学生均"
        f"一般公共预算公用经费为{pub['primary']:.2f}元,普通初中为{pub['junior_secondary']:.2f}元。",
        [
            Fact("per_student_operating_expenditure", lv, y, op[lv], "yuan")
            for lv in ("primary", "junior_secondary", "general_senior_secondary")
        ]
        + [
            Fact("per_student_public_funds", lv, y, pub[lv], "yuan")
            for lv in ("primary", "junior_secondary")
        ],
    )
