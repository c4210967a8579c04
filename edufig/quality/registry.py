"""The check registry: every data-quality check declared once.

A declaration names the check and says which bound columns its dbt model
(`dbt_project/models/quality/dq_check_<name>.sql`) sets, how to describe it and how to word
its flags. Everything else is derived from this list: the GX expectations (suites.py), the
union model and its accepted values, the dbt YAML docs, the suite JSON and the README table
(generated_files.py, checked by a test), the severity decided in SQL and the message of
each flag (messages.py).

Adding a check is one `Check(...)` here plus its SQL model, then
`uv run python -m edufig.quality.generated_files` to regenerate the derived files.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from edufig.core.dq_flags import SEVERITY_RANK

# The expectation suite the registry becomes (suites.py).
SUITE_NAME = "edufig_quality"
# A measure below a *_min or above a *_max bound fails; hard bounds mark the impossible
# (error), soft bounds the implausible (warning). A null bound is not checked.
BOUND_SEVERITY = MappingProxyType(
    {"hard_min": "error", "hard_max": "error", "soft_min": "warning", "soft_max": "warning"}
)
ALL_BOUNDS = tuple(BOUND_SEVERITY)


@dataclass(frozen=True)
class Check:
    """One check: its model sets `measure` and the bound columns listed in `bounds`.

    `bounds` maps each bound column the check uses to a fixed value, or to None when the
    model sets it per row. `messages` maps a variant to (zh, en) templates over the row's
    values_json; the variant is the value of `variant_key` in values_json, else the
    severity, else "" (the default template).
    """

    name: str
    title_zh: str
    title_en: str
    description_zh: str
    description_en: str
    messages: Mapping[str, tuple[str, str]]
    bounds: Mapping[str, float | None] = field(default_factory=lambda: dict.fromkeys(ALL_BOUNDS))
    variant_key: str | None = None

    @property
    def model(self) -> str:
        return f"dq_check_{self.name}"

    @property
    def severities(self) -> tuple[str, ...]:
        found = {BOUND_SEVERITY[bound] for bound in self.bounds}
        return tuple(sorted(found, key=lambda s: -SEVERITY_RANK[s]))

    def templates(self, values: dict, severity: str) -> tuple[str, str]:
        variant = values.get(self.variant_key) if self.variant_key else None
        for key in (variant, severity, ""):
            if key is not None and key in self.messages:
                return self.messages[key]
        raise KeyError(f"check {self.name!r} has no message for {variant or severity!r}")


def _bounds(*names: str, **fixed: float) -> dict[str, float | None]:
    return {**dict.fromkeys(names), **fixed}


CHECKS: tuple[Check, ...] = (
    Check(
        "hard_bounds",
        "超出指标定义范围",
        "outside the bounds of the metric's definition",
        "指标定义给出的上下限",
        "Value against the metric catalog's bounds (rates 0–100, gross ≤ 150, no negatives).",
        {
            "": (
                "数值{value}超出指标定义允许的范围[{hard_min}, {hard_max}]",
                "value {value} is outside the range its definition allows [{hard_min}, {hard_max}]",
            )
        },
        _bounds("hard_min", "hard_max"),
    ),
    Check(
        "plausibility",
        "超出合理区间",
        "outside the plausible range",
        "按全国统计的合理区间",
        "Value against seed dq_plausibility_ranges (per metric, level, year, region level; "
        "with source).",
        {
            "error": (
                "数值{value}超出硬区间[{hard_min}, {hard_max}]{source}",
                "value {value} is outside the hard range [{hard_min}, {hard_max}]{source}",
            ),
            "warning": (
                "数值{value}超出合理区间[{soft_min}, {soft_max}]{source}",
                "value {value} is outside the plausible range [{soft_min}, {soft_max}]{source}",
            ),
        },
    ),
    Check(
        "unit_scale",
        "疑似单位错误",
        "likely unit error",
        "单位量级错误(万元/元、亿)",
        "A value that ×10⁴/10⁸ (or ×100 for a rate) lands in range, or is 1000× off the "
        "same document's other levels.",
        {
            "range": (
                "数值{value}超出合理区间,乘以{scale_factor}后为{rescaled}则在区间内{source},"
                "疑似单位错误",
                "value {value} is outside the plausible range{source}, but {rescaled} "
                "(×{scale_factor}) is inside: a unit slip",
            ),
            "siblings": (
                "数值{value}与同一文档其他学段相差千倍以上(中位数{ref_low}),"
                "乘以{scale_factor}后为{rescaled},疑似单位错误",
                "value {value} is over 1000 times off the document's other levels "
                "(median {ref_low}); ×{scale_factor} gives {rescaled}: a unit slip",
            ),
        },
        _bounds("hard_min", "hard_max"),
        variant_key="detected_by",
    ),
    Check(
        "stated_growth",
        "增速与数值不符",
        "stated growth disagrees with the values",
        "增速与数值不符",
        "Value, change and growth % of one clause; stated change or growth against last "
        "year's value in the warehouse.",
        {
            "clause": (
                "数值{value}、同比增加{yoy_change}与所述增长{yoy_growth_pct}%不符,"
                "按数值为{implied}%",
                "value {value}, change {yoy_change} and growth {yoy_growth_pct}% disagree: "
                "the values give {implied}%",
            ),
            "previous_growth": (
                "所述增长{yoy_growth_pct}%与上年数值不符:{previous_value}→{value}为{implied}%",
                "stated growth {yoy_growth_pct}% disagrees with last year: "
                "{previous_value} → {value} is {implied}%",
            ),
            "previous_change": (
                "所述同比变动{yoy_change}与上年数值不符:"
                "{previous_value}→{value}变动{implied_change}",
                "stated change {yoy_change} disagrees with last year: "
                "{previous_value} → {value} is {implied_change}",
            ),
        },
        variant_key="comparison",
    ),
    Check(
        "parts_totals",
        "分项与合计不符",
        "parts disagree with the total",
        "分项与合计不符",
        "小学+初中 = 义务教育, 普通高中+中职 = 高中阶段, 财政性 ≤ 总投入, "
        "公用 ≤ 事业费 ≤ 生均经费, aid by level ≤ total (same document; "
        "schools against an all-level total: warning).",
        {
            "equal": (
                "分项({parts})之和{parts_sum}应等于合计{total}",
                "the parts ({parts}) add up to {parts_sum}, not the total {total}",
            ),
            "at_most": (
                "分项({parts})之和{parts_sum}超过合计{total}",
                "the parts ({parts}) add up to {parts_sum}, more than the total {total}",
            ),
        },
        _bounds("hard_min", "hard_max", "soft_min"),
        variant_key="relation",
    ),
    Check(
        "conflicts",
        "数值相互矛盾",
        "conflicting values",
        "同一指标不同数值",
        "Same region, metric, level, year, kind, period with incompatible values (rounding "
        "and 约/以上 respected); text against table in one document: error.",
        {
            "one document": (
                "同一文档给出相互矛盾的数值:{values}",
                "one document gives conflicting values: {values}",
            ),
            "across documents": (
                "不同文档给出相互矛盾的数值:{values}",
                "documents give conflicting values: {values}",
            ),
        },
        _bounds("hard_max", "soft_max"),
        variant_key="scope",
    ),
    Check(
        "yoy_jumps",
        "同比变动异常",
        "implausible year-on-year change",
        "同比变动异常",
        "Year-on-year change of rates (pp) and money (%) against seed ranges.",
        {
            "": (
                "同比变动{jump}({jump_source})超出区间[{low}, {high}]{source}",
                "year-on-year change {jump} ({jump_source}) is outside [{low}, {high}]{source}",
            )
        },
    ),
    Check(
        "derived_ratios",
        "推算比率异常",
        "derived ratio out of range",
        "推算比率越界",
        "Students per full-time teacher by level; education share of budget expenditure "
        "(and a stated share against it).",
        {
            "": (
                "由{numerator}/{denominator}推算为{derived},超出区间[{low}, {high}]{source}",
                "{numerator}/{denominator} gives {derived}, outside [{low}, {high}]{source}",
            ),
            "stated_share": (
                "所述教育支出占比{stated}%与推算值{derived}%不符",
                "stated education share {stated}% disagrees with the derived {derived}%",
            ),
        },
        variant_key="ratio",
    ),
    Check(
        "targets_baseline",
        "目标低于基线",
        "target below the baseline",
        "目标低于基线",
        "Target of a higher-is-better metric below its latest baseline (floors such as "
        "保持…以上 excluded).",
        {
            "": (
                "{target_year}年目标{target}低于{baseline_year}年基线{baseline}(该指标越高越好)",
                "the {target_year} target {target} is below the {baseline_year} baseline "
                "{baseline}",
            )
        },
        _bounds("soft_min"),
    ),
    Check(
        "pp_amounts",
        "金额增长误用“个百分点”",
        "percentage points used for an amount",
        "金额增长使用“个百分点”",
        "个百分点 used for the growth of an amount.",
        {
            "": (
                "金额或数量的增长用了“个百分点”,应为百分比(%)",
                "the growth of an amount is given in percentage points (个百分点), not per cent",
            )
        },
        _bounds("soft_max"),
    ),
    Check(
        "annual_totals",
        "年度合计不一致",
        "annual totals disagree",
        "不同文档给出的同一年度合计(学生资助、各类经费)不一致",
        "Annual totals at level all of flows (student aid paid and students aided, loans, "
        "capital, IT and teacher-training funds) that two documents state differently for "
        "one region and year; each document's largest all-level amount is its total; "
        "budgets (预算) are left out.",
        {
            "": (
                "{documents}份文档给出的全年合计不一致:{values}",
                "{documents} documents give different annual totals: {values}",
            )
        },
        _bounds(soft_max=0.0),
    ),
    Check(
        "all_levels_ratio",
        "全学段生师比异常",
        "all-level student–teacher ratio out of range",
        "全学段在校生与专任教师推算的生师比越界",
        "Students per full-time teacher at level all (both counts from one document) "
        "against the envelope of the level ranges (preschool to secondary vocational).",
        {
            "": (
                "在校生{numerator}人/专任教师{denominator}人推算全学段生师比为{derived},"
                "超出各学段区间的范围[{low}, {high}]{source}",
                "{numerator} students / {denominator} teachers give an all-level ratio of "
                "{derived}, outside the span of the level ranges [{low}, {high}]{source}",
            )
        },
    ),
    Check(
        "breakdowns",
        "“其中”分项远小于合计",
        "a 其中 breakdown explains well under its total",
        "“其中”所列分学段数值之和远小于合计",
        "One sentence with 其中 gives a total and two or more of its sub-levels that explain "
        "under three quarters of it (measure: parts ÷ total).",
        {
            "": (
                "“其中”所列{part_names_zh}合计{parts_sum},仅为总数{total}的{share_pct}%",
                "the 其中 breakdown ({part_levels}) adds up to {parts_sum}, only {share_pct}% "
                "of the total {total}",
            )
        },
        _bounds(soft_min=0.75),
    ),
)
CHECKS_BY_NAME = {check.name: check for check in CHECKS}
