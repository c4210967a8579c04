"""Serve the synthetic sites on loopback with the mirror's own server code, minus Nagle.

`scrapers.mirror`'s handler writes headers and body in separate sends; on a kept-alive
connection Nagle's algorithm then waits for the client's delayed ACK (~40 ms a request),
which would make the crawl benchmark measure TCP timers instead of the crawler. Setting
TCP_NODELAY on the accepted sockets (`disable_nagle_algorithm`) removes that wait; site
behaviour (static files, ETag/304) is unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from scrapers.mirror.server import Site, SiteHandler, SiteServer


class NoDelayHandler(SiteHandler):
    disable_nagle_algorithm = True


@contextmanager
def serve_sites(sites_dir: Path) -> Iterator[dict[str, str]]:
    """Base URL per site directory (those holding `_site.json`) while the block runs."""
    with ExitStack() as stack:
        base_urls: dict[str, str] = {}
        for site_dir in sorted(
            p for p in Path(sites_dir).iterdir() if (p / "_site.json").is_file()
        ):
            server = SiteServer(Site(site_dir))
            server.RequestHandlerClass = NoDelayHandler
            server.start()
            stack.callback(server.stop)
            base_urls[site_dir.name] = server.base_url
        yield base_urls
