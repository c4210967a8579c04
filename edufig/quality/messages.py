"""Flag messages in Chinese and English, written from the values a check row carries.

A provincial reviewer should see what is wrong and by how much without opening the data:
the numbers as the report writes them (万元/亿元, %), the comparison made and the range or
rule it broke, with its source. Templates are keyed by check and, where a check compares
in several ways, by the comparison.
"""

from __future__ import annotations

from edufig.quality.suites import CHECKS_BY_NAME

UNIT_SUFFIX = {
    "zh": {"person": "人", "person_time": "人次", "percent": "%"},
    "en": {"person": " persons", "person_time": " person-times", "percent": "%"},
}

TEMPLATES: dict[str, tuple[str, str]] = {
    "hard_bounds": (
        "数值{value}超出指标定义允许的范围[{hard_min}, {hard_max}]",
        "value {value} is outside the range its definition allows [{hard_min}, {hard_max}]",
    ),
    "plausibility:error": (
        "数值{value}超出硬区间[{hard_min}, {hard_max}]{source}",
        "value {value} is outside the hard range [{hard_min}, {hard_max}]{source}",
    ),
    "plausibility:warning": (
        "数值{value}超出合理区间[{soft_min}, {soft_max}]{source}",
        "value {value} is outside the plausible range [{soft_min}, {soft_max}]{source}",
    ),
    "unit_scale:range": (
        "数值{value}超出合理区间,乘以{scale_factor}后为{rescaled}则在区间内{source},疑似单位错误",
        "value {value} is outside the plausible range{source}, but {rescaled} (×{scale_factor}) "
        "is inside: a unit slip",
    ),
    "unit_scale:siblings": (
        "数值{value}与同一文档其他学段相差千倍以上(中位数{ref_low}),乘以{scale_factor}后为{rescaled},"
        "疑似单位错误",
        "value {value} is over 1000 times off the document's other levels (median {ref_low}); "
        "×{scale_factor} gives {rescaled}: a unit slip",
    ),
    "stated_growth:clause": (
        "数值{value}、同比增加{yoy_change}与所述增长{yoy_growth_pct}%不符,按数值为{implied}%",
        "value {value}, change {yoy_change} and growth {yoy_growth_pct}% disagree: "
        "the values give {implied}%",
    ),
    "stated_growth:previous_growth": (
        "所述增长{yoy_growth_pct}%与上年数值不符:{previous_value}→{value}为{implied}%",
        "stated growth {yoy_growth_pct}% disagrees with last year: "
        "{previous_value} → {value} is {implied}%",
    ),
    "stated_growth:previous_change": (
        "所述同比变动{yoy_change}与上年数值不符:{previous_value}→{value}变动{implied_change}",
        "stated change {yoy_change} disagrees with last year: "
        "{previous_value} → {value} is {implied_change}",
    ),
    "parts_totals:equal": (
        "分项({parts})之和{parts_sum}应等于合计{total}",
        "the parts ({parts}) add up to {parts_sum}, not the total {total}",
    ),
    "parts_totals:at_most": (
        "分项({parts})之和{parts_sum}超过合计{total}",
        "the parts ({parts}) add up to {parts_sum}, more than the total {total}",
    ),
    "conflicts:one document": (
        "同一文档给出相互矛盾的数值:{values}",
        "one document gives conflicting values: {values}",
    ),
    "conflicts:across documents": (
        "不同文档给出相互矛盾的数值:{values}",
        "documents give conflicting values: {values}",
    ),
    "yoy_jumps": (
        "同比变动{jump}({jump_source})超出区间[{low}, {high}]{source}",
        "year-on-year change {jump} ({jump_source}) is outside [{low}, {high}]{source}",
    ),
    "derived_ratios": (
        "由{numerator}/{denominator}推算为{derived},超出区间[{low}, {high}]{source}",
        "{numerator}/{denominator} gives {derived}, outside [{low}, {high}]{source}",
    ),
    "derived_ratios:stated_share": (
        "所述教育支出占比{stated}%与推算值{derived}%不符",
        "stated education share {stated}% disagrees with the derived {derived}%",
    ),
    "targets_baseline": (
        "{target_year}年目标{target}低于{baseline_year}年基线{baseline}(该指标越高越好)",
        "the {target_year} target {target} is below the {baseline_year} baseline {baseline}",
    ),
    "pp_amounts": (
        "金额或数量的增长用了“个百分点”,应为百分比(%)",
        "the growth of an amount is given in percentage points (个百分点), not per cent",
    ),
}
MONEY_KEYS = {
    *("value", "yoy_change", "previous_value", "implied_change", "total", "parts_sum"),
    *("target", "baseline", "rescaled", "hard_min", "hard_max", "soft_min", "soft_max"),
    *("ref_low", "ref_high"),
}


