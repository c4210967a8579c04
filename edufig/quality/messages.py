"""Flag messages in Chinese and English, written from the values a check row carries.

A provincial reviewer should see what is wrong and by how much without opening the data:
the numbers as the report writes them (万元/亿元, %), the comparison made and the range or
rule it broke, with its source. The templates are declared with each check in registry.py;
this module fills them in.
"""

from __future__ import annotations

from edufig.quality.registry import CHECKS_BY_NAME

UNIT_SUFFIX = {
    "zh": {"person": "人", "person_time": "人次", "percent": "%"},
    "en": {"person": " persons", "person_time": " person-times", "percent": "%"},
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
    zh, en = check.templates(values, row["severity"])
    detail_zh = zh.format(**_fields(values, row["severity"], "zh"))
    detail_en = en.format(**_fields(values, row["severity"], "en"))
    return (
        f"【{check.title_zh}】{_subject(row, 'zh')}:{detail_zh}。",
        f"[{check.title_en}] {_subject(row, 'en')}: {detail_en}.",
    )
