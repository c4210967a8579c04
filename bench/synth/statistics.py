"""教育事业发展统计公报: schools, students and teachers by level, ratios, rates with 个百分点.

Patterns of the authored a02 (东台) and dev 03_anqiu / 04_xinjiang; an optional 主要指标 table
at the end restates the three rates (text and table must agree unless an error is planted).
"""

from __future__ import annotations

from bench.synth.context import Context
from bench.synth.prose import Fact, change_words, count, growth, narrative
from bench.synth.series import SCHOOL_LEVELS

PLANTABLE = ("out_of_range", "conflict")
COMPULSORY = ("primary", "junior_secondary")
SENIOR = ("general_senior_secondary", "secondary_vocational")


def _total(values: dict[str, int], levels: tuple[str, ...] = SCHOOL_LEVELS) -> int:
    return sum(values[level] for level in levels)


def _ratio(students: int, teachers: int) -> float:
    return round(students / teachers, 1)


def statistics_bulletin(ctx: Context) -> None:
    doc, rng, r, y = ctx.doc, ctx.rng, ctx.region, ctx.year
    doc.line(f"{y}年{r.full_name}教育事业发展统计公报")
    doc.line(f"来源:{r.publisher}   发布日期:{ctx.published}")
    _overview(ctx)
    doc.line("一、学前教育")
    _preschool(ctx)
    doc.line("二、义务教育")
    retention = _compulsory(ctx)
    doc.line("三、高中阶段教育")
    _senior(ctx)
    doc.line("四、特殊教育")
    n = ctx.now
    doc.line(
        f"特殊教育学校{n.schools['special']}所,在校生{n.students['special']}人,"
        f"专任教师{n.teachers['special']}人。",
        _counts(ctx, "special", n.schools["special"], n.students["special"], n.teachers["special"]),
    )
    doc.line("五、教育事业发展情况")
    for paragraph in narrative(rng, rng.randint(1, 3)):
        doc.line(paragraph)
    if ctx.planted == "conflict" or rng.random() < 0.4:
        _indicator_table(ctx, retention)
    doc.line(f"{r.publisher}")


def _counts(ctx: Context, level: str, schools: int, students: int, teachers: int) -> list[Fact]:
    y = ctx.year
    return [
        Fact("schools", level, y, schools, "count"),
        Fact("students_enrolled", level, y, students, "person"),
        Fact("full_time_teachers", level, y, teachers, "person"),
    ]


def _overview(ctx: Context) -> None:
    n, b, y, rng = ctx.now, ctx.before, ctx.year, ctx.rng
    schools, students, teachers = _total(n.schools), _total(n.students), _total(n.teachers)
    d_schools = schools - _total(b.schools)
    d_teachers = teachers - _total(b.teachers)
    g = growth(students, _total(b.students))
    s_verb, s_size = change_words(d_schools, "增加", "减少")
    g_verb, g_size = change_words(g, "增长", "下降")
    t_verb, t_size = change_words(d_teachers, "增加", "减少")
    ctx.doc.line(
        f"{y}年,{ctx.region.scope}共有各级各类学校{schools}所,比上年{s_verb}{s_size}所;在校生(含在园"
        f"幼儿){count(students, rng)}人,比上年{g_verb}{g_size:.2f}%;"
        f"专任教师{count(teachers, rng)}人,"
        f"比上年{t_verb}{t_size}人。",
        [
            Fact("schools", "all", y, schools, "count", yoy_change=d_schools),
            Fact("students_enrolled", "all", y, students, "person", yoy_growth_pct=g),
            Fact("full_time_teachers", "all", y, teachers, "person", yoy_change=d_teachers),
        ],
    )


def _preschool(ctx: Context) -> None:
    n, b, y, rng = ctx.now, ctx.before, ctx.year, ctx.rng
    lv = "preschool"
    d_students = n.students[lv] - b.students[lv]
    d_ger = round(n.preschool_ger - b.preschool_ger, 2)
    verb, size = change_words(d_students, "增加", "减少")
    ger_verb, ger_size = change_words(d_ger, "提高", "降低")
    ratio = _ratio(n.students[lv], n.teachers[lv])
    facts = _counts(ctx, lv, n.schools[lv], n.students[lv], n.teachers[lv])
    facts[1].yoy_change = d_students
    facts += [
        Fact("student_teacher_ratio", lv, y, ratio, "ratio"),
        Fact(
            "preschool_gross_enrollment_rate", lv, y, n.preschool_ger, "percent", yoy_change=d_ger
        ),
    ]
    ctx.doc.line(
        f"{ctx.region.scope}共有幼儿园{n.schools[lv]}所。"
        f"在园幼儿{count(n.students[lv], rng)}人,比上年{verb}{count(size, rng)}人。"
        f"幼儿园专任教师{n.teachers[lv]}人,生师比{ratio}:1。学前三年毛入园率"
        f"{n.preschool_ger:.2f}%,比上年{ger_verb}{ger_size:.2f}个百分点。",
        facts,
    )


