"""DingTalk and WeCom group robots: signed webhook URLs and the POST both robots accept.

A robot answers HTTP 200 even when it refuses a message, so success is errcode 0 in the
JSON body; 5xx and 429 are worth retrying at once, the rest wait for the next run.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from urllib.parse import quote_plus

import requests

from edufig.alerts.errors import DeliveryError

HTTP_TIMEOUT = (5, 20)


def dingtalk_signed_url(webhook: str, secret: str, now_ms: int | None = None) -> str:
    """DingTalk 加签: HMAC-SHA256 of "timestamp\\nsecret", base64, as query parameters."""
    timestamp = str(now_ms if now_ms is not None else int(time.time() * 1000))
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = quote_plus(base64.b64encode(digest).decode())
    separator = "&" if "?" in webhook else "?"
    return f"{webhook}{separator}timestamp={timestamp}&sign={sign}"


def post_robot(url: str, body: dict) -> None:
    """POST a robot message; both robots answer HTTP 200 with errcode 0 when they accept it."""
    try:
        response = requests.post(url, json=body, timeout=HTTP_TIMEOUT)
    except requests.RequestException as exc:
        raise DeliveryError(f"{type(exc).__name__}: {exc}", transient=True) from exc
    if response.status_code != 200:
        transient = response.status_code >= 500 or response.status_code == 429
        raise DeliveryError(f"HTTP {response.status_code}", transient=transient)
    try:
        answer = response.json()
    except ValueError as exc:
        raise DeliveryError("robot answered with a body that is not JSON", True) from exc
    if answer.get("errcode") != 0:
        raise DeliveryError(f"robot errcode {answer.get('errcode')}: {answer.get('errmsg')}")
