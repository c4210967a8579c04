"""Great Expectations Data Docs served from the review site, for engineers, with every
asset local: the CDN stylesheets and scripts GX links are rewritten to bundled copies
(static/vendor/) or dropped, so the pages render where those CDNs are unreachable."""

from __future__ import annotations

import re
from pathlib import Path

VENDOR = "/static/vendor/"
LOCAL_ASSETS = {
    "bootstrap/4.3.1/css/bootstrap.min.css": "bootstrap.min.css",
    "bootstrap/4.3.1/js/bootstrap.min.js": "bootstrap.min.js",
    "jquery-3.7.1.min.js": "jquery.min.js",
    "popper.js/1.12.9/umd/popper.min.js": "popper.min.js",
    "dist/bootstrap-table.min.js": "bootstrap-table.min.js",
    "dist/bootstrap-table.min.css": "bootstrap-table.min.css",
    "table-filter-control.min.js": "bootstrap-table-filter-control.min.js",
    "table-filter-control.min.css": "bootstrap-table-filter-control.min.css",
    "table-filter-control.css": "bootstrap-table-filter-control.min.css",
}
EXTERNAL_TAG = re.compile(
    r"<(script|link|img)\b[^>]*?\b(?:src|href)=[\"'](https?://[^\"']+)[\"'][^>]*>(?:\s*</script>)?",
    re.IGNORECASE,
)
DATA_DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval';"
    " style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'"
)


def _local(match: re.Match) -> str:
    tag, url = match.group(1).lower(), match.group(2)
    local = next((name for suffix, name in LOCAL_ASSETS.items() if url.endswith(suffix)), None)
    if local is None or tag == "img":
        return ""
    if tag == "script":
        return f'<script src="{VENDOR}{local}"></script>'
    return f'<link rel="stylesheet" href="{VENDOR}{local}">'


def localize(html: str) -> str:
    """The page with CDN assets pointing at the bundled copies, unknown ones and external
    images removed (the CSP blocks what the pages' scripts would still try to fetch)."""
    return EXTERNAL_TAG.sub(_local, html)


def data_docs_file(root: Path, path: str) -> Path | None:
    """The file under the Data Docs folder that `path` names, never one outside it."""
    base = root.resolve()
    target = (base / (path or "index.html")).resolve()
    if not target.is_relative_to(base) or not target.is_file():
        return None
    return target
