"""The extract stage: figures of every parsed document, one figure file per document.

A figure file's first line names the document bytes, parser version and extractor version
it was made from; a file that still matches is skipped, so a rerun extracts only what a
new crawl, a parser fix or an extractor fix changed. While the parsed file keeps the stamp
the figure file recorded (edufig.core.figure_files), the document is not even read; while
the parsed and figure folders are as a scan that found every figure file current left them
(`extract_scan.json` under the data directory, edufig.core.folder_stamps), no file is.

`edufig run` extracts every parsed document in one process; the Airflow DAG splits the
documents whose figures are stale into batches (`pending_batches`) and runs each batch as a
mapped task (`extract_batch`) on whichever worker is free. Both go through
`extract_paths`, so one document gives the same figure file either way: a figure file
depends only on its document and the versions, never on its batch.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from math import ceil
from pathlib import Path

from edufig.core.config import Settings, StageResult, timed
from edufig.core.figure_files import (
    PARSED_STAMP,
    figure_file,
    parsed_stamp,
    read_figure_meta,
    restamp_figure_file,
    stamped_from,
    write_figure_file,
)
from edufig.core.folder_stamps import (
    SCAN_SKIPPED,
    FolderStamp,
    read_stamp,
    scan_record,
    unchanged_documents,
)
from edufig.core.records import ParsedDocument
from edufig.extract import EXTRACTOR_VERSION, explain_figures

Progress = Callable[[str], None]

# A batch is a task: its start-up (seconds) is paid once per batch, so batches stay large
# at scale; on a small run they are split so that every worker slot gets one.
MAX_BATCH_SIZE = 1000
MIN_BATCHES = 4
# Under data_dir: the folders' stamp when a scan last found every figure file current.
SCAN_FILE = "extract_scan.json"


def _quiet(_: str) -> None:
    return None


def _wanted_meta(doc: ParsedDocument) -> dict[str, object]:
    """What a figure file must record to count as extracted from this document version."""
    return {
        "doc_id": doc.doc_id,
        "sha256": doc.sha256,
        "parser_version": doc.parser_version,
        "extractor_version": EXTRACTOR_VERSION,
    }


def _is_current(meta: dict, doc: ParsedDocument) -> bool:
    wanted = _wanted_meta(doc)
    return {key: meta.get(key) for key in wanted} == wanted


Stale = tuple[ParsedDocument, list[int]]


def _stale(settings: Settings, path: Path) -> Stale | None:
    """The document at `path` and its file's stamp when its figure file is stale, else None.
    A current figure file found the slow way is restamped, so the next check is quick; the
    stamp is taken before the read, so a file replaced meanwhile is read again next time."""
    stamp = parsed_stamp(path)
    figures_path = figure_file(settings, path.stem)
    meta = read_figure_meta(figures_path)
    if stamped_from(meta, path) and meta.get("extractor_version") == EXTRACTOR_VERSION:
        return None
    doc = ParsedDocument.load(path)
    if not _is_current(meta, doc):
        return doc, stamp
    restamp_figure_file(figures_path, stamp)
    return None


def _extract_one(settings: Settings, doc: ParsedDocument, stamp: list[int]) -> int:
    """Write `doc`'s figure file; the number of figures in it."""
    wanted = {**_wanted_meta(doc), PARSED_STAMP: stamp}
    explained = explain_figures(doc) if doc.parse_status == "ok" else None
    figures = [figure for figure, _ in explained.figures] if explained else []
    if explained is not None:
        wanted["reference_year"] = explained.context.reference_year
        wanted["reference_year_basis"] = explained.context.basis
    write_figure_file(figure_file(settings, doc.doc_id), wanted, figures)
    return len(figures)


def parsed_paths(settings: Settings) -> list[Path]:
    return sorted(settings.parsed_dir.glob("*.json"))


