"""Figure extraction: every catalog figure in a report, with year, level, region, evidence.

`extract_figures(doc)` is the one entry point the pipeline and `edufig extract` call.
Bump `EXTRACTOR_VERSION` whenever output can change: the pipeline re-extracts documents
whose recorded version differs.
"""

from __future__ import annotations

from edufig.extract.figures import extract_figures

EXTRACTOR_VERSION = "1.7.1"

__all__ = ["EXTRACTOR_VERSION", "extract_figures"]
