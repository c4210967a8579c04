"""What every task shares: stage settings, defaults for retries and owners, the chain date.

Paths come from environment variables because they must match the deployment's volumes
(the DAG processor, the workers and dbt all see the same EDUFIG_* variables). Operational
knobs (sources file, subscriptions, crawl delay) are Airflow Variables so an operator can
change them in the UI without a redeploy; unset, they fall back to EDUFIG_* env vars and
then to the embedded default (the bundled mirror, a local DuckDB file, an outbox folder).
"""

from __future__ import annotations

import logging
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import pendulum

from edufig_airflow.notify import notify_task_failure

log = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parents[2]
TIMEZONE = "Asia/Shanghai"
# Start dates in the DAGs' own zone make it the DAG's timezone, so the UI says 06:00 Shanghai.
START_DATE = pendulum.datetime(2026, 1, 1, tz=TIMEZONE)
DAILY_AT_SIX = "0 6 * * *"
CHAIN_START_HOUR = 6  # the hour of DAILY_AT_SIX: a chain's day begins when its crawl does

DEFAULT_ARGS: dict[str, Any] = {
    "owner": "data-engineering",
    "retries": int(os.environ.get("EDUFIG_TASK_RETRIES", "2")),
    "retry_delay": timedelta(minutes=2),
    "retry_exponential_backoff": 2.0,
    "max_retry_delay": timedelta(minutes=30),
    "on_failure_callback": notify_task_failure,
}


class StageFailed(RuntimeError):
    """A stage failed as a whole; raising it makes Airflow retry and then notify."""


def option(name: str) -> str | None:
    """Airflow Variable `edufig_<name>`, else env `EDUFIG_<NAME>`, else None."""
    from airflow.sdk import Variable

    fallback = os.environ.get(f"EDUFIG_{name.upper()}") or None
    return Variable.get(f"edufig_{name}", default=fallback) or None


def warehouse_path() -> Path:
    """The DuckDB file; an absolute default so tasks do not depend on their working dir."""
    value = os.environ.get("EDUFIG_WAREHOUSE")
    return Path(value).resolve() if value else REPO_ROOT / "data" / "warehouse.duckdb"


def stage_settings():
    """The `Settings` the CLI would build, resolved inside the task (never at parse time)."""
    from edufig.core.config import Settings

    kwargs: dict[str, Any] = {"warehouse": warehouse_path()}
    for name in ("sources_file", "subscriptions_file"):
        value = option(name)
        if value:
            kwargs[name] = Path(value)
    delay = option("crawl_delay")
    if delay:
        kwargs["crawl_delay"] = float(delay)
    return Settings(**kwargs)


def stage_result(stage: str, **kwargs: Any):
    """Run one stage of the graph in `edufig.stages` and log what it did, one line per
    failed item."""
    from edufig.pipeline import run_stage as run_graph_stage

    return logged(stage, run_graph_stage(stage, stage_settings(), **kwargs))


def logged(stage: str, result):
    """Log a stage's counts, and one warning line per failed item; returns the result."""
    log.info("%s: %s in %.1fs", stage, result.counts, result.seconds)
    for line in result.errors:
        log.warning("%s: %s", stage, line)
    return result


def counts_of(result) -> dict[str, int]:
    """The stage's counts; a stage that failed as a whole raises, so Airflow retries it."""
    if result.failed:
        raise StageFailed(f"{result.name} failed: " + "; ".join(result.errors[:5]))
    return dict(result.counts)


def run_stage(stage: str, **kwargs: Any) -> dict[str, int]:
    return counts_of(stage_result(stage, **kwargs))


def brought_new_documents(counts: dict[str, Any]) -> bool:
    """Whether a crawl's counts mean downstream work: new or changed documents archived."""
    return bool(counts.get("archived", 0))


def run_stage_with_event(stage: str, asset: Any) -> dict[str, int]:
    """Run a stage and stamp its counts and the chain date on the task's asset event."""
    from airflow.sdk import get_current_context

    context = get_current_context()
    counts = run_stage(stage)
    context["outlet_events"][asset].extra = {"chain_date": chain_date(context), **counts}
    return counts


def chain_date(context: dict[str, Any]) -> str:
    """The Shanghai date of the scrape run that started this chain.

    The scrape DAG stamps it on its asset event; asset-triggered runs have no logical date
    of their own, so they read it back from the events that triggered them and pass it on.
    A run triggered by hand has no logical date either: it belongs to the latest chain that
    has started by its `run_after` (at 01:00 Shanghai, yesterday's).
    """
    logical = context.get("logical_date")
    if logical is not None:
        return _shanghai_date(logical)
    dates = [
        event.extra.get("chain_date")
        for events in context.get("triggering_asset_events", {}).values()
        for event in events
    ]
    run_after = context["dag_run"].run_after
    started = pendulum.instance(run_after) - timedelta(hours=CHAIN_START_HOUR)
    return max((d for d in dates if d), default=None) or _shanghai_date(started)


def _shanghai_date(moment: Any) -> str:
    return pendulum.instance(moment).in_timezone(TIMEZONE).date().isoformat()


def stage_outbox_dir() -> Path:
    """Where alert messages go: the same outbox the data-quality alerts use."""
    from edufig.core.config import Settings

    return Settings(warehouse=warehouse_path()).outbox_dir


def extraction_batch_limits() -> tuple[int, int]:
    """(at least this many batches, at most this many documents per batch) for extraction.

    Variables `edufig_extract_min_batches` / `edufig_extract_batch_size`, else env, else
    `edufig.extract.stage`'s defaults: one batch per worker slot on a small run, bounded
    batches (each a task start) at scale.
    """
    from edufig.extract.stage import MAX_BATCH_SIZE, MIN_BATCHES

    return (
        int(option("extract_min_batches") or MIN_BATCHES),
        int(option("extract_batch_size") or MAX_BATCH_SIZE),
    )