def extract_paths(
    settings: Settings, paths: Iterable[Path], progress: Progress = _quiet
) -> StageResult:
    """Extract figures of each parsed document whose bytes, parser or extractor changed."""
    result = StageResult("extract")
    with timed(result):
        settings.ensure_dirs()
        for path in paths:
            try:
                stale = _stale(settings, path)
                written = _extract_one(settings, *stale) if stale else None
            except Exception as exc:  # one bad document never stops the run
                result.errors.append(f"{path.name}: extraction failed: {exc}")
                result.add("documents_failed")
                continue
            if written is None:
                result.add("documents_unchanged")
                continue
            result.add("documents_extracted")
            result.add("figures", written)
            progress(f"extracted {written:4d} figures from {path.stem}")
    return result


def _scan_file(settings: Settings) -> Path:
    return settings.data_dir / SCAN_FILE


def _stamp_and_known(settings: Settings) -> tuple[FolderStamp, int | None]:
    """The parsed and figure folders' stamp now, and the number of documents a scan found
    all current when they had this stamp last (None: scan)."""
    stamp = read_stamp((settings.parsed_dir, settings.figures_dir))
    try:
        record = _scan_file(settings).read_text(encoding="utf-8")
    except OSError:
        record = None
    return stamp, unchanged_documents(record, stamp, EXTRACTOR_VERSION)


def _record_scan(settings: Settings, stamp: FolderStamp, documents: int) -> None:
    """After a scan that found every figure file current (`stamp` read before it began)."""
    record = scan_record(stamp, EXTRACTOR_VERSION, documents)
    if record is None:
        return
    path = _scan_file(settings)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(record, encoding="utf-8")
    tmp.replace(path)


def extract_documents(settings: Settings, progress: Progress | None = None) -> StageResult:
    """The extract stage: every parsed document whose figures are stale; no document is
    read when the folders are as a scan that found none stale left them."""
    stamp, known = _stamp_and_known(settings)
    if known is not None:
        return StageResult("extract", counts={"documents_unchanged": known, SCAN_SKIPPED: 1})
    paths = parsed_paths(settings)
    result = extract_paths(settings, paths, progress or _quiet)
    if result.counts.get("documents_unchanged", 0) == len(paths):
        _record_scan(settings, stamp, len(paths))
    return result


def pending_documents(settings: Settings) -> list[str]:
    """File names (in `parsed/`) of the documents whose figure file is missing or stale.

    A document that cannot be read counts as pending, so its batch reports the failure.
    """
    stamp, known = _stamp_and_known(settings)
    if known is not None:
        return []
    paths = parsed_paths(settings)
    pending = []
    for path in paths:
        try:
            current = _stale(settings, path) is None
        except Exception:  # reported by the batch that extracts it
            current = False
        if not current:
            pending.append(path.name)
    if not pending:
        _record_scan(settings, stamp, len(paths))
    return pending


def split_batches(
    names: list[str], min_batches: int = MIN_BATCHES, max_size: int = MAX_BATCH_SIZE
) -> list[list[str]]:
    """Contiguous batches of nearly equal size: at least `min_batches` (when there are that
    many names) so every worker slot gets work, and none larger than `max_size`."""
    if not names:
        return []
    count = max(ceil(len(names) / max_size), min(len(names), max(1, min_batches)))
    size, extra = divmod(len(names), count)
    batches, start = [], 0
    for index in range(count):
        end = start + size + (1 if index < extra else 0)
        batches.append(names[start:end])
        start = end
    return batches


def pending_batches(
    settings: Settings, min_batches: int = MIN_BATCHES, max_size: int = MAX_BATCH_SIZE
) -> list[list[str]]:
    """The stale documents in batches, one mapped extraction task each; none when up to date."""
    return split_batches(pending_documents(settings), min_batches, max_size)


def extract_batch(settings: Settings, names: list[str], progress: Progress = _quiet) -> StageResult:
    """Extract one batch of `pending_batches`: parsed documents named by file name."""
    for name in names:
        if Path(name).name != name or not name.endswith(".json"):
            raise ValueError(f"not a parsed document's file name: {name!r}")
    return extract_paths(settings, [settings.parsed_dir / name for name in names], progress)
