"""Data-quality checks declared once (registry.py): dbt models find and judge the candidate
rows, a Great Expectations checkpoint validates the failing ones.

`check_quality(settings)` writes dq.dq_flags and Data Docs; `list_flags(settings, province)`
reads the flags back for `edufig flags`.
"""

from edufig.quality.run import check_quality, list_flags

__all__ = ["check_quality", "list_flags"]
