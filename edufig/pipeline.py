"""Runs stages of the graph in `edufig.stages`: one alone (what an Airflow task or
`edufig stage` does) or all in order (`edufig run`).

A run holds the warehouse's writer lock from its first step to its last, so a second run on
the same warehouse is refused before it writes anything; a stage run alone takes the lock
only when it touches the warehouse, so crawl tasks still fan out. Heavy libraries are
imported by the stages themselves: DAG parsing imports this module.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from edufig.core.config import Settings, StageResult
from edufig.core.warehouse import writer_lock
from edufig.stages import run_order, stage

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


def list_source_names(settings: Settings) -> list[str]:
    """Source names for the Airflow fan-out (one mapped scrape task each)."""
    from scrapers.crawl import configured_sources

    with configured_sources(settings) as sources:
        return [source.name for source in sources]


def run_stage(
    name: str, settings: Settings, progress: Progress = _quiet, **options: Any
) -> StageResult:
    """Run one stage of the graph with the options it declares (others are refused)."""
    declared = stage(name)
    unknown = set(options) - set(declared.options)
    if unknown:
        raise TypeError(f"stage {name!r} takes no option(s) {', '.join(sorted(unknown))}")
    if "progress" in declared.options:
        options["progress"] = progress
    lock = writer_lock(settings, f"edufig stage {name}") if declared.uses_warehouse else None
    with lock or nullcontext():
        result = declared.load()(settings, **options)
    result.name = name
    return result


def _run_step(name: str, func: Callable[[], StageResult], progress: Progress) -> StageResult:
    progress(f"▶ {name}")
    try:
        result = func()
    except Exception as exc:  # a stage failing as a whole is reported, later ones skipped
        result = StageResult(name, errors=[f"{name}: {type(exc).__name__}: {exc}"], failed=True)
    for line in result.errors:
        progress(f"  ! {line}")
    return result


def run(
    settings: Settings, corpus_dir: Path | None = None, progress: Progress = _quiet
) -> list[StageResult]:
    """The whole pipeline under the writer lock; stops at the first stage that fails as a
    whole. Raises `WarehouseBusy` at once when another run holds the warehouse."""
    acquire = "ingest" if corpus_dir is not None else "scrape"
    results: list[StageResult] = []
    with writer_lock(settings, "edufig run"):
        for step in run_order(acquire):
            options = {"corpus_dir": corpus_dir} if step.name == "ingest" else {}
            results.append(
                _run_step(
                    step.name,
                    lambda step=step, options=options: run_stage(
                        step.name, settings, progress, **options
                    ),
                    progress,
                )
            )
            if results[-1].failed:
                break
    return results