def number(value: float | None, unit: str | None = None, lang: str = "zh") -> str:
    """A value the way reports write it: money in 万元/亿元 (million yuan in English)."""
    if value is None:
        return "—"
    if unit == "yuan" and lang == "en":
        return f"{value / 1e6:,.2f} million yuan" if abs(value) >= 1e6 else f"{value:,.2f} yuan"
    if unit == "yuan" and abs(value) >= 1e4:
        scaled, suffix = (value / 1e8, "亿元") if abs(value) >= 1e8 else (value / 1e4, "万元")
        return f"{scaled:,.4f}".rstrip("0").rstrip(".") + suffix
    text = f"{value:,.4f}".rstrip("0").rstrip(".")
    return text + ("元" if unit == "yuan" else UNIT_SUFFIX[lang].get(unit or "", ""))


def _template_key(check: str, values: dict, severity: str) -> str:
    variant = next(
        (values[k] for k in ("comparison", "relation", "scope", "detected_by") if values.get(k)),
        None,
    )
    if values.get("ratio") == "stated_share":
        variant = "stated_share"
    for key in (f"{check}:{variant}", f"{check}:{severity}", check):
        if key in TEMPLATES:
            return key
    raise KeyError(f"no message template for check {check!r}")


def _change_fields(values: dict, lang: str) -> dict:
    """Changes of a rate are in percentage points; growth and jumps keep their sign."""
    fields = {}
    if values.get("unit") == "percent":
        for key in ("yoy_change", "implied_change"):
            if values.get(key) is not None:
                fields[key] = f"{values[key]:g}" + ("个百分点" if lang == "zh" else " pp")
    if values.get("implied_growth_pct") is not None:
        fields["implied"] = f"{values['implied_growth_pct']:.2f}"
    if values.get("jump") is not None:
        pp = values.get("jump_measure") == "yoy_change_pp"
        suffix = ("个百分点" if lang == "zh" else " pp") if pp else "%"
        fields["jump"] = f"{values['jump']:+.2f}{suffix}"
        by = {"zh": ("据上年数值", "文中所述"), "en": ("from last year's value", "as stated")}
        fields["jump_source"] = by[lang][0 if values.get("jump_source") == "warehouse" else 1]
    return fields


def _number_fields(values: dict, lang: str) -> dict:
    fields = {}
    if "values" in values:
        separator = "、" if lang == "zh" else ", "
        fields["values"] = separator.join(
            number(v, values.get("unit"), lang) for v in values["values"]
        )
    if values.get("scale_factor") is not None:
        fields["scale_factor"] = f"{values['scale_factor']:g}"
    if isinstance(values.get("derived"), float):
        fields["derived"] = f"{values['derived']:.2f}"
    for key in ("numerator", "denominator"):
        if values.get(key) is not None:
            fields[key] = f"{values[key]:,.0f}"
    return fields


def _fields(values: dict, severity: str, lang: str) -> dict:
    unit = values.get("unit")
    fields = {k: (number(v, unit, lang) if k in MONEY_KEYS else v) for k, v in values.items()}
    bound = "hard" if severity == "error" else "soft"
    fields["low"], fields["high"] = values.get(f"{bound}_min"), values.get(f"{bound}_max")
    if values.get("parts") == "levels":
        fields["parts"] = "各学段" if lang == "zh" else "all levels"
    title = values.get("source_title")
    fields["source"] = (
        (f"(依据:{title})" if lang == "zh" else f" (source: {title})") if title else ""
    )
    return {**fields, **_change_fields(values, lang), **_number_fields(values, lang)}


def _subject(row: dict, lang: str) -> str:
    year, target = row.get("year") or "", row.get("kind") == "target"
    if lang == "zh":
        level = row.get("level_name_zh")
        level = f"({level})" if level and row.get("level") != "all" else ""
        name = row.get("metric_name_zh") or row.get("metric")
        place = row.get("region_name") or "未知地区"
        return f"{place}{year}年{'目标' if target else ''}{name}{level}"
    level = f" ({row['level']})" if row.get("level") not in (None, "all") else ""
    place = row.get("region_name") or "unknown region"
    return f"{place} {year}{' target' if target else ''} {row.get('metric')}{level}"


def messages(row: dict, values: dict) -> tuple[str, str]:
    """(message_zh, message_en) for one flagged check row."""
    check = CHECKS_BY_NAME[row["check_name"]]
    zh, en = TEMPLATES[_template_key(check.name, values, row["severity"])]
    detail_zh = zh.format(**_fields(values, row["severity"], "zh"))
    detail_en = en.format(**_fields(values, row["severity"], "en"))
    return (
        f"【{check.title_zh}】{_subject(row, 'zh')}:{detail_zh}。",
        f"[{check.title_en}] {_subject(row, 'en')}: {detail_en}.",
    )
