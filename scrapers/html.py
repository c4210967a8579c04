"""HTML pages → main text, tables, metadata, links and attachment links (selectolax).

The body container differs per platform (TRS_Editor, #zoom, bt-content, …), so a list of
known containers is tried in order. Text keeps one line per block element and renders
tables as ` | `-joined rows, the shape the extractor expects from every format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scrapers.limits import DEFAULT_LIMITS, Limits, flatten_deep_html
from scrapers.metadata import normalise_date, pairs_from_tokens, present

BODY_SELECTORS = (
    "div.TRS_Editor",
    "div.TRS_UEDITOR",
    "#zoom",
    "div.bt-content",
    "div.main-txt",
    "#UCAP-CONTENT",
    "div.j-fontContent",
    "div.article-content",
    "article",
    "body",
)
BLOCK_TAGS = {
    "p", "div", "section", "article", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
    "dl", "dt", "dd", "blockquote", "pre", "center", "header", "footer", "form", "tr",
}  # fmt: skip
SKIP_TAGS = {"script", "style", "noscript", "template", "iframe", "-comment", "head", "select"}
NOISE_LINES = {"打印本页", "关闭窗口", "【打印本页】", "【关闭窗口】", "[打印本页]", "[关闭窗口]"}
_NEWLINE_RUN = re.compile(r"[ \t\r\f\v]*\n[ \t\r\n\f\v]*")
_SCRIPT_HREF = re.compile(r"""href\s*=\s*\\?["']([^"'\\]+)\\?["']""")


@dataclass
class HtmlPage:
    text: str
    title: str | None
    tables: list[list[list[str]]] = field(default_factory=list)
    meta: dict[str, str | None] = field(default_factory=dict)
    links: list[tuple[str, str]] = field(default_factory=list)


def render_table(rows: list[list[str]]) -> str:
    """One line per row, cells joined by " | ", trailing empty cells dropped."""
    lines = []
    for row in rows:
        cells = list(row)
        while cells and not cells[-1]:
            cells.pop()
        lines.append(" | ".join(cells))
    return "\n".join(lines)


def tidy_lines(text: str) -> str:
    lines = [line.strip(" \t\xa0\u3000\u2002\u2003") for line in text.split("\n")]
    lines = [line for line in lines if line not in NOISE_LINES]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


class _TextWriter:
    """Walks a container, collecting text with block breaks and tables as rows."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.tables: list[list[list[str]]] = []

    def walk(self, root: LexborNode) -> None:
        """Depth-first with an explicit stack: page nesting must not reach Python's
        recursion limit. None on the stack marks the end of a block element."""
        pending: list[LexborNode | None] = _children(root)
        while pending:
            node = pending.pop()
            if node is None:
                self._break()
            elif node.tag == "-text":
                self._text(node.text_content or "")
            elif node.tag == "br":
                self.parts.append("\n")
            elif node.tag == "table":
                self._table(node)
            elif node.tag in BLOCK_TAGS:
                self._break()
                pending.append(None)
                pending.extend(_children(node))
            elif node.tag not in SKIP_TAGS:
                pending.extend(_children(node))

    def _text(self, text: str) -> None:
        """Source-formatting whitespace between tags is dropped; &nbsp; lines are kept."""
        if text.strip(" \t\r\n"):
            self.parts.append(_NEWLINE_RUN.sub(" ", text))
        elif "\n" not in text and text:
            self.parts.append(" ")

    def _break(self) -> None:
        while self.parts and self.parts[-1] == " ":
            self.parts.pop()
        if self.parts and not self.parts[-1].endswith("\n"):
            self.parts.append("\n")

    def _table(self, table: LexborNode) -> None:
        rows = [
            [_cell_text(cell) for cell in row.css("td, th")]
            for row in table.css("tr")
            if row.css_first("td, th") is not None
        ]
        if rows:
            self.tables.append(rows)
            self._break()
            self.parts.append(render_table(rows) + "\n")

    def text(self) -> str:
        return tidy_lines("".join(self.parts))


def _children(node: LexborNode) -> list[LexborNode | None]:
    """Children in reverse, ready to be popped in document order."""
    return list(reversed(list(node.iter(include_text=True))))


def _cell_text(cell: LexborNode) -> str:
    writer = _TextWriter()
    writer.walk(cell)
    return " ".join(line for line in writer.text().split("\n") if line)


def _meta_content(tree: LexborHTMLParser, name: str) -> str | None:
    node = tree.css_first(f'meta[name="{name}"]')
    return present(node.attributes.get("content")) if node else None


def _container(tree: LexborHTMLParser) -> LexborNode | None:
    for selector in BODY_SELECTORS:
        node = tree.css_first(selector)
        if node is not None and (node.text(strip=True) or selector == "body"):
            return node
    return tree.root


def _page_metadata(tree: LexborHTMLParser) -> dict[str, str | None]:
    tokens = [node.text(separator=" ") for node in tree.css("td, th, dt, dd, li")]
    pairs = pairs_from_tokens(tokens)
    heading = tree.css_first("h1")
    head_title = tree.css_first("title")
    title = (
        _meta_content(tree, "ArticleTitle")
        or present(pairs.get("name"))
        or (present(heading.text(strip=True)) if heading else None)
        or (present(head_title.text(strip=True)) if head_title else None)
    )
    released = _meta_content(tree, "PubDate") or pairs.get("released") or pairs.get("issued")
    return {
        "title": title,
        "publisher": _meta_content(tree, "ContentSource") or present(pairs.get("publisher")),
        "published_date": normalise_date(released),
        "issued_date": normalise_date(pairs.get("issued")),
        "doc_number": present(pairs.get("doc_number")),
        "index_number": present(pairs.get("index_number")),
    }


def _links(tree: LexborHTMLParser, base_url: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for anchor in tree.css("a[href]"):
        href = (anchor.attributes.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "#")):
            continue
        label = anchor.attributes.get("title") or anchor.text(strip=True)
        out.append((urldefrag(urljoin(base_url, href)).url, label.strip()))
    for script in tree.css("script"):
        for href in _SCRIPT_HREF.findall(script.text() or ""):
            out.append((urldefrag(urljoin(base_url, href)).url, ""))
    return out


def parse_html(html: str, base_url: str = "", limits: Limits = DEFAULT_LIMITS) -> HtmlPage:
    tree = LexborHTMLParser(flatten_deep_html(html, limits))
    writer = _TextWriter()
    container = _container(tree)
    if container is not None:
        writer.walk(container)
    meta = _page_metadata(tree)
    return HtmlPage(
        text=writer.text(),
        title=meta["title"],
        tables=writer.tables,
        meta=meta,
        links=_links(tree, base_url),
    )
