"""The offline mirror: the publishers' sites served on 127.0.0.1, the embedded default.

`edufig run` crawls it through the production crawler, so the whole pipeline runs with no
internet and the same code paths as a real crawl.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from scrapers.mirror.server import Site, SiteServer
from scrapers.registry import Source, load_sources

SITES_DIR = Path(__file__).resolve().parent / "sites"


@dataclass
class RunningMirror:
    sites_dir: Path
    base_urls: dict[str, str]

    def sources(self) -> list[Source]:
        """The mirror registry entries with `${site}` resolved to the loopback URLs.

        Each loopback host is aliased to `<site>.mirror`, so doc_ids and crawl state stay
        the same from one run (and one set of OS-chosen ports) to the next.
        """
        aliases = {urlsplit(url).netloc: f"{name}.mirror" for name, url in self.base_urls.items()}
        sources = load_sources(self.sites_dir / "sources.yaml", self.base_urls)
        for source in sources:
            source.host_aliases = {**aliases, **source.host_aliases}
        return sources


def site_dirs(sites_dir: Path) -> list[Path]:
    return sorted(p for p in sites_dir.iterdir() if (p / "_site.json").is_file())


@contextmanager
def serve_mirror(sites_dir: Path | None = None) -> Iterator[RunningMirror]:
    """Serve every site under `sites_dir` (default: the packaged mirror) until exit."""
    sites_dir = Path(sites_dir or SITES_DIR)
    with ExitStack() as stack:
        base_urls: dict[str, str] = {}
        for site_dir in site_dirs(sites_dir):
            server = SiteServer(Site(site_dir))
            server.start()
            stack.callback(server.stop)
            base_urls[site_dir.name] = server.base_url
        yield RunningMirror(sites_dir, base_urls)
