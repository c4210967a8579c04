"""Sitemaps (sitemaps.org): which pages a site says changed, and when.

A site that publishes a sitemap tells, per page, its `lastmod`; a known report whose lastmod
is later than our last check is asked again now instead of waiting for the revalidation
rotation. Sitemaps list whole sites and carry no titles, so they never add new reports:
those come from the list pages, where titles say which reports count. Parsed with
selectolax's lenient parser (no DTDs, no entities expanded, as for HTML).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser

# A lastmod without a zone is read as China Standard Time, where these sites publish.
CHINA = timezone(timedelta(hours=8))


def lastmod_seconds(text: str) -> float | None:
    """A W3C datetime (2024-05-01, 2024-05-01T10:00+08:00, …Z) as epoch seconds."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=CHINA)
    return moment.timestamp()


def sitemap_lastmods(text: str, sitemap_url: str) -> dict[str, float]:
    """Absolute page URL → lastmod (epoch seconds), for the entries that state one."""
    found: dict[str, float] = {}
    for entry in LexborHTMLParser(text).css("url"):
        loc, lastmod = entry.css_first("loc"), entry.css_first("lastmod")
        if loc is None or lastmod is None:
            continue
        seconds = lastmod_seconds(lastmod.text())
        if seconds is not None:
            found[urljoin(sitemap_url, loc.text().strip())] = seconds
    return found
