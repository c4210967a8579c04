"""The 公开要素 metadata table: label synonyms across provincial dialects, value cleanup.

Labels differ by province and are padded with spaces, U+3000 or &nbsp;, and flat tables
shift columns when a cell is empty, so values are found by label, never by position.
"""

from __future__ import annotations

import re

FIELD_LABELS: dict[str, tuple[str, ...]] = {
    "index_number": ("索引号",),
    "doc_number": ("发文字号", "文件编号", "文号"),
    "publisher": ("发布机构", "公开主体", "发文机构", "发文机关", "来源"),
    "released": ("发布日期", "发布时间"),
    "issued": ("发文日期", "成文日期", "生成日期"),
    "name": ("名称", "标题"),
    "other": (
        "主题分类",
        "组配分类",
        "信息分类",
        "效力状态",
        "有效性",
        "公开类型",
        "公开属性",
        "首次公开",
        "公开期限",
        "公开载体",
        "统一编号",
        "生效时间",
        "废止时间",
        "主题词",
    ),
}
_EMPTY_VALUES = {"", "无", "/", "—", "-", "——", "暂无"}
_PAD = "[\\s\u3000\xa0]*"


def _spaced(label: str) -> str:
    return _PAD.join(re.escape(ch) for ch in label)


_LABEL_TO_FIELD = {label: f for f, labels in FIELD_LABELS.items() for label in labels}
_LABEL_RE = re.compile(
    "("
    + "|".join(_spaced(label) for label in sorted(_LABEL_TO_FIELD, key=len, reverse=True))
    + f"){_PAD}(?:[:：]|$|(?=[\\s\u3000\xa0]))"
)
_DATE_RE = re.compile(r"(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})")


def _field_of(raw_label: str) -> str:
    return _LABEL_TO_FIELD[re.sub(_PAD, "", raw_label)]


def _label_spans(token: str) -> list[tuple[str, int, int]]:
    return [(_field_of(m.group(1)), m.start(), m.end()) for m in _LABEL_RE.finditer(token)]


def _starts_with_label(token: str) -> bool:
    match = _LABEL_RE.match(token.strip())
    return match is not None


def _clean(field: str, value: str) -> str:
    value = re.sub(r"[\s\u3000\xa0]+", " ", value).strip(" :：")
    for label in FIELD_LABELS.get(field, ()):
        value = re.sub("^" + _spaced(label) + f"{_PAD}[:：]", "", value).strip()
    return value


def pairs_from_tokens(tokens: list[str]) -> dict[str, str]:
    """Field → value from the cell texts of a metadata block, in document order.

    A token is a table cell or list item; it may hold one label, a label and its value,
    or a whole flat row (`索 引 号: … 主题分类: …`). A label with no value of its own takes
    the next token unless that token starts with a label (the empty-cell shift).
    """
    found: dict[str, str] = {}
    for index, raw in enumerate(tokens):
        token = raw.strip()
        spans = _label_spans(token)
        if not spans or spans[0][1] != 0:
            continue
        for n, (field, _start, end) in enumerate(spans):
            stop = spans[n + 1][1] if n + 1 < len(spans) else len(token)
            value = token[end:stop]
            is_last = n + 1 == len(spans)
            if not value.strip() and is_last and index + 1 < len(tokens):
                following = tokens[index + 1]
                value = "" if _starts_with_label(following) else following
            if not found.get(field):
                found[field] = _clean(field, value)
    return found


def normalise_date(value: str | None) -> str | None:
    """YYYY-MM-DD from `2021年10月18日 17:43:47`, `2022-08-25`, `2022/08/25`."""
    match = _DATE_RE.search(value or "")
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    if not (1949 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def present(value: str | None) -> str | None:
    """None for the placeholders sites put in empty fields (无, /, —)."""
    if value is None:
        return None
    value = value.strip()
    return None if value in _EMPTY_VALUES else value


_DOC_NUMBER_LINE = re.compile(r"^[\u4e00-\u9fa5]{1,12}[〔\[［(（]\d{4}[〕\]］)）]\s*\d{1,4}\s*号$")


def doc_number_in_text(text: str) -> str | None:
    """A 文号 standing alone on one of the first lines of a 印发通知 (`杏政发〔2022〕17号`)."""
    for line in text.split("\n")[:8]:
        if _DOC_NUMBER_LINE.match(line.strip()):
            return line.strip()
    return None
