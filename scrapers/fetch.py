"""Polite HTTP fetching for one source: robots, rate limit, retries, caps, challenges.

Government servers are fragile and often guarded, so the fetcher makes one request at a
time per host with a delay, asks conditionally (ETag / If-Modified-Since) and serves a
304 from the archive, follows redirects only inside the source's allowed hosts, caps
body size and download time, and retries only what may heal (connection errors, 429,
5xx) with exponential backoff and jitter, honouring Retry-After. An anti-bot challenge
raises `SourceBlocked` at once: it is reported, never fought or retried.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import requests
from protego import Protego
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt

from scrapers.archive import Archive, FetchLog, utc_now
from scrapers.deadline import Deadline, DeadlineAdapter
from scrapers.registry import Source
from scrapers.state import CrawlState, Validator

REDIRECTS = {301, 302, 303, 307, 308}
_CHALLENGE_TITLE = re.compile("<title>[^<]*(安全验证|请稍候|访问验证|人机验证)", re.I)


class FetchFailed(Exception):
    """This URL could not be fetched; the crawl goes on with the next one."""


class Skipped(Exception):
    """This URL must not be fetched (robots.txt, off-site, known gone)."""


class SourceBlocked(Exception):
    """The site answered with an anti-bot challenge: stop the whole source."""


class _Retryable(Exception):
    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


@dataclass
class Fetched:
    url: str
    status: int
    body: bytes
    content_type: str
    sha256: str
    changed: bool
    fetched_at: str


@dataclass
class _Raw:
    status: int
    headers: Mapping[str, str]
    body: bytes
    sha256: str | None
    fetched_at: str


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def challenge_reason(status: int, body: bytes, robots: bool = False) -> str | None:
    """Why a response is an anti-bot wall (瑞数 412, 加速乐 521, verification page), if it is."""
    if status == 412:
        return "HTTP 412 anti-bot challenge (inline $_ts script)" if b"$_ts" in body else "HTTP 412"
    if status == 521 and (b"__jsl_clearance" in body or b"document.cookie" in body):
        return "HTTP 521 cookie challenge (__jsl_clearance script)"
    if status == 403 and not robots:
        return "HTTP 403 forbidden (user-agent or address block)"
    if status == 200 and len(body) < 16384:
        match = _CHALLENGE_TITLE.search(body[:4096].decode("utf-8", "ignore"))
        if match:
            return f"verification page titled {match.group(1)}"
    return None


class Fetcher:
    def __init__(
        self,
        source: Source,
        archive: Archive,
        state: CrawlState,
        delay: float | None = None,
        last_request: dict[str, float] | None = None,
    ) -> None:
        self.source = source
        self.archive = archive
        self.state = state
        self.delay = source.crawl_delay if delay is None else delay
        self.options = source.options
        self.session = requests.Session()
        self.session.mount("http://", DeadlineAdapter())
        self.session.mount("https://", DeadlineAdapter())
        self.session.headers["User-Agent"] = source.user_agent
        self.robots: dict[str, Protego | None] = {}
        self.unreachable: dict[str, str] = {}
        self.last_request = {} if last_request is None else last_request
        self.requests = 0
        self.bytes = 0

    def close(self) -> None:
        self.session.close()

    def _log(self, url: str, raw: _Raw | None, outcome: str, error: str | None = None) -> None:
        self.archive.log(
            FetchLog(
                url=self.source.identity(url),
                source=self.source.name,
                fetched_at=raw.fetched_at if raw else utc_now(),
                status=raw.status if raw else None,
                outcome=outcome,
                sha256=raw.sha256 if raw else None,
                bytes=len(raw.body) if raw else 0,
                error=error,
            )
        )

    def skip(self, url: str, reason: str) -> Skipped:
        """Log a URL that is deliberately not requested; the caller raises or counts it."""
        self._log(url, None, "skipped", reason)
        return Skipped(reason)

    def get(self, url: str) -> Fetched:
        """The body of `url` (from the archive on 304), following allowed redirects."""
        if not self.source.is_allowed(url):
            raise self.skip(url, f"off-site host {urlsplit(url).netloc}")
        for _hop in range(self.options.max_redirects + 1):
            self._admit(url)
            raw = self._attempt(url)
            if raw.status not in REDIRECTS:
                return self._finish(url, raw)
            url = self._follow(url, raw)
        self._log(url, None, "failed", "too many redirects")
        raise FetchFailed(f"{url}: too many redirects")

    def _admit(self, url: str) -> None:
        """Robots and gone checks before any request to `url`."""
        reason = None
        if self.state.is_gone(self.source.identity(url), self.options.gone_retry_hours):
            reason = "gone (404/410) in a recent crawl"
        elif not self.allowed_by_robots(url):
            unreachable = self.unreachable.get(urlsplit(url).netloc)
            if unreachable:
                self._log(url, None, "failed", f"robots.txt unreachable: {unreachable}")
                raise FetchFailed(
                    f"{self.source.identity(url)}: robots.txt unreachable: {unreachable}"
                )
            reason = "disallowed by robots.txt"
        if reason:
            raise self.skip(url, reason)

    def _follow(self, url: str, raw: _Raw) -> str:
        location = raw.headers.get("Location")
        target = urljoin(url, location or "")
        if not location:
            reason = f"HTTP {raw.status} redirect without Location"
        elif target == url and "Set-Cookie" in raw.headers:
            self._log(url, raw, "blocked", "redirect to itself with Set-Cookie (cookie challenge)")
            raise SourceBlocked(f"{self.source.identity(url)}: redirect to itself with Set-Cookie")
        elif not self.source.is_allowed(target):
            reason = f"redirect to foreign host {urlsplit(target).netloc}"
        else:
            self._log(url, raw, "skipped", f"HTTP {raw.status} redirect to {target}")
            return target
        self._log(url, raw, "failed", reason)
        raise FetchFailed(f"{self.source.identity(url)}: {reason}")

    def _attempt(self, url: str, robots: bool = False) -> _Raw:
        retrying = Retrying(
            stop=stop_after_attempt(self.options.retries + 1),
            wait=self._wait,
            retry=retry_if_exception_type(_Retryable),
            reraise=True,
        )
        try:
            return retrying(self._request_once, url, robots)
        except _Retryable as exc:
            attempts = self.options.retries + 1
            self._log(url, None, "failed", f"{exc} (after {attempts} attempts)")
            raise FetchFailed(
                f"{self.source.identity(url)}: {exc} (after {attempts} attempts)"
            ) from exc

    def _wait(self, retry_state: RetryCallState) -> float:
        exc = retry_state.outcome.exception() if retry_state.outcome else None
        if isinstance(exc, _Retryable) and exc.retry_after is not None:
            return min(exc.retry_after, self.options.max_retry_after)
        backoff = self.options.backoff
        return backoff * 2 ** (retry_state.attempt_number - 1) + random.uniform(0, backoff)

    def _pace(self, url: str) -> None:
        host = urlsplit(url).netloc
        last = self.last_request.get(host)
        if last is not None:
            time.sleep(max(0.0, self.delay - (time.monotonic() - last)))
        self.last_request[host] = time.monotonic()

    def _conditional_headers(self, url: str) -> dict[str, str]:
        known = self.state.validator(self.source.identity(url))
        if not known or not self.archive.has(known.sha256):
            return {}
        headers = {}
        if known.etag:
            headers["If-None-Match"] = known.etag
        if known.last_modified:
            headers["If-Modified-Since"] = known.last_modified
        return headers

    def _request_once(self, url: str, robots: bool) -> _Raw:
        self._pace(url)
        fetched_at = utc_now()
        self.requests += 1
        try:
            response, body = self._exchange(url)
        finally:  # the delay runs from the end of one exchange to the start of the next
            self.last_request[urlsplit(url).netloc] = time.monotonic()
        headers = response.headers  # case-insensitive
        sha = None
        if response.status_code != 304:
            key = self.source.identity(url)
            sha = self.archive.store(key, response.status_code, dict(headers), body, fetched_at)
        raw = _Raw(response.status_code, headers, body, sha, fetched_at)
        reason = challenge_reason(raw.status, body, robots)
        if reason:
            self._log(url, raw, "blocked", reason)
            raise SourceBlocked(f"{self.source.identity(url)}: {reason}")
        if raw.status == 429 or raw.status >= 500:
            raise _Retryable(f"HTTP {raw.status}", _retry_after(headers.get("Retry-After")))
        return raw

    def _exchange(self, url: str) -> tuple[requests.Response, bytes]:
        """One request and its whole body within the fetch deadline. Over the deadline is
        final, not retried: a host that trickled once would hold the crawl again."""
        limit = self.options.fetch_deadline
        with Deadline(limit) as deadline:
            try:
                response = self.session.get(
                    url,
                    headers=self._conditional_headers(url),
                    timeout=(self.options.connect_timeout, self.options.read_timeout),
                    stream=True,
                    allow_redirects=False,
                )
                with response:
                    body = self._read_capped(url, response)
            except requests.RequestException as exc:
                if not deadline.expired:
                    raise _Retryable(f"{type(exc).__name__}: {_short(exc)}") from exc
        if deadline.expired:
            reason = f"no complete answer within the {limit:g} s fetch deadline"
            self._log(url, None, "failed", reason)
            raise FetchFailed(f"{self.source.identity(url)}: {reason}")
        return response, body

    def _read_capped(self, url: str, response: requests.Response) -> bytes:
        cap = self.options.max_bytes
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > cap:
            self._log(url, None, "failed", f"body of {declared} bytes exceeds the {cap}-byte cap")
            raise FetchFailed(
                f"{self.source.identity(url)}: body of {declared} bytes exceeds the {cap}-byte cap"
            )
        chunks: list[bytes] = []
        total = 0
        for chunk in response.iter_content(65536):
            total += len(chunk)
            self.bytes += len(chunk)
            if total > cap:
                self._log(url, None, "failed", f"body exceeds the {cap}-byte cap")
                raise FetchFailed(f"{self.source.identity(url)}: body exceeds the {cap}-byte cap")
            chunks.append(chunk)
        return b"".join(chunks)

    def _finish(self, url: str, raw: _Raw) -> Fetched:
        key = self.source.identity(url)
        known = self.state.validator(key)
        if raw.status == 304 and not known:
            self._log(url, raw, "failed", "HTTP 304 to an unconditional request")
            raise FetchFailed(f"{key}: HTTP 304 to an unconditional request")
        if raw.status == 304:
            self._log(url, raw, "unchanged")
            body = self.archive.blob(known.sha256)
            return Fetched(url, 304, body, known.content_type, known.sha256, False, raw.fetched_at)
        if raw.status != 200:
            if raw.status in (404, 410):
                self.state.mark_gone(key)
            self._log(url, raw, "failed", f"HTTP {raw.status}")
            raise FetchFailed(f"{key}: HTTP {raw.status}")
        changed = known is None or known.sha256 != raw.sha256
        content_type = raw.headers.get("Content-Type", "")
        fresh = Validator(
            raw.headers.get("ETag", ""),
            raw.headers.get("Last-Modified", ""),
            raw.sha256 or "",
            content_type,
        )
        if fresh != known:  # an unchanged answer writes nothing
            self.state.set_validator(key, fresh)
        self._log(url, raw, "new" if changed else "unchanged")
        return Fetched(url, 200, raw.body, content_type, raw.sha256 or "", changed, raw.fetched_at)

    def allowed_by_robots(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.netloc not in self.robots:
            self.robots[parts.netloc] = self._load_robots(
                f"{parts.scheme}://{parts.netloc}/robots.txt"
            )
        rules = self.robots[parts.netloc]
        return rules is None or rules.can_fetch(url, self.source.user_agent)

    def _load_robots(self, robots_url: str) -> Protego | None:
        """Rules for a host; 4xx means no rules, an unreachable robots.txt means stay away."""
        key = self.source.identity(robots_url)
        if self.state.is_gone(key, self.options.gone_retry_hours):
            return None
        try:
            raw = self._attempt(robots_url, robots=True)
        except FetchFailed as exc:
            self.unreachable[urlsplit(robots_url).netloc] = str(exc).split(": ", 1)[-1]
            return Protego.parse("User-agent: *\nDisallow: /\n")
        if raw.status == 304:
            self._log(robots_url, raw, "unchanged")
            known = self.state.validator(key)
            body = self.archive.blob(known.sha256 if known else "")
            return Protego.parse(body.decode("utf-8", "replace"))
        if raw.status != 200:
            self.state.mark_gone(key)
            self._log(robots_url, raw, "skipped", f"HTTP {raw.status}: no robots rules")
            return None
        self._finish(robots_url, raw)
        return Protego.parse(raw.body.decode("utf-8", "replace"))


def _short(exc: Exception) -> str:
    text = str(exc)
    return text if len(text) <= 200 else text[:200] + "…"
