"""Chinese digests of flags: plain text, HTML email, and robot markdown split to size.

Everything that came from a scraped page (titles, evidence, messages quoting it, URLs) is
untrusted: terminal escape sequences and control characters are removed from all of it,
HTML gets `html.escape`, markdown gets its control characters replaced by their
full-width forms, URLs are linked only when they are http(s), and every field is capped.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

from edufig.alerts.flag_routing import Flag
from edufig.alerts.values import describe_values
from edufig.core.catalog import load_metrics
from edufig.core.divisions import divisions_by_code
from edufig.core.sanitize import strip_controls

TEXT_CAP = 300
TITLE_CAP = 80
VALUES_CAP = 200
EVIDENCE_PER_FLAG = 3
DINGTALK_MAX_BYTES = 18_000  # DingTalk accepts ~20,000; room for the part header
WECOM_MAX_BYTES = 4_000  # WeCom markdown content: at most 4,096 bytes
MAX_ROBOT_PARTS = 5

LEVEL_ZH = {
    "all": "各级各类教育",
    "preschool": "学前教育",
    "primary": "小学",
    "junior_secondary": "初中",
    "compulsory": "义务教育",
    "senior_secondary": "高中阶段",
    "general_senior_secondary": "普通高中",
    "secondary_vocational": "中等职业教育",
    "special": "特殊教育",
    "higher": "高等教育",
}
KIND_ZH = {"actual": "实际值", "target": "目标值"}
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
_MARKDOWN_SAFE = str.maketrans(
    {
        "[": "［",
        "]": "］",
        "(": "（",
        ")": "）",
        "*": "＊",
        "_": "＿",
        "`": "｀",
        "#": "＃",
        "<": "＜",
        ">": "＞",
        "|": "｜",
        "!": "！",
        "~": "～",
        "\\": "＼",
        "\n": " ",
        "\r": " ",
    }
)


@dataclass(frozen=True)
class Source:
    title: str
    text: str
    url: str | None


@dataclass(frozen=True)
class FlagView:
    """One flag's fields as the reader sees them, still unescaped."""

    severity: str
    region: str
    metric: str
    level: str
    year: str
    kind: str
    values: str
    why: str
    sources: tuple[Source, ...]
    data_docs_url: str | None
    review_url: str | None = None


@dataclass(frozen=True)
class Digest:
    """One recipient's new flags; `links` maps a flag id to the recipient's signed link to
    its review page (absent when no review site is configured)."""

    recipient: str
    flags: tuple[Flag, ...]
    links: dict[str, str] = field(default_factory=dict)

    def views(self) -> list[FlagView]:
        return [view(f, self.links.get(f.flag_id)) for f in self.flags]

    @property
    def subject(self) -> str:
        errors = sum(1 for f in self.flags if f.severity == "error")
        return (
            f"【教育数据质量】{self.recipient}：{len(self.flags)} 条新问题"
            f"（错误 {errors}，警告 {len(self.flags) - errors}）"
        )

    @property
    def title(self) -> str:
        return f"教育数据质量提醒（{self.recipient}）"


