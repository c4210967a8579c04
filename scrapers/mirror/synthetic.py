"""A generated newest-first TRS column of any size on loopback, for the incremental-crawl
tests and bench (bench/bench_crawl_state.py).

`/col/index.html`, `/col/index_1.html` … list `page_size` articles each, newest first,
with the page count in `createPageHTML(...)` as TRS sites declare it; each article
`/col/t20240101_<n>.html` is a small report page. Every answer carries an ETag and honours
If-None-Match, robots.txt included. The site can change while served (`add`, `edit`), and
every request is recorded server side (path and conditional header), so a test counts what
the crawler really asked.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from scrapers.registry import Source

TITLE = "某县教育工作报告（第{n}号）"


@dataclass(frozen=True)
class Asked:
    path: str
    conditional: bool  # sent If-None-Match


class SyntheticSite:
    """The column's content: article numbers newest first and each article's version."""

    def __init__(self, articles: int, page_size: int = 20, article_delay: float = 0) -> None:
        self.page_size = page_size
        self.article_delay = article_delay  # seconds per article answer: a slow site
        self.newest_first = list(range(articles, 0, -1))
        self.versions: dict[int, int] = {}
        self.edited_at: dict[int, float] = {}
        self.asked: list[Asked] = []
        self.lock = threading.Lock()

    def add(self, count: int = 1, at: int = 0) -> list[int]:
        """Publish `count` new articles at list position `at` (0: on top of page one; lower
        down: backdated); their numbers."""
        with self.lock:
            start = max(self.newest_first, default=0) + 1
            new = list(range(start + count - 1, start - 1, -1))
            self.newest_first[at:at] = new
        return new

    def edit(self, number: int) -> None:
        """Change an article's text (its URL and place in the list stay)."""
        with self.lock:
            self.versions[number] = self.versions.get(number, 0) + 1
            self.edited_at[number] = time.time()

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.newest_first) // self.page_size))

    @staticmethod
    def article_path(number: int) -> str:
        return f"/col/t20240101_{number}.html"

    def list_page(self, index: int) -> bytes | None:
        with self.lock:
            chunk = self.newest_first[index * self.page_size : (index + 1) * self.page_size]
            pages = self.pages
        if index and not chunk:
            return None
        items = "".join(
            f"<li><a href='{self.article_path(n)}'>{TITLE.format(n=n)}</a></li>" for n in chunk
        )
        script = f'<script>createPageHTML({pages}, {index}, "index", "html");</script>'
        return f"<html><body><ul>{items}</ul>{script}</body></html>".encode()

    def article(self, number: int) -> bytes | None:
        with self.lock:
            if not self.newest_first or not 1 <= number <= len(self.newest_first):
                return None  # numbers run 1..newest without gaps
            version = self.versions.get(number, 0)
        time.sleep(self.article_delay)
        title = TITLE.format(n=number)
        text = f"{title}。全县教育经费总投入为{number}.5万元（第{version}版）。"
        return (
            "<html><head><meta charset='utf-8'>"
            f"<meta name='ArticleTitle' content='{title}'></head>"
            f"<body><div id='zoom'><p>{text}</p></div></body></html>"
        ).encode()

    def sitemap(self) -> bytes:
        """Every article with its lastmod: the day it was published (2024-01-01), or the
        moment it was last edited."""
        with self.lock:
            dated = [(n, self.edited_at.get(n)) for n in self.newest_first]
        entries = "".join(
            f"<url><loc>{self.article_path(n)}</loc><lastmod>"
            f"{datetime.fromtimestamp(at, UTC).isoformat() if at else '2024-01-01'}"
            "</lastmod></url>"
            for n, at in dated
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'
        ).encode()

    def answer(self, path: str) -> bytes | None:
        if path == "/robots.txt":
            return b"User-agent: *\nAllow: /\n"
        if path == "/sitemap.xml":
            return self.sitemap()
        if path == "/col/index.html":
            return self.list_page(0)
        name = path.removeprefix("/col/")
        if name.startswith("index_") and name.endswith(".html"):
            number = name.removeprefix("index_").removesuffix(".html")
            return self.list_page(int(number)) if number.isdigit() else None
        if name.startswith("t20240101_") and name.endswith(".html"):
            number = name.removeprefix("t20240101_").removesuffix(".html")
            return self.article(int(number)) if number.isdigit() else None
        return None

    def count(self, predicate: str = "") -> int:
        """Requests whose path contains `predicate` (all of them by default)."""
        return sum(1 for asked in self.asked if predicate in asked.path)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # else a kept-alive connection stalls ~40 ms per answer
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: requests are recorded in the site."""

    def do_GET(self) -> None:
        site = self.server.site
        if_none_match = self.headers.get("If-None-Match")
        site.asked.append(Asked(self.path, if_none_match is not None))
        body = site.answer(self.path)
        if body is None:
            return self._send(404, b"not found", {})
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if if_none_match == etag:
            return self._send(304, b"", {"ETag": etag})
        self._send(200, body, {"ETag": etag, "Content-Type": "text/html; charset=utf-8"})

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, site: SyntheticSite) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.site = site


@dataclass
class RunningSynthetic:
    site: SyntheticSite
    base_url: str

    def source(self, name: str = "synth", **fields: object) -> Source:
        """A registry entry for the column: zero delay, paging as deep as the list goes."""
        entry: dict[str, object] = {
            "name": name,
            "publisher": "某县教育局",
            "family": "trs",
            "start_urls": [f"{self.base_url}/col/index.html"],
            "article_pattern": r"/t\d{8}_\d+\.html$",
            "include": ["教育工作"],
            "crawl_delay": 0,
            "max_pages": 100_000,
            "options": {"retries": 1, "backoff": 0, "connect_timeout": 5, "read_timeout": 10},
        }
        return Source.model_validate({**entry, **fields})


@contextmanager
def serve_synthetic(site: SyntheticSite) -> Iterator[RunningSynthetic]:
    server = _Server(site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield RunningSynthetic(site, f"http://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
