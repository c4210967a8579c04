"""HTTP server for one mirrored site: static files plus the platform's dynamic endpoints.

Each site gets its own loopback port so the crawler sees distinct hosts, as it would on
the real web. Behaviour that static files cannot show (conditional GET, Hanweb's
dataproxy, a JSON listing API, redirecting downloads, a 412 anti-bot challenge, robots.txt
answering 403) is driven by the site's `_site.json`.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import threading
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

CHALLENGE = (
    b"<html><head><meta charset='utf-8'><script>$_ts=window['$_ts'];if(!$_ts)$_ts={};"
    b"$_ts.nsd=58210;$_ts.cd='qpxrrrAlqGQGcq3lEq';</script>"
    b"<script src='/4QbVtADbnLVIc/c.FxJzG50F.dfe1675.js' r='m'></script></head><body></body></html>"
)
_TEXT_TYPES = {
    ".html": "text/html",
    ".shtml": "text/html",
    ".htm": "text/html",
    ".txt": "text/plain",
}


class SiteHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Without TCP_NODELAY a kept-alive connection waits ~40 ms on each small response.
    disable_nagle_algorithm = True
    server: SiteServer

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the crawler's fetch log is the record of what happened."""

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        form = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        self.path = self.path + ("&" if "?" in self.path else "?") + form
        self.do_GET()

    def do_GET(self) -> None:
        site = self.server.site
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        if site.config.get("blocked"):
            return self._send(412, CHALLENGE, "text/html; charset=utf-8")
        if path == "/robots.txt" and site.config.get("robots") == "forbidden":
            return self._send(403, b"Forbidden", "text/plain")
        if self.path in site.config.get("redirects", {}):
            return self._redirect(site.config["redirects"][self.path])
        dynamic = site.dynamic(path, parse_qs(parts.query))
        if dynamic is not None:
            return self._conditional(*dynamic)
        found = site.static(path)
        if found is None:
            return self._send(404, b"<html><body>404 Not Found</body></html>", "text/html")
        self._conditional(*found)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _conditional(self, data: bytes, content_type: str) -> None:
        etag = '"' + hashlib.sha1(data).hexdigest()[:20] + '"'
        last_modified = self.server.site.config.get("last_modified") or formatdate(usegmt=True)
        if self._not_modified(etag, last_modified):
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", last_modified)
            self.end_headers()
            return
        self._send(200, data, content_type, {"ETag": etag, "Last-Modified": last_modified})

    def _not_modified(self, etag: str, last_modified: str) -> bool:
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            return etag in [t.strip() for t in if_none_match.split(",")]
        since = self.headers.get("If-Modified-Since")
        if not since:
            return False
        try:
            return parsedate_to_datetime(last_modified) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False

    def _send(self, status: int, data: bytes, content_type: str, extra: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)


class Site:
    """One site directory and its behaviour config."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.name = root.name
        self.config: dict = json.loads((root / "_site.json").read_text(encoding="utf-8"))

    def static(self, path: str) -> tuple[bytes, str] | None:
        if path.endswith("/"):
            path += "index.html"
        relative = path.lstrip("/")
        if not relative or relative.startswith("_"):
            return None
        target = (self.root / relative).resolve()
        if not target.is_file() or not target.is_relative_to(self.root):
            return None
        return target.read_bytes(), self.content_type(path)

    def content_type(self, path: str) -> str:
        declared = self.config.get("content_types", {}).get(path)
        if declared:
            return declared
        suffix = Path(path).suffix.lower()
        if suffix in _TEXT_TYPES:
            return f"{_TEXT_TYPES[suffix]}; charset=utf-8"
        return mimetypes.guess_type(path)[0] or "application/octet-stream"

    def _data(self, template: str, **values: str) -> list[str] | None:
        name = template.format(
            **{k: "".join(c for c in v if c.isalnum()) for k, v in values.items()}
        )
        target = self.root / name.lstrip("/")
        return json.loads(target.read_text(encoding="utf-8")) if target.is_file() else None

    def dynamic(self, path: str, query: dict[str, list[str]]) -> tuple[bytes, str] | None:
        proxy = self.config.get("dataproxy")
        if proxy and path == proxy["path"]:
            return self._dataproxy(proxy, query)
        listing = self.config.get("json_list")
        if listing and path == listing["path"]:
            return self._json_list(listing, query)
        return None

    def _dataproxy(self, proxy: dict, query: dict[str, list[str]]) -> tuple[bytes, str] | None:
        """Hanweb's jpage answer: the records between startrecord and endrecord (1-based)."""
        records = self._data(proxy["data"], columnid=_first(query, "columnid"))
        if records is None:
            return None
        start = max(int(_first(query, "startrecord") or 1), 1)
        end = int(_first(query, "endrecord") or start + 44)
        chosen = "".join(f"<record><![CDATA[{r}]]></record>" for r in records[start - 1 : end])
        xml = (
            '<?xml version="1.0" encoding="UTF-8"?><datastore>'
            f"<totalrecord>{len(records)}</totalrecord><recordset>{chosen}</recordset></datastore>"
        )
        return xml.encode("utf-8"), "text/xml; charset=utf-8"

    def _json_list(self, listing: dict, query: dict[str, list[str]]) -> tuple[bytes, str] | None:
        items = self._data(listing["data"], channel=_first(query, "channel"))
        if items is None:
            return None
        size = listing["page_size"]
        number = max(int(_first(query, "page") or 1), 1)
        chosen = items[(number - 1) * size : number * size]
        answer = {"page": number, "totalPage": listing["declared_pages"], "html": "".join(chosen)}
        return json.dumps(answer, ensure_ascii=False).encode("utf-8"), "application/json"


def _first(query: dict[str, list[str]], key: str) -> str:
    values = query.get(key) or [""]
    return values[0]


class SiteServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, site: Site, host: str = "127.0.0.1", port: int = 0) -> None:
        self.site = site
        super().__init__((host, port), SiteHandler)
        self.thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.05}, name=f"mirror-{site.name}"
        )
        self.thread.daemon = True

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        self.thread.join(timeout=5)
