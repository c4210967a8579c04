"""The extract stage: figures of every parsed document, one figure file per document.

A figure file's first line names the document bytes, parser version and extractor version
it was made from; a file that still matches is skipped, so a rerun extracts only what a
new crawl, a parser fix or an extractor fix changed.
"""

from __future__ import annotations

from collections.abc import Callable

from edufig.core.config import Settings, StageResult, timed
from edufig.core.figure_files import read_figure_meta, write_figure_file
from edufig.core.records import ParsedDocument
from edufig.extract import EXTRACTOR_VERSION, explain_figures

Progress = Callable[[str], None]


def _extract_one(settings: Settings, doc: ParsedDocument, result: StageResult) -> int | None:
    """Figures written for `doc`, or None when its figure file is current."""
    target = settings.figures_dir / f"{doc.doc_id}.jsonl"
    wanted = {
        "doc_id": doc.doc_id,
        "sha256": doc.sha256,
        "parser_version": doc.parser_version,
        "extractor_version": EXTRACTOR_VERSION,
    }
    written = read_figure_meta(target)
    if {key: written.get(key) for key in wanted} == wanted:
        result.add("documents_unchanged")
        return None
    explained = explain_figures(doc) if doc.parse_status == "ok" else None
    figures = [figure for figure, _ in explained.figures] if explained else []
    context = explained.context if explained else None
    if context is not None:
        wanted["reference_year"] = context.reference_year
        wanted["reference_year_basis"] = context.basis
    write_figure_file(target, wanted, figures)
    return len(figures)


def extract_documents(settings: Settings, progress: Progress | None = None) -> StageResult:
    """Extract figures of every parsed document whose bytes, parser or extractor changed."""
    result = StageResult("extract")
    with timed(result):
        settings.ensure_dirs()
        for path in sorted(settings.parsed_dir.glob("*.json")):
            try:
                doc = ParsedDocument.load(path)
                written = _extract_one(settings, doc, result)
            except Exception as exc:  # one bad document never stops the run
                result.errors.append(f"{path.name}: extraction failed: {exc}")
                result.add("documents_failed")
                continue
            if written is None:
                continue
            result.add("documents_extracted")
            result.add("figures", written)
            if progress:
                progress(f"extracted {written:4d} figures from {doc.doc_id}")
    return result
