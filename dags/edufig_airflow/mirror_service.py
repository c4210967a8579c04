"""The offline mirror as a network service, for the docker-compose demo.

The embedded default serves the mirror on loopback inside the scrape task itself; under
compose the workers are other containers, so this process serves every mirrored site on a
fixed port of its own container and writes a sources file naming those URLs to the shared
data volume, which the workers read through EDUFIG_SOURCES_FILE.

    python -m edufig_airflow.mirror_service --public-host mirror --first-port 8101 \
        --sources-out /opt/edufig/data/mirror/sources.yaml
"""

from __future__ import annotations

import argparse
import signal
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path

from scrapers.mirror import SITES_DIR, site_dirs
from scrapers.mirror.server import Site, SiteHandler, SiteServer


class PublicSiteServer(SiteServer):
    """A mirrored site on a fixed address reachable from other containers."""

    def __init__(self, site: Site, host: str, port: int) -> None:
        self.site = site
        ThreadingHTTPServer.__init__(self, (host, port), SiteHandler)
        self.thread = threading.Thread(target=self.serve_forever, name=f"mirror-{site.name}")
        self.thread.daemon = True


def resolved_sources(sites_dir: Path, base_urls: dict[str, str]) -> str:
    """The mirror registry text with each `${site}` placeholder replaced by its URL."""
    text = (sites_dir / "sources.yaml").read_text(encoding="utf-8")
    for name, url in base_urls.items():
        text = text.replace("${" + name + "}", url)
    return text


def serve(public_host: str, bind: str, first_port: int, sources_out: Path) -> None:
    servers, base_urls = [], {}
    for offset, site_dir in enumerate(site_dirs(SITES_DIR)):
        server = PublicSiteServer(Site(site_dir), bind, first_port + offset)
        server.start()
        servers.append(server)
        base_urls[site_dir.name] = f"http://{public_host}:{first_port + offset}"
    sources_out.parent.mkdir(parents=True, exist_ok=True)
    sources_out.write_text(resolved_sources(SITES_DIR, base_urls), encoding="utf-8")
    print(f"serving {len(servers)} sites: {base_urls}; sources in {sources_out}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    for server in servers:
        server.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--public-host", default="mirror", help="hostname the workers use")
    parser.add_argument("--bind", default="0.0.0.0", help="address to listen on")
    parser.add_argument("--first-port", type=int, default=8101, help="port of the first site")
    parser.add_argument("--sources-out", type=Path, required=True, help="sources file to write")
    args = parser.parse_args(argv)
    serve(args.public_host, args.bind, args.first_port, args.sources_out)


if __name__ == "__main__":
    main()
