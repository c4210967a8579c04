"""The stage sequence. The CLI and the Airflow tasks call these same functions.

Each stage reads what the previous one wrote (archive → parsed → figures → landing →
marts → flags → outbox), so any stage can run alone and rerunning one is safe. Heavy
libraries are imported inside the stages: DAG parsing imports this module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from edufig.core.config import Settings, StageResult

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


@contextmanager
def _sources(settings: Settings) -> Iterator[list]:
    """The configured sources; with none configured, the bundled mirror served on loopback."""
    if settings.sources_file is not None:
        from scrapers.registry import load_sources

        yield load_sources(Path(settings.sources_file))
        return
    from scrapers.mirror import serve_mirror

    with serve_mirror() as mirror:
        yield mirror.sources()


def list_source_names(settings: Settings) -> list[str]:
    """Source names for the Airflow fan-out (one mapped scrape task each)."""
    with _sources(settings) as sources:
        return [source.name for source in sources]


def scrape(
    settings: Settings, source_names: list[str] | None = None, progress: Progress = _quiet
) -> StageResult:
    """Crawl the sources into the raw archive and parse new or changed documents."""
    from scrapers.crawl import crawl_sources

    settings.ensure_dirs()
    with _sources(settings) as sources:
        if source_names is not None:
            unknown = set(source_names) - {s.name for s in sources}
            if unknown:
                raise ValueError(f"unknown source(s): {', '.join(sorted(unknown))}")
            sources = [s for s in sources if s.name in source_names]
        return crawl_sources(sources, settings, progress=progress)


def ingest_corpus(settings: Settings, corpus_dir: Path, progress: Progress = _quiet) -> StageResult:
    """Archive and parse a local folder of reports instead of crawling."""
    from scrapers.local import ingest_corpus as ingest

    settings.ensure_dirs()
    if not Path(corpus_dir).is_dir():
        raise ValueError(f"--corpus {corpus_dir}: not a directory")
    progress(f"ingesting {corpus_dir}")
    return ingest(Path(corpus_dir), settings)


def extract(settings: Settings, progress: Progress = _quiet) -> StageResult:
    """Extract figures of every parsed document whose content or extractor changed."""
    from edufig.extract_stage import extract_documents, parsed_paths

    return extract_documents(settings, parsed_paths(settings), progress)


def load(settings: Settings, progress: Progress = _quiet) -> StageResult:
    """Copy documents, figures and the crawl log into the landing tables."""
    from edufig.load import load as load_landing

    return load_landing(settings)


def build_marts(
    settings: Settings,
    select: str | None = None,
    full_refresh: bool = False,
    progress: Progress = _quiet,
) -> StageResult:
    """`dbt build` of staging → intermediate → marts (and the dq candidate models)."""
    from edufig.dbt_build import build_marts as dbt_build

    return dbt_build(settings, select=select, full_refresh=full_refresh)


def check_quality(settings: Settings, progress: Progress = _quiet) -> StageResult:
    """Great Expectations checkpoint over the marts; writes dq.dq_flags and Data Docs."""
    from edufig.quality import check_quality as run_checks

    return run_checks(settings)


def publish(settings: Settings, progress: Progress = _quiet) -> StageResult:
    """Swap in a read-only snapshot of the marts for analysts."""
    from edufig.publish import publish as publish_snapshot

    return publish_snapshot(settings)


def send_alerts(settings: Settings, progress: Progress = _quiet) -> StageResult:
    """Plan digests of new flags per subscriber and deliver the outbox."""
    from edufig.alerts import send_alerts as deliver

    return deliver(settings)


POST_ACQUISITION = (
    ("extract", extract),
    ("load", load),
    ("build", build_marts),
    ("quality", check_quality),
    ("publish", publish),
    ("alerts", send_alerts),
)


def _run_stage(name: str, func: Callable[[], StageResult], progress: Progress) -> StageResult:
    progress(f"▶ {name}")
    try:
        result = func()
    except Exception as exc:  # a stage failing as a whole is reported, later ones skipped
        result = StageResult(name, errors=[f"{name}: {type(exc).__name__}: {exc}"], failed=True)
    result.name = name
    for line in result.errors:
        progress(f"  ! {line}")
    return result


def run(
    settings: Settings, corpus_dir: Path | None = None, progress: Progress = _quiet
) -> list[StageResult]:
    """The whole pipeline; stops at the first stage that fails as a whole."""
    if corpus_dir is not None:
        results = [
            _run_stage("ingest", lambda: ingest_corpus(settings, corpus_dir, progress), progress)
        ]
    else:
        results = [_run_stage("scrape", lambda: scrape(settings, progress=progress), progress)]
    for name, stage in POST_ACQUISITION:
        if results[-1].failed:
            break
        results.append(
            _run_stage(name, lambda stage=stage: stage(settings, progress=progress), progress)
        )
    return results
