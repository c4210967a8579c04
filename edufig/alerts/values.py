"""The numbers behind a flag (its values_json) in words a provincial reader expects:
Chinese labels, units, amounts in 万元, and no JSON punctuation."""

from __future__ import annotations

import json

UNLABELLED = {"value", "values"}  # the digest already says 数值：
LABELS = {
    "previous_value": "上年数值",
    "target": "目标值",
    "target_year": "目标年份",
    "baseline": "基期值",
    "baseline_year": "基期年份",
    "total": "合计",
    "parts_sum": "分项之和",
    "parts": "分项",
    "national_value": "全国参考值",
    "soft_min": "合理下限",
    "soft_max": "合理上限",
    "hard_min": "下限",
    "hard_max": "上限",
    "ref_low": "参考下限",
    "ref_high": "参考上限",
    "rescaled": "按量级换算后",
    "scale_factor": "量级倍数",
    "yoy_change": "同比增减",
    "yoy_growth_pct": "同比增长率(%)",
    "implied_growth_pct": "按数值推算的增长率(%)",
    "implied_change": "按数值推算的增减",
    "previous_growth": "上年增长率(%)",
    "previous_change": "上年增减",
    "derived": "推算值",
    "stated": "文中数值",
    "numerator": "分子",
    "denominator": "分母",
    "ratio": "比值",
    "jump": "变动幅度",
    "source_title": "参考来源",
}
AMOUNT_KEYS = {
    "value", "values", "previous_value", "target", "baseline", "total", "parts_sum", "parts",
    "national_value", "soft_min", "soft_max", "hard_min", "hard_max", "ref_low", "ref_high",
    "rescaled", "yoy_change", "implied_change", "previous_change", "derived", "stated",
}  # fmt: skip
HIDDEN = {"unit", "scope", "period_start", "comparison", "clause", "relation", "basis"}
HIDDEN |= {"jump_measure", "jump_source", "tolerance", "tolerance_pp", "source_url"}
UNIT_SUFFIX = {"percent": "%", "person": "人", "person_time": "人次", "yuan": "元"}


def number(value: float, unit: str | None = None) -> str:
    if unit == "yuan" and abs(value) >= 1e4:
        return number(round(value / 1e4, 2)) + "万元"
    text = f"{int(value):,}" if value.is_integer() else f"{value:,.4f}".rstrip("0").rstrip(".")
    return text + UNIT_SUFFIX.get(unit or "", "")


def plain(value: object, unit: str | None = None) -> str:
    if isinstance(value, dict):
        return "；".join(f"{k}：{plain(v, unit)}" for k, v in value.items())
    if isinstance(value, list):
        return "、".join(plain(v, unit) for v in value)
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int | float):
        return number(float(value), unit)
    return str(value)


def describe_values(values: object) -> str:
    """`98.5%、98.91%` for {"values": [98.5, 98.91], "unit": "percent", ...}."""
    if not isinstance(values, dict):
        return plain(values)
    unit = values.get("unit") if isinstance(values.get("unit"), str) else None
    shown = [
        ("" if key in UNLABELLED else f"{LABELS.get(key, key)}：")
        + plain(value, unit if key in AMOUNT_KEYS else None)
        for key, value in values.items()
        if key not in HIDDEN and value is not None
    ]
    return "；".join(shown)
