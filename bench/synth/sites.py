"""Mirror-style HTML sites for the synthetic corpus and the registry file to crawl them.

The layout is the one `scrapers/mirror/sites` uses and `scrapers.mirror.serve_mirror` serves:
one directory per host (here: one per province) holding `_site.json`, TRS list pages
`index.html`, `index_1.html` … with `createPageHTML(N, 0, "index", "html")`, and article pages
with the 信息公开 metadata table and a `div.TRS_Editor` body. Each region is one registry
entry (one column on its province's host), so the production crawler walks them unchanged.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bench.synth.corpus import SynthDoc
from bench.synth.prose import Line

PAGE_SIZE = 15
LAST_MODIFIED = "Mon, 04 Mar 2024 02:00:00 GMT"
COLUMN = "zwgk/jyxx"
DECOYS = (
    "{year}年中小学教师公开招聘公告",
    "{year}年秋季招生工作通知",
    "{year}年教育装备采购中标公告",
)
ARTICLE_PATTERN = r"/t\d{8}_\d+\.html$"
REGISTRY_DEFAULTS = {
    "crawl_delay": 0,
    "max_pages": 50,
    "page_size": PAGE_SIZE,
    "include": ["履行教育职责", "教育(工作|事业|发展|规划|经费|大会|统计)"],
    "exclude": ["招聘", "招生", "拟聘", "资格认定", "招标", "采购", "中标"],
    "doc_types": [
        {"pattern": "履行教育职责", "doc_type": "履行教育职责自评报告"},
        {"pattern": "规划", "doc_type": "教育事业发展规划"},
        {"pattern": "统计公报", "doc_type": "教育统计公报"},
        {"pattern": "经费执行", "doc_type": "教育经费执行情况统计公告"},
    ],
    "options": {"connect_timeout": 5, "read_timeout": 30, "retries": 1, "backoff": 0},
}


def site_name(doc: SynthDoc) -> str:
    return f"p{doc.region.code[:2]}"


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def _page(title: str, body: str, metas: dict[str, str] | None = None) -> str:
    tags = "".join(f'<meta name="{esc(k)}" content="{esc(v)}">\n' for k, v in (metas or {}).items())
    return (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta http-equiv="Content-Type" content="text/html; '
        f'charset=utf-8">\n{tags}<title>{esc(title)}</title>\n</head>\n<body>\n{body}\n</body>\n</html>\n'
    )


def _nav(owner: str) -> str:
    return (
        f'<div class="header"><div class="logo">{esc(owner)}</div><ul class="nav"><li><a href="/">'
        '首页</a></li><li><a href="/zwgk/">政务公开</a></li></ul></div>'
    )


def _table(rows: list[list[str]]) -> str:
    body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="MsoNormalTable" border="1">{body}</table>'


def _body(lines: list[Line]) -> str:
    return "\n".join(
        _table(line.rows) if line.rows else f"<p>{esc(line.text)}</p>" for line in lines
    )


def article_html(doc: SynthDoc) -> str:
    """An article page: 公开要素 table, heading, info line and the TRS_Editor body."""
    r = doc.region
    index_number = f"{r.code}00/{doc.published[:4]}-{int(doc.region.code) % 9973:05d}"
    meta_cells = [
        "索引号",
        index_number,
        "主题分类",
        "科技、教育",
        "发布机构",
        r.publisher,
        "发文字号",
        "",
        "成文日期",
        doc.published,
        "发布日期",
        doc.published,
    ]
    meta = "".join(
        "<tr>" + "".join(f"<td>{esc(c)}</td>" for c in meta_cells[i : i + 6]) + "</tr>"
        for i in range(0, len(meta_cells), 6)
    )
    body = (
        f'{_nav(r.full_name + "人民政府")}<table class="xxgk-table">{meta}</table>'
        f"<div class='article'><h1>{esc(doc.title)}</h1><div class='info'>时间:{doc.published} "
        f"来源:{esc(r.publisher)}</div><div class='TRS_Editor'>{_body(doc.lines)}</div>"
        '<div class="tools"><a href="javascript:window.print()">【打印本页】</a></div></div>'
    )
    metas = {"ArticleTitle": doc.title, "PubDate": doc.published, "ContentSource": r.publisher}
    return _page(doc.title, body, metas)


def _decoy_html(title: str) -> str:
    return _page(
        title,
        f"<div class='article'><h1>{esc(title)}</h1><div class='TRS_Editor'>"
        f"<p>{esc(title)}。具体事项详见附件。</p></div></div>",
    )


@dataclass
class Column:
    """One region's 教育信息 column: its list entries (href, title, date), newest first."""

    owner: str
    items: list[tuple[str, str, str]] = field(default_factory=list)

    def pages(self) -> list[str]:
        items = sorted(self.items, key=lambda item: (item[2], item[0]), reverse=True)
        chunks = [items[i : i + PAGE_SIZE] for i in range(0, len(items), PAGE_SIZE)] or [[]]
        return [self._list_page(chunk, len(chunks), n) for n, chunk in enumerate(chunks)]

    def _list_page(self, items: list[tuple[str, str, str]], count: int, number: int) -> str:
        entries = "\n".join(
            f'<li><a href="{esc(href)}" title="{esc(title)}" target="_blank">{esc(title)}</a>'
            f"<span>{date}</span></li>"
            for href, title, date in items
        )
        body = (
            f"{_nav(self.owner)}<div class='list'><ul>{entries}</ul></div><div class='page'>"
            f'<script>createPageHTML({count}, {number}, "index", "html");</script></div>'
        )
        return _page(f"{self.owner} 教育信息", body)


