"""The validation history GX keeps: results and Data Docs pages of old quality runs go.

GX rebuilds the Data Docs index from every stored validation result on each run, so with
no limit each quality run reads more than the last (about 10 ms per stored run at a million
figures) and the data directory grows by a result (1.1 MB there) per run. A page a current
flag links to is kept whatever its age: after an incremental build, the flags of regions
not re-checked keep the page of the run that raised them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from edufig.core.config import Settings
from edufig.core.warehouse import has_table, reader
from edufig.quality.registry import SUITE_NAME

# GX files a validation under <suite>/<run name>/<run time>/; runs are not named here.
RUN_NAME = "__none__"


def _run_folders(root: Path) -> dict[str, Path]:
    """Run time → its folder; run times are UTC timestamps, so names sort by age."""
    runs = root / SUITE_NAME / RUN_NAME
    return {p.name: p for p in sorted(runs.iterdir()) if p.is_dir()} if runs.is_dir() else {}


def linked_runs(settings: Settings) -> set[str]:
    """The runs whose Data Docs pages the flags in the warehouse link to."""
    if not settings.warehouse.exists():
        return set()
    with reader(settings) as con:
        if not has_table(con, "dq", "dq_flags"):
            return set()
        urls = con.execute("SELECT DISTINCT data_docs_url FROM dq.dq_flags").fetchall()
    return {Path(url).parent.name for (url,) in urls if url}


def prune_validations(settings: Settings) -> list[str]:
    """Before a run: keep the newest `validations_kept - 1` runs and every run a flag links
    to, so the run about to start makes `validations_kept`; the run times removed."""
    results = _run_folders(settings.validation_results_dir)
    pages = _run_folders(settings.data_docs_dir / "validations")
    runs = sorted(results.keys() | pages.keys())
    old = runs[: max(len(runs) - max(settings.validations_kept - 1, 0), 0)]
    linked = linked_runs(settings) if old else set()
    removed = [run for run in old if run not in linked]
    for run in removed:
        for folder in (results.get(run), pages.get(run)):
            if folder is not None:
                shutil.rmtree(folder)
    return removed