def _compulsory(ctx: Context) -> float:
    """Writes the compulsory paragraph; returns the retention rate it stated."""
    n, b, y, rng = ctx.now, ctx.before, ctx.year, ctx.rng
    retention = n.retention
    if ctx.planted == "out_of_range":
        retention = round(rng.uniform(100.2, 101.8), 2)
        ctx.plant(
            "out_of_range",
            "compulsory_retention_rate",
            "compulsory",
            y,
            f"rate above its 100% bound: 九年义务教育巩固率{retention}%",
            stated=retention,
            true=n.retention,
        )
    d_ret = round(retention - b.retention, 2)
    verb, size = change_words(d_ret, "提高", "降低")
    schools, students = _total(n.schools, COMPULSORY), _total(n.students, COMPULSORY)
    facts = _counts(ctx, "compulsory", schools, students, _total(n.teachers, COMPULSORY))
    facts.append(
        Fact("compulsory_retention_rate", "compulsory", y, retention, "percent", yoy_change=d_ret)
    )
    ctx.doc.line(
        f"{ctx.region.scope}共有义务教育学校{schools}所,在校生{count(students, rng)}人,专任教师"
        f"{_total(n.teachers, COMPULSORY)}人。九年义务教育巩固率{retention:.2f}%,"
        f"比上年{verb}{size:.2f}个百分点。",
        facts,
    )
    for level, name in (("primary", "小学"), ("junior_secondary", "初中")):
        _level_line(ctx, level, name)
    return retention


def _level_line(ctx: Context, level: str, name: str) -> None:
    n, rng = ctx.now, ctx.rng
    ratio = _ratio(n.students[level], n.teachers[level])
    facts = _counts(ctx, level, n.schools[level], n.students[level], n.teachers[level])
    facts.append(Fact("student_teacher_ratio", level, ctx.year, ratio, "ratio"))
    ctx.doc.line(
        f"{name}{n.schools[level]}所,在校生{count(n.students[level], rng)}人,专任教师"
        f"{count(n.teachers[level], rng)}人,生师比{ratio}:1。",
        facts,
    )


def _senior(ctx: Context) -> None:
    n, b, y, rng = ctx.now, ctx.before, ctx.year, ctx.rng
    d_ger = round(n.senior_ger - b.senior_ger, 2)
    verb, size = change_words(d_ger, "提高", "降低")
    schools, students = _total(n.schools, SENIOR), _total(n.students, SENIOR)
    ctx.doc.line(
        f"高中阶段毛入学率{n.senior_ger:.2f}%,比上年{verb}{size:.2f}个百分点。{ctx.region.scope}共有高中"
        f"阶段学校{schools}所,在校生{count(students, rng)}人。",
        [
            Fact(
                "senior_gross_enrollment_rate",
                "senior_secondary",
                y,
                n.senior_ger,
                "percent",
                yoy_change=d_ger,
            ),
            Fact("schools", "senior_secondary", y, schools, "count"),
            Fact("students_enrolled", "senior_secondary", y, students, "person"),
        ],
    )
    _level_line(ctx, "general_senior_secondary", "普通高中")
    lv = "secondary_vocational"
    ctx.doc.line(
        f"中等职业学校{n.schools[lv]}所(不含技工学校),在校生{count(n.students[lv], rng)}人,"
        f"专任教师{n.teachers[lv]}人。",
        _counts(ctx, lv, n.schools[lv], n.students[lv], n.teachers[lv]),
    )


def _indicator_table(ctx: Context, retention: float) -> None:
    n, y = ctx.now, ctx.year
    ger = n.preschool_ger
    if ctx.planted == "conflict":
        ger = round(ger + ctx.rng.choice((-1, 1)) * ctx.rng.uniform(1.5, 4.0), 1)
        ctx.plant(
            "conflict",
            "preschool_gross_enrollment_rate",
            "preschool",
            y,
            f"text says 学前三年毛入园率{n.preschool_ger}%, the indicator table says {ger}",
            stated=ger,
            true=n.preschool_ger,
        )
    rows = [
        ("学前三年毛入园率(%)", "preschool_gross_enrollment_rate", "preschool", ger),
        ("九年义务教育巩固率(%)", "compulsory_retention_rate", "compulsory", retention),
        ("高中阶段毛入学率(%)", "senior_gross_enrollment_rate", "senior_secondary", n.senior_ger),
    ]
    ctx.doc.line(f"附表:{y}年主要教育指标")
    ctx.doc.table(
        [["指标", f"{y}年"]] + [[label, f"{value:g}"] for label, _, _, value in rows],
        [[]] + [[Fact(m, lv, y, value, "percent")] for _, m, lv, value in rows],
    )