class SiteWriter:
    """Writes article pages as documents arrive, list pages and the registry at the end."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.columns: dict[tuple[str, str], Column] = {}
        self.regions: dict[str, dict] = {}

    def add(self, doc: SynthDoc) -> str:
        site = site_name(doc)
        key = (site, doc.region.code)
        column = self.columns.setdefault(key, Column(doc.region.full_name))
        self._write(site, doc.path, article_html(doc))
        column.items.append(("." + doc.path.split(f"/{COLUMN}", 1)[1], doc.title, doc.published))
        if key not in self.regions:
            self.regions[key] = {
                "name": doc.region.name,
                "code": doc.region.code,
                "province": doc.region.province,
                "publisher": doc.region.publisher,
            }
        if doc.doc_type.key == "funding":
            self._decoy(site, doc, column)
        return f"${{{site}}}{doc.path}"

    def _decoy(self, site: str, doc: SynthDoc, column: Column) -> None:
        title = doc.region.full_name + DECOYS[doc.year % len(DECOYS)].format(year=doc.year)
        path = doc.path.replace(".html", "9.html")
        self._write(site, path, _decoy_html(title))
        column.items.append(("." + path.split(f"/{COLUMN}", 1)[1], title, doc.published))

    def _write(self, site: str, path: str, content: str) -> None:
        target = self.root / site / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")

    def finish(self) -> Path:
        """List pages, `_site.json` per host, and `sources.yaml` with `${site}` placeholders."""
        for (site, code), column in self.columns.items():
            for number, page in enumerate(column.pages()):
                name = "index.html" if number == 0 else f"index_{number}.html"
                self._write(site, f"/{code}/{COLUMN}/{name}", page)
        for site in {site for site, _ in self.columns}:
            config = {"last_modified": LAST_MODIFIED}
            (self.root / site / "_site.json").write_text(
                json.dumps(config) + "\n", encoding="utf-8"
            )
        return self._registry()

    def _registry(self) -> Path:
        sources = []
        for (site, code), region in sorted(self.regions.items()):
            sources.append(
                {
                    "name": f"synth-{code}",
                    "publisher": region["publisher"],
                    "region": {k: region[k] for k in ("name", "code", "province")},
                    "family": "trs",
                    "start_urls": [f"${{{site}}}/{code}/{COLUMN}/index.html"],
                    "article_pattern": ARTICLE_PATTERN,
                }
            )
        path = self.root / "sources.yaml"
        text = "# Synthetic benchmark sites; ${pNN} is the loopback URL of province NN's host.\n"
        text += yaml.safe_dump(
            {"defaults": REGISTRY_DEFAULTS, "sources": sources}, allow_unicode=True, sort_keys=False
        )
        path.write_text(text, encoding="utf-8")
        return path
