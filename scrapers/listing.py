"""List pages → candidate article links, per platform family (see shared/spec/gov_sites.md).

- trs: static `index.html`, `index_1.html` …; the count comes from `createPageHTML(N, …)`
  or `var countPage = N`, and often exceeds the pages that exist, so paging stops at the
  first missing page or a stub without article links.
- hanweb: page one is an XML island (`<script type="text/xml">`, records as CDATA); later
  records come from the dataproxy URL in `<nextgroup>` (three pages per request, GET).
- json: `{"totalPage": N, "html": "<li>…"}` or a `data`/`list` array of {title, url}.
- links: every link of the start pages, no paging.

Each family yields one list page's links at a time, newest page first and lazily: a caller
that stops iterating (the crawler, at the first page of only known articles) stops the
paging, and no later page is requested.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from urllib.parse import urljoin, urlsplit

from scrapers.html import parse_html
from scrapers.registry import Source

FetchText = Callable[[str, bool], str | None]
Link = tuple[str, str]
Pages = Iterator[list[Link]]

_CREATE_PAGE = re.compile(
    r"""createPageHTML\(\s*(\d+)\s*,\s*\d+\s*,\s*["']([\w-]+)["']\s*,\s*["'](\w+)["']"""
)
_COUNT_PAGE = re.compile(r"countPage\s*=\s*(\d+)")
_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S)
_NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[(.*?)\]\]>\s*</nextgroup>", re.S)
_TOTAL_RECORD = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>|totalRecord\s*=\s*(\d+)")
_HREF = re.compile(r"""href\s*=\s*["']([^"']+)["']""")


def links_of(html: str, base_url: str) -> list[Link]:
    return parse_html(html, base_url).links


def _articles(source: Source, links: list[Link]) -> list[Link]:
    pattern = re.compile(source.article_pattern)
    return [(url, title) for url, title in links if pattern.search(urlsplit(url).path)]


def trs_pages(start_url: str, html: str) -> list[str]:
    """URLs of list pages 2..N as declared by the page script, in order."""
    name = urlsplit(start_url).path.rsplit("/", 1)[-1] or "index.html"
    stem, _, ext = name.partition(".")
    match = _CREATE_PAGE.search(html)
    if match:
        count, stem, ext = int(match.group(1)), match.group(2), match.group(3)
    else:
        counted = _COUNT_PAGE.search(html)
        count = int(counted.group(1)) if counted else 1
    return [urljoin(start_url, f"{stem}_{n}.{ext or 'html'}") for n in range(1, count)]


def _trs(source: Source, start_url: str, fetch: FetchText) -> Pages:
    first = fetch(start_url, True)
    if first is None:
        return
    yield links_of(first, start_url)
    for url in trs_pages(start_url, first)[: source.max_pages - 1]:
        text = fetch(url, False)
        found = links_of(text, url) if text else []
        if not _articles(source, found):
            return
        yield found


def hanweb_records(text: str, base_url: str) -> tuple[list[Link], int, str | None]:
    """Links in the records, the declared total and the dataproxy URL of an island/answer."""
    fragments = "".join(_RECORD.findall(text))
    total_match = _TOTAL_RECORD.search(text)
    total = int(next(g for g in total_match.groups() if g)) if total_match else 0
    proxy = None
    nextgroup = _NEXTGROUP.search(text)
    if nextgroup:
        href = _HREF.search(nextgroup.group(1))
        proxy = urljoin(base_url, href.group(1).replace("&amp;", "&")) if href else None
    return links_of(fragments, base_url) if fragments else [], total, proxy


def _hanweb(source: Source, start_url: str, fetch: FetchText) -> Pages:
    first = fetch(start_url, True)
    if first is None:
        return
    links, total, proxy = hanweb_records(first, start_url)
    yield links
    seen, step = len(links), source.page_size * 3
    for _ in range(source.max_pages):
        if not proxy or not links or seen >= total:
            return
        url = f"{proxy}&startrecord={seen + 1}&endrecord={seen + step}&perpage={source.page_size}"
        answer = fetch(url, False)
        links = hanweb_records(answer, start_url)[0] if answer else []
        seen += step
        yield links


def json_listing(text: str, base_url: str) -> tuple[list[Link], int]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return [], 0
    if not isinstance(data, dict):
        return [], 0
    links = links_of(data["html"], base_url) if isinstance(data.get("html"), str) else []
    for item in data.get("data") or data.get("list") or []:
        if isinstance(item, dict) and item.get("url"):
            links.append((urljoin(base_url, str(item["url"])), str(item.get("title", ""))))
    pages = data.get("totalPage") or data.get("pages") or data.get("total_pages") or 1
    return links, int(pages) if str(pages).isdigit() else 1


def with_page(url: str, number: int) -> str:
    """`url` with its `page=` parameter set to `number` (added when missing)."""
    if re.search(r"[?&]page=\d*", url):
        return re.sub(r"([?&]page=)\d*", rf"\g<1>{number}", url)
    return f"{url}{'&' if '?' in url else '?'}page={number}"


def _json(source: Source, start_url: str, fetch: FetchText) -> Pages:
    first = fetch(start_url, True)
    if first is None:
        return
    links, pages = json_listing(first, start_url)
    yield links
    for number in range(2, min(pages, source.max_pages) + 1):
        url = with_page(start_url, number)
        text = fetch(url, False)
        links = json_listing(text, start_url)[0] if text else []
        if not links:
            return
        yield links


def _plain(source: Source, start_url: str, fetch: FetchText) -> Pages:
    text = fetch(start_url, True)
    if text is not None:
        yield links_of(text, start_url)


FAMILIES = {"trs": _trs, "hanweb": _hanweb, "json": _json, "links": _plain}


def list_pages(source: Source, start_url: str, fetch: FetchText) -> Pages:
    """The links of each list page under one start URL, page by page (filtering is the
    caller's job)."""
    return FAMILIES[source.family](source, start_url, fetch)
