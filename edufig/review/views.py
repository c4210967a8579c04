"""Flags and figures in the words and shapes the review pages show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from edufig.alerts.flag_routing import Flag
from edufig.alerts.render import KIND_ZH, LEVEL_ZH, SEVERITY_ZH, region_label
from edufig.alerts.values import describe_values, number
from edufig.core.catalog import load_metrics
from edufig.review.store import Decision

CHECK_EXPLANATIONS = {
    "hard_bounds": "这个数值超出了该指标在定义上可能的范围(例如比率超过100%),几乎可以肯定有误。",
    "plausibility": "这个数值落在同类地区、同类指标通常的合理区间之外,需要核实是否填报或换算有误。",
    "unit_scale": "这个数值与同类数值相差约一个数量级,常见原因是“元”“万元”“亿元”等单位用错。",
    "stated_growth": "文中给出的增长率或增减额,与前后两年的数值推算出的结果不一致。",
    "parts_totals": "各分项相加与文中给出的合计数不一致。",
    "conflicts": "同一地区、同一年份、同一指标和学段,出现了两个或更多互不相同的数值。",
    "yoy_jumps": "这个数值与上一年相比变化幅度异常大,需要确认是否真实。",
    "derived_ratios": "由文中其他数值(如学生数、教师数)计算出的比值,与文中直接给出的比值不一致。",
    "targets_baseline": "规划目标与其基期值、或与已经达到的实际值之间的关系不合常理。",
    "pp_amounts": "“百分点”表示的变化与两个百分比数值之差不一致。",
}
CHECK_TITLES = {
    "hard_bounds": "超出定义范围",
    "plausibility": "超出合理区间",
    "unit_scale": "疑似单位错误",
    "stated_growth": "增速与数值不符",
    "parts_totals": "分项与合计不符",
    "conflicts": "数值相互矛盾",
    "yoy_jumps": "同比变化异常",
    "derived_ratios": "比值与数值不符",
    "targets_baseline": "目标与基期不符",
    "pp_amounts": "百分点与数值不符",
}
ACTION_ZH = {"confirm": "已确认有误", "dismiss": "已驳回", "correct": "已更正"}
STATUS_FILTERS = {"open": "待处理", "confirm": "已确认", "dismiss": "已驳回", "correct": "已更正"}


def metric_name(code: str | None) -> str:
    metric = load_metrics().get(code or "")
    return metric.name_zh if metric else (code or "—")


def level_name(code: str | None) -> str:
    return LEVEL_ZH.get(code or "", code or "—")


def format_value(value: float | None, unit: str | None) -> str:
    return "—" if value is None else number(float(value), unit)


@dataclass(frozen=True)
class FlagSummary:
    """A flag as one inbox row."""

    flag: Flag
    region: str
    metric: str
    level: str
    severity: str
    kind: str
    age_days: int
    decision: Decision | None

    @property
    def status(self) -> str:
        return self.decision.action if self.decision else "open"

    @property
    def status_zh(self) -> str:
        return ACTION_ZH.get(self.status, "待处理")


def summarize(flag: Flag, decision: Decision | None, seen: datetime | None) -> FlagSummary:
    since = seen or flag.raised_at or datetime.now()
    age = max((datetime.now() - since).days, 0) if isinstance(since, datetime) else 0
    return FlagSummary(
        flag=flag,
        region=region_label(flag),
        metric=flag.metric_name_zh or metric_name(flag.metric),
        level=level_name(flag.level),
        severity=SEVERITY_ZH.get(flag.severity, flag.severity),
        kind=KIND_ZH.get(flag.kind or "", flag.kind or "—"),
        age_days=age,
        decision=decision,
    )


def explanation(flag: Flag) -> str:
    return CHECK_EXPLANATIONS.get(flag.check_name, "自动检查发现这条数据可能有问题。")


def computation(flag: Flag) -> str:
    return describe_values(flag.values) if flag.values_json else "—"


def check_title(check_name: str) -> str:
    return CHECK_TITLES.get(check_name, check_name)
