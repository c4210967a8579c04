"""Figure extraction: every catalog figure in a report, with year, level, region, evidence.

`extract_figures(doc)` is the one entry point the pipeline and `edufig extract` call.
Bump `EXTRACTOR_VERSION` whenever output can change: the pipeline re-extracts documents
whose recorded version differs.
"""

from __future__ import annotations

from edufig.extract.figures import explain_figures, extract_figures

EXTRACTOR_VERSION = "2.1.0"

__all__ = ["EXTRACTOR_VERSION", "explain_figures", "extract_figures"]
