"""Where every stage reads and writes, resolved once from CLI options or environment.

Airflow tasks and the CLI build the same `Settings`, so a stage behaves the same whoever
calls it. Environment variables (EDUFIG_*) let a deployment move paths without code.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1]
REPO_ROOT = PACKAGE_DIR.parent
# The crawl log in the archive: the scrapers append to it, the load stage lands it.
FETCH_LOG = "fetches.jsonl"


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value) if value else default


@dataclass
class Settings:
    """Paths and options shared by all stages."""

    warehouse: Path = field(
        default_factory=lambda: _env_path("EDUFIG_WAREHOUSE", Path("data/warehouse.duckdb"))
    )
    data_dir: Path | None = None
    sources_file: Path | None = None
    subscriptions_file: Path | None = None
    outbox_dir: Path | None = None
    dbt_project_dir: Path = REPO_ROOT / "dbt_project"
    expectations_dir: Path = REPO_ROOT / "expectations"
    crawl_delay: float | None = None
    mirror_url: str | None = None
    # Quality runs whose GX results and Data Docs pages are kept (edufig/quality/history.py).
    validations_kept: int = field(
        default_factory=lambda: int(os.environ.get("EDUFIG_VALIDATIONS_KEPT", "30"))
    )

    def __post_init__(self) -> None:
        self.warehouse = Path(self.warehouse).resolve()
        if self.data_dir is None:
            self.data_dir = _env_path("EDUFIG_DATA_DIR", self.warehouse.parent)
        self.data_dir = Path(self.data_dir).resolve()
        if self.outbox_dir is None:
            self.outbox_dir = self.data_dir / "outbox"

    @property
    def archive_dir(self) -> Path:
        return self.data_dir / "archive"

    @property
    def parsed_dir(self) -> Path:
        return self.data_dir / "parsed"

    @property
    def figures_dir(self) -> Path:
        return self.data_dir / "figures"

    @property
    def published_dir(self) -> Path:
        return self.data_dir / "published"

    @property
    def data_docs_dir(self) -> Path:
        return self.data_dir / "docs"

    @property
    def validation_results_dir(self) -> Path:
        return self.data_dir / "gx_results"

    def ensure_dirs(self) -> None:
        for path in (self.data_dir, self.archive_dir, self.parsed_dir, self.figures_dir):
            path.mkdir(parents=True, exist_ok=True)


@dataclass
class StageResult:
    """What one stage did: counts for the run summary, one error line per failed item."""

    name: str
    counts: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    failed: bool = False

    def add(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n


@contextmanager
def timed(result: StageResult) -> Iterator[StageResult]:
    start = time.perf_counter()
    try:
        yield result
    finally:
        result.seconds = round(time.perf_counter() - start, 3)
