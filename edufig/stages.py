"""The stage graph, declared once: what each stage is called, what runs it, what it reads and
what it writes. The CLI, `pipeline.run`, the Airflow tasks and docs/architecture.md read it.

Stage functions are named by import path, not imported, so reading the graph stays cheap
enough for DAG parsing. Every stage is idempotent: it reads what an earlier stage wrote and
skips what is already current, so any stage can run alone.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

# Data that lives in the DuckDB warehouse: a stage reading or writing any of it holds the
# warehouse's writer lock while it runs.
WAREHOUSE_DATA = frozenset({"landing", "marts", "dq_flags", "alert_state"})
# Inputs that no stage writes.
EXTERNAL_INPUTS = frozenset({"sources", "corpus", "subscriptions"})


@dataclass(frozen=True)
class Stage:
    name: str
    function: str  # "module:function", called as function(settings, **options)
    reads: tuple[str, ...]
    writes: tuple[str, ...]
    summary: str
    options: tuple[str, ...] = ()
    acquires: bool = False  # one of the alternative first stages (crawl or local corpus)

    def load(self) -> Callable:
        module, _, name = self.function.partition(":")
        return getattr(importlib.import_module(module), name)

    @property
    def uses_warehouse(self) -> bool:
        return bool(WAREHOUSE_DATA.intersection(self.reads + self.writes))


STAGE_GRAPH: tuple[Stage, ...] = (
    Stage(
        "scrape",
        "scrapers.crawl:scrape",
        reads=("sources",),
        writes=("archive",),
        summary="crawl list and detail pages and attachments into the raw archive",
        options=("source_names", "progress"),
        acquires=True,
    ),
    Stage(
        "ingest",
        "scrapers.local:ingest_corpus",
        reads=("corpus",),
        writes=("archive",),
        summary="archive a local folder of reports instead of crawling",
        options=("corpus_dir", "progress"),
        acquires=True,
    ),
    Stage(
        "parse",
        "scrapers.parse_stage:parse_archive",
        reads=("archive",),
        writes=("parsed",),
        summary="parse archived documents whose bytes or parser version changed",
        options=("progress",),
    ),
    Stage(
        "extract",
        "edufig.extract.stage:extract_documents",
        reads=("parsed",),
        writes=("figures",),
        summary="figures of parsed documents whose text or extractor version changed",
        options=("progress",),
    ),
    Stage(
        "load",
        "edufig.load:load",
        reads=("parsed", "figures", "archive"),
        writes=("landing",),
        summary="documents, figures and the crawl log into landing.*",
    ),
    Stage(
        "build",
        "edufig.dbt_build:build_marts",
        reads=("landing",),
        writes=("marts",),
        summary="dbt build: staging, intermediate, marts and their tests",
        options=("select", "full_refresh"),
    ),
    Stage(
        "quality",
        "edufig.quality:check_quality",
        reads=("marts",),
        writes=("dq_flags", "data_docs"),
        summary=(
            "Great Expectations checkpoint; replaces dq.dq_flags (those of the re-checked"
            " regions after an incremental build)"
        ),
    ),
    Stage(
        "publish",
        "edufig.publish:publish",
        reads=("marts", "dq_flags"),
        writes=("snapshot",),
        summary="read-only snapshot of the marts and flags, swapped in atomically",
    ),
    Stage(
        "alerts",
        "edufig.alerts:send_alerts",
        reads=("dq_flags", "subscriptions"),
        writes=("alert_state", "outbox", "alerts_snapshot"),
        summary="queue digests of new flags, deliver the outbox, publish its state",
    ),
)

STAGES = {stage.name: stage for stage in STAGE_GRAPH}


def stage(name: str) -> Stage:
    try:
        return STAGES[name]
    except KeyError:
        raise ValueError(f"unknown stage {name!r}; stages: {', '.join(STAGES)}") from None


def run_order(acquire: str) -> list[Stage]:
    """The stages of one run: the chosen acquisition stage, then every later stage in order."""
    first = stage(acquire)
    if not first.acquires:
        raise ValueError(f"{acquire!r} does not start a run")
    return [first, *(s for s in STAGE_GRAPH if not s.acquires)]


def markdown_table() -> str:
    """The graph as the table in docs/architecture.md (a test keeps the two equal)."""
    lines = ["| stage | runs | reads | writes | does |", "|---|---|---|---|---|"]
    for s in STAGE_GRAPH:
        lines.append(
            f"| `{s.name}` | `{s.function}` | {', '.join(s.reads)} | {', '.join(s.writes)}"
            f" | {s.summary} |"
        )
    return "\n".join(lines)


def mermaid() -> str:
    """The graph drawn as a Mermaid flowchart: data as cylinders, stages as boxes."""
    lines = ["flowchart LR"]
    data = sorted({d for s in STAGE_GRAPH for d in s.reads + s.writes})
    lines += [f"    {d}[({d})]" for d in data]
    for s in STAGE_GRAPH:
        lines.append(f"    {s.name}_stage[{s.name}]")
        lines += [f"    {d} --> {s.name}_stage" for d in s.reads]
        lines += [f"    {s.name}_stage --> {d}" for d in s.writes]
    return "\n".join(lines)


if __name__ == "__main__":  # the blocks of docs/architecture.md
    print(f"```mermaid\n{mermaid()}\n```\n\n{markdown_table()}")
