"""A fault-injecting HTTP server on 127.0.0.1 for crawler tests.

`/list/<case>.html` is a list page linking one article `/case/<case>.html` titled as an
education report; the article answers with the fault named by <case>. Every request is
recorded (path, headers, monotonic time) so tests can assert what the crawler asked.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

REPORT = "某县人民政府履行教育职责自评报告。全县教育经费总投入为473813.97万元,比上年增长2.54%。"
GBK_PAGE = (
    "<html><head><meta charset='gbk'><title>报告</title></head><body><div id='zoom'>"
    + f"<p>{REPORT}</p>"
    + "<p>全县共有中小学校一百二十所,在校学生八万六千人,专任教师六千二百人。</p>"
    + "</div></body></html>"
)


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    at: float


@dataclass
class FaultState:
    requests: list[Seen] = field(default_factory=list)
    counters: dict[str, int] = field(default_factory=dict)

    def hit(self, path: str) -> int:
        self.counters[path] = self.counters.get(path, 0) + 1
        return self.counters[path]

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]


def _article(body: str) -> bytes:
    return (
        "<html><head><meta charset='utf-8'><meta name='ArticleTitle' content='某县教育工作报告'>"
        f"</head><body><div id='zoom'>{body}</div></body></html>"
    ).encode()


class FaultHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: FaultServer

    def log_message(self, format: str, *args: object) -> None:
        """Silent; requests are recorded in the server state."""

    def do_GET(self) -> None:
        state = self.server.state
        state.requests.append(Seen(self.path, dict(self.headers), time.monotonic()))
        if self.path == "/robots.txt":
            return self.send_body(404, b"not found")
        if self.path == "/trs/index.html":
            link = "<a href='/case/ok.html' title='某县教育工作报告'>报告</a>"
            script = '<script>createPageHTML(3, 0, "index", "html");</script>'
            return self.send_body(200, f"<html><body>{link}{script}</body></html>".encode())
        if self.path == "/trs/index_1.html":
            return self.send_body(500, b"list backend down")
        if self.path.startswith("/list/"):
            case = self.path.removeprefix("/list/").removesuffix(".html")
            link = f"<a href='/case/{case}.html' title='某县教育工作报告（{case}）'>报告</a>"
            return self.send_body(
                200, f"<html><body><ul><li>{link}</li></ul></body></html>".encode()
            )
        if self.path.startswith("/files/"):
            return self.send_attachment(self.path.removeprefix("/files/"))
        case = self.path.removeprefix("/case/").removesuffix(".html")
        if case.startswith("report-"):
            return self.send_body(200, _article(numbered_report(case.removeprefix("report-"))))
        handler = getattr(self, f"case_{case.replace('-', '_')}", None)
        if handler is None:
            return self.send_body(404, b"no such case")
        handler(state.hit(self.path))

    def send_body(
        self,
        status: int,
        body: bytes,
        content_type: str = "text/html; charset=utf-8",
        headers: dict | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def case_ok(self, _n: int) -> None:
        self.send_body(200, _article(f"<p>{REPORT}</p>"), headers={"ETag": '"ok-1"'})

    def case_malformed(self, _n: int) -> None:
        body = (
            f"<html><body><div id='zoom'><p>{REPORT}<p>未闭合段落"
            "<table><tr><td>指标<td>数值<tr><td>学校<td>120</div>"
        )
        self.send_body(200, body.encode())

    def case_truncated(self, _n: int) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", "5000")
        self.end_headers()
        self.wfile.write(_article(f"<p>{REPORT}")[:120])
        self.wfile.flush()
        self.close_connection = True

    def case_gbk_no_charset(self, _n: int) -> None:
        page = GBK_PAGE.replace("<meta charset='gbk'>", "")
        self.send_body(200, page.encode("gbk"), content_type="text/html")

    def case_gbk_wrong_header(self, _n: int) -> None:
        self.send_body(200, GBK_PAGE.encode("gbk"), content_type="text/html; charset=utf-8")

    def case_empty(self, _n: int) -> None:
        self.send_body(200, b"")

    def case_junk(self, _n: int) -> None:
        self.send_body(200, bytes(range(256)) * 8)

    def case_hang(self, _n: int) -> None:
        time.sleep(1.5)
        self.send_body(200, _article(f"<p>{REPORT}</p>"))

    def case_reset(self, _n: int) -> None:
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    def case_foreign_redirect(self, _n: int) -> None:
        self.send_body(302, b"", headers={"Location": "http://evil.example.invalid/steal.html"})

    def case_oversized(self, _n: int) -> None:
        self.send_body(200, b"<html>" + b"x" * 300_000 + b"</html>")

    def case_oversized_stream(self, _n: int) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Connection", "close")
        self.end_headers()
        for _ in range(40):
            self.wfile.write(b"y" * 10_000)
        self.close_connection = True

    def case_flaky(self, n: int) -> None:
        if n == 1:
            return self.send_body(503, b"busy")
        self.send_body(200, _article(f"<p>{REPORT}</p>"))

    def case_rate_limited(self, n: int) -> None:
        if n == 1:
            return self.send_body(429, b"slow down", headers={"Retry-After": "1"})
        self.send_body(200, _article(f"<p>{REPORT}</p>"))

    def case_always_500(self, _n: int) -> None:
        self.send_body(500, b"internal error")

    def case_redirect_chain(self, _n: int) -> None:
        self.send_body(301, b"", headers={"Location": "/case/redirect-hop.html"})

    def case_redirect_hop(self, _n: int) -> None:
        self.send_body(302, b"", headers={"Location": "/case/ok.html"})

    def case_verify_page(self, _n: int) -> None:
        body = "<html><head><title>安全验证</title></head><body>请完成验证</body></html>"
        self.send_body(200, body.encode())

    def case_cookie_loop(self, _n: int) -> None:
        headers = {"Location": "/case/cookie-loop.html", "Set-Cookie": "wzws_cid=1; path=/"}
        self.send_body(302, b"", headers=headers)

    def case_forbidden(self, _n: int) -> None:
        self.send_body(403, b"Forbidden")

    def send_attachment(self, name: str) -> None:
        data = self.server.attachments.get(name)
        if data is None:
            return self.send_body(404, b"no such file")
        self.send_body(200, data, content_type="application/octet-stream")

    def case_trickle(self, _n: int) -> None:
        """Content-Length set, then one byte every 0.2 s: 40 s if nobody hangs up."""
        body = _article(f"<p>{REPORT}</p>")[:200]
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        for byte in body:
            self.wfile.write(bytes([byte]))
            self.wfile.flush()
            time.sleep(0.2)

    def case_nested(self, _n: int) -> None:
        depth = 100_000
        body = "<div>" * depth + f"<p>{REPORT}</p>" + "</div>" * depth + "<p>嵌套之后的段落。</p>"
        self.send_body(200, _article(body))

    def case_bomb_attachment(self, _n: int) -> None:
        body = f"<p>{REPORT}</p><p><a href='/files/bomb.docx'>附件：统计表.docx</a></p>"
        self.send_body(200, _article(body))


def numbered_report(n: str) -> str:
    """A distinct report per number, so each lands as its own document."""
    return f"<p>第{n}号报告。全县教育经费总投入为{n}00.5万元,比上年增长2.54%。</p>"


class FaultServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        self.state = FaultState()
        self.attachments: dict[str, bytes] = {}  # /files/<name>, set by a test
        super().__init__(("127.0.0.1", 0), FaultHandler)
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients hang up on purpose in these tests (timeouts, caps): not an error here."""

    def __enter__(self) -> FaultServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()
        self.thread.join(timeout=5)


class ChallengeHandler(BaseHTTPRequestHandler):
    """A guarded host: every path answers with an anti-bot challenge."""

    protocol_version = "HTTP/1.1"
    server: FaultServer
    status = 412
    body = b"<html><script>$_ts=window['$_ts'];$_ts.nsd=1;</script></html>"

    def log_message(self, format: str, *args: object) -> None:
        """Silent."""

    def do_GET(self) -> None:
        self.server.state.requests.append(Seen(self.path, dict(self.headers), time.monotonic()))
        self.send_response(self.status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)


class CookieChallengeHandler(ChallengeHandler):
    status = 521
    body = b"<script>document.cookie='__jsl_clearance=1577;max-age=3600';location.reload()</script>"


def challenge_server(handler: type[ChallengeHandler]) -> FaultServer:
    server = FaultServer()
    server.RequestHandlerClass = handler
    return server
