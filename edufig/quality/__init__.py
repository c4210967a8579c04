"""Data-quality checks: dbt candidate models validated by a Great Expectations checkpoint.

`check_quality(settings)` writes dq.dq_flags and Data Docs; `list_flags(settings, province)`
reads the flags back for `edufig flags`.
"""

from edufig.quality.run import check_quality, list_flags

__all__ = ["check_quality", "list_flags"]
