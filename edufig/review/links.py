"""Signed per-recipient links and the review session they open.

A digest carries, for each recipient, links signed with `itsdangerous` that name the
recipient, the province they may see ("*" for the fallback reviewer of unassigned flags)
and optionally the flag to land on. Opening a link trades it for a signed session cookie
holding the same scope and a random CSRF token; every state-changing request must echo that
token. The secret comes from EDUFIG_REVIEW_SECRET, else from the Airflow connection named by
EDUFIG_REVIEW_SECRET_CONN (its password); without one nothing is served or signed.
"""

from __future__ import annotations

import hmac
import os
import secrets
from dataclasses import dataclass
from urllib.parse import quote

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from edufig.alerts.secrets import SecretError, airflow_connection

SECRET_ENV = "EDUFIG_REVIEW_SECRET"
SECRET_CONN_ENV = "EDUFIG_REVIEW_SECRET_CONN"
PUBLIC_URL_ENV = "EDUFIG_PUBLIC_URL"
LINK_DAYS_ENV = "EDUFIG_REVIEW_LINK_DAYS"
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8765"
DEFAULT_LINK_DAYS = 14
ALL_PROVINCES = "*"
MIN_SECRET_CHARS = 16


class LinkError(ValueError):
    """A link or session that must be refused; the message is shown to the reviewer."""


@dataclass(frozen=True)
class Reviewer:
    """Who is acting, on which province, with which CSRF token."""

    name: str
    province_code: str
    csrf_token: str = ""

    def may_see(self, province_code: str | None) -> bool:
        return self.province_code in (ALL_PROVINCES, province_code)

    def csrf_ok(self, submitted: str | None) -> bool:
        return bool(self.csrf_token) and hmac.compare_digest(self.csrf_token, submitted or "")


def review_secret() -> str:
    value = os.environ.get(SECRET_ENV, "")
    conn_id = os.environ.get(SECRET_CONN_ENV, "")
    if not value and conn_id:
        value = airflow_connection(conn_id).password or ""
    if len(value) < MIN_SECRET_CHARS:
        raise SecretError(
            f"review links need a secret of at least {MIN_SECRET_CHARS} characters in"
            f" {SECRET_ENV} (or an Airflow connection named by {SECRET_CONN_ENV})"
        )
    return value


def public_url() -> str:
    return os.environ.get(PUBLIC_URL_ENV, DEFAULT_PUBLIC_URL).rstrip("/")


def link_max_age() -> int:
    return int(os.environ.get(LINK_DAYS_ENV, DEFAULT_LINK_DAYS)) * 86400


class Signer:
    """Signs and checks links and session cookies (separate salts: one is not the other)."""

    def __init__(self, secret: str, max_age: int | None = None) -> None:
        self.links = URLSafeTimedSerializer(secret, salt="edufig-review-link")
        self.sessions = URLSafeTimedSerializer(secret, salt="edufig-review-session")
        self.max_age = link_max_age() if max_age is None else max_age

    def link_token(self, recipient: str, province_code: str, flag_id: str | None = None) -> str:
        return self.links.dumps({"r": recipient, "p": province_code, "f": flag_id})

    def open_link(self, token: str) -> tuple[Reviewer, str | None]:
        """The reviewer a link names and the flag it lands on; refuses tampered or old links."""
        data = _loads(self.links, token, self.max_age, "链接")
        reviewer = Reviewer(data["r"], data["p"], secrets.token_urlsafe(24))
        return reviewer, data.get("f")

    def session_cookie(self, reviewer: Reviewer) -> str:
        return self.sessions.dumps(
            {"r": reviewer.name, "p": reviewer.province_code, "c": reviewer.csrf_token}
        )

    def reviewer(self, cookie: str | None) -> Reviewer:
        if not cookie:
            raise LinkError("请通过提醒消息中的链接进入审核页面。")
        data = _loads(self.sessions, cookie, self.max_age, "会话")
        return Reviewer(data["r"], data["p"], data["c"])


def _loads(serializer: URLSafeTimedSerializer, token: str, max_age: int, what: str) -> dict:
    try:
        data = serializer.loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise LinkError(f"{what}已过期,请使用最新一期提醒中的链接。") from exc
    except BadSignature as exc:
        raise LinkError(f"{what}无效(签名不符),请使用提醒消息中的原始链接。") from exc
    if not isinstance(data, dict) or not {"r", "p"} <= data.keys():
        raise LinkError(f"{what}无效。")
    return data


def flag_link(recipient: str, province_code: str, flag_id: str | None = None) -> str | None:
    """The digest's link for one recipient (to a flag, or to the inbox); None without a
    configured secret, so digests still go out and say the review site is not set up."""
    try:
        signer = Signer(review_secret())
    except SecretError:
        return None
    return f"{public_url()}/r/{quote(signer.link_token(recipient, province_code, flag_id))}"