def cap(text: object, limit: int = TEXT_CAP) -> str:
    """One line of at most `limit` characters, without terminal escape sequences."""
    value = " ".join(strip_controls(str(text or "")).split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def http_url(url: str | None) -> str | None:
    """The URL if it is an absolute http(s) link, else None (no javascript:, data:, ...)."""
    if not url:
        return None
    url = strip_controls(url).strip()
    parts = urlsplit(url)
    return url if parts.scheme in ("http", "https") and parts.netloc else None


def region_label(flag: Flag) -> str:
    """太原市杏花岭区 rather than 杏花岭区: county names repeat across prefectures."""
    division = divisions_by_code().get(flag.region_code or "")
    if division is None:
        return flag.region_name or flag.region_code or "（地区不明）"
    if division.prefecture_name and division.prefecture_code != division.code:
        return division.prefecture_name + division.name
    return division.name


def view(flag: Flag, review_url: str | None = None) -> FlagView:
    metric = load_metrics().get(flag.metric or "")
    sources = tuple(
        Source(cap(e.title or e.doc_id, TITLE_CAP), cap(e.text), http_url(e.url))
        for e in flag.evidence[:EVIDENCE_PER_FLAG]
    )
    return FlagView(
        severity=SEVERITY_ZH.get(flag.severity, cap(flag.severity, 20)),
        region=cap(region_label(flag), TITLE_CAP),
        metric=cap(flag.metric_name_zh or (metric.name_zh if metric else flag.metric), TITLE_CAP),
        level=LEVEL_ZH.get(flag.level or "", cap(flag.level or "—", 40)),
        year=str(flag.year) if flag.year is not None else "—",
        kind=KIND_ZH.get(flag.kind or "", cap(flag.kind or "—", 20)),
        values=cap(describe_values(flag.values), VALUES_CAP) if flag.values_json else "—",
        why=cap(flag.message_zh or flag.message_en or flag.check_name),
        sources=sources,
        data_docs_url=None if review_url else cap(flag.data_docs_url, 500) or None,
        review_url=http_url(review_url),
    )


def render_text(digest: Digest) -> str:
    lines = [digest.title, f"本次运行新发现 {len(digest.flags)} 条数据质量问题。", ""]
    for i, item in enumerate(digest.views(), start=1):
        lines += [
            f"{i}. [{item.severity}] {item.region} · {item.metric}",
            f"   学段：{item.level}；年份：{item.year}（{item.kind}）",
            f"   数值：{item.values}",
            f"   原因：{item.why}",
        ]
        for source in item.sources:
            lines.append(f"   证据：「{source.text}」（{source.title}）")
            if source.url:
                lines.append(f"   来源文件：{source.url}")
        if item.review_url:
            lines.append(f"   查看原文证据并处理：{item.review_url}")
        if item.data_docs_url:
            lines.append(f"   Data Docs：{item.data_docs_url}")
        lines.append("")
    lines.append("—— EduFigures 自动发送，请核实后联系填报单位更正。")
    return "\n".join(lines)


def _html_link(url: str | None, label: str) -> str:
    if not url:
        return ""
    return f'<a href="{html.escape(url, quote=True)}">{html.escape(label)}</a>'


def _html_docs_link(url: str | None) -> str:
    if url and urlsplit(url).scheme in ("http", "https", "file"):
        return " · " + _html_link(url, "Data Docs")
    return f" · Data Docs：{html.escape(url)}" if url else ""


def _html_review_link(url: str | None) -> str:
    return "<br>" + _html_link(url, "查看原文证据并处理") if url else ""


def _html_flag(i: int, item: FlagView) -> str:
    e = html.escape
    evidence = "".join(
        f"<blockquote>{e(s.text)}<br><small>{e(s.title)} {_html_link(s.url, '来源文件')}"
        "</small></blockquote>"
        for s in item.sources
    )
    return (
        f"<li><p><b>[{e(item.severity)}] {e(item.region)} · {e(item.metric)}</b><br>"
        f"学段：{e(item.level)}；年份：{e(item.year)}（{e(item.kind)}）<br>"
        f"数值：{e(item.values)}<br>原因：{e(item.why)}{_html_docs_link(item.data_docs_url)}"
        f"{_html_review_link(item.review_url)}"
        f"</p>{evidence}</li>"
    )


def render_html(digest: Digest) -> str:
    items = "".join(_html_flag(i, v) for i, v in enumerate(digest.views(), start=1))
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{html.escape(digest.title)}</title></head><body>"
        f"<h2>{html.escape(digest.title)}</h2>"
        f"<p>本次运行新发现 {len(digest.flags)} 条数据质量问题。</p><ol>{items}</ol>"
        "<p><small>EduFigures 自动发送，请核实后联系填报单位更正。</small></p></body></html>"
    )


def md(text: str) -> str:
    """Scraped text made inert in robot markdown (no links, emphasis, headings or HTML)."""
    return text.translate(_MARKDOWN_SAFE)


def _md_link(url: str | None, label: str) -> str:
    if not http_url(url):
        return ""
    return f"[{label}]({quote(url or '', safe=':/?&=%#~+,;@$-._')})"


def _md_flag(i: int, item: FlagView) -> str:
    lines = [
        f"**{i}. [{item.severity}] {md(item.region)} · {md(item.metric)}**",
        f"- 学段：{md(item.level)}；年份：{md(item.year)}（{md(item.kind)}）",
        f"- 数值：{md(item.values)}",
        f"- 原因：{md(item.why)}",
    ]
    for source in item.sources:
        link = _md_link(source.url, "来源文件")
        lines.append(f"- 证据：「{md(source.text)}」（{md(source.title)}）{link}")
    for link in (
        _md_link(item.review_url, "查看原文证据并处理"),
        _md_link(item.data_docs_url, "Data Docs"),
    ):
        if link:
            lines.append(f"- {link}")
    return "\n".join(lines) + "\n\n"


def _fit(block: str, budget: int) -> str:
    data = block.encode("utf-8")
    if len(data) <= budget:
        return block
    return data[: budget - 8].decode("utf-8", errors="ignore") + "…\n\n"


def _pack(blocks: list[str], budget: int) -> list[list[str]]:
    parts: list[list[str]] = [[]]
    for block in blocks:
        size = len("".join([*parts[-1], block]).encode("utf-8"))
        if parts[-1] and size > budget:
            parts.append([])
        parts[-1].append(block)
    return parts


def _overflow_note(hidden: int) -> str:
    return f"……另有 {hidden} 条问题未在此列出，请查看邮件或 Data Docs。\n"


def render_markdown_parts(
    digest: Digest, max_bytes: int, max_parts: int = MAX_ROBOT_PARTS
) -> list[str]:
    """The digest as robot markdown, split into numbered parts of at most `max_bytes`.

    Robots throttle (DingTalk: 20 messages a minute), so past `max_parts` the remaining
    flags are counted in a closing note instead of being posted.
    """
    reserve = _part_header(digest, 999, 999) + _overflow_note(len(digest.flags))
    budget = max_bytes - len(reserve.encode("utf-8"))
    blocks = [_fit(_md_flag(i, v), budget) for i, v in enumerate(digest.views(), 1)]
    parts = _pack(blocks, budget)
    if len(parts) > max_parts:
        hidden = sum(len(p) for p in parts[max_parts:])
        parts = [*parts[: max_parts - 1], [*parts[max_parts - 1], _overflow_note(hidden)]]
    return [_part_header(digest, n, len(parts)) + "".join(body) for n, body in enumerate(parts, 1)]


def _part_header(digest: Digest, part: int, parts: int) -> str:
    numbering = f" 第 {part}/{parts} 部分" if parts > 1 else ""
    return f"#### {md(digest.title)}{numbering}\n\n"
