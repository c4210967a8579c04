"""Daily crawl of the publishers' sites, one mapped task per source.

Schedule: CronTriggerTimetable at 06:00 Asia/Shanghai. A crawl records the sites as they
are at run time, so the logical date is the moment of the run (no data interval to wait
for); see docs/airflow.md. Politeness: each source (one publisher host) is one mapped task,
runs never overlap (max_active_runs=1), so a host is never crawled by two workers at once,
and the `edufig_scrape` pool caps the hosts crawled in parallel.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from airflow.sdk import CronTriggerTimetable, TriggerRule, dag, get_current_context, task
from airflow.sdk.exceptions import AirflowSkipException
from edufig_airflow.assets import CRAWL_LOG, NEW_DOCUMENTS, PARSED, SCRAPE_POOL
from edufig_airflow.runtime import (
    DAILY_AT_SIX,
    DEFAULT_ARGS,
    START_DATE,
    TIMEZONE,
    brought_new_documents,
    chain_date,
    counts_of,
    stage_result,
    stage_settings,
)


@dag(
    dag_id="edufig_scrape",
    schedule=CronTriggerTimetable(DAILY_AT_SIX, timezone=TIMEZONE),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["edufig", "scrape"],
    doc_md=__doc__,
)
def edufig_scrape() -> None:
    @task(retries=1)
    def list_sources() -> list[str]:
        from edufig.pipeline import list_source_names

        return list_source_names(stage_settings())

    @task(pool=SCRAPE_POOL, execution_timeout=timedelta(hours=2), map_index_template="{{ source }}")
    def scrape_source(name: str) -> dict[str, int]:
        """A host that blocks the crawler is skipped, not failed: retrying cannot help, and the
        crawl state keeps it out until its block window passes."""
        get_current_context()["source"] = name
        result = stage_result("scrape", source_names=[name])
        if result.failed and result.counts.get("blocked"):
            raise AirflowSkipException(f"{name} blocks the crawler: {'; '.join(result.errors)}")
        return counts_of(result)

    @task(outlets=[CRAWL_LOG, NEW_DOCUMENTS], trigger_rule=TriggerRule.ALL_DONE)
    def announce(results: list[dict[str, int] | None]) -> dict[str, Any]:
        """Always log the crawl; update the parsed asset only when new documents landed.

        Runs even when a source failed, so one unreachable host does not hold back the
        documents the other hosts delivered.
        """
        context = get_current_context()
        totals: dict[str, int] = {}
        # One slice is one request; iterating item by item ends on a missing index, which
        # Airflow logs as an "XCom not found" error although nothing is wrong.
        for counts in filter(None, results[:]):
            for key, value in counts.items():
                totals[key] = totals.get(key, 0) + value
        extra = {"chain_date": chain_date(context), **totals}
        context["outlet_events"][CRAWL_LOG].extra = extra
        if brought_new_documents(totals):
            context["outlet_events"][NEW_DOCUMENTS].add(PARSED, extra=extra)
        return extra

    @task(trigger_rule=TriggerRule.NONE_FAILED)
    def every_source_crawled(names: list[str], results: list[dict[str, int]]) -> str:
        """Leaf that fails the run (and so notifies) when any source failed after retries.

        A blocked source is skipped, not failed, and returns nothing; this check still runs
        and counts it, so a skip never looks like a check that did not run.
        """
        crawled = len(results[:])
        return f"{crawled} of {len(names)} sources crawled, {len(names) - crawled} skipped"

    names = list_sources()
    crawled = scrape_source.expand(name=names)
    announce(crawled)
    every_source_crawled(names, crawled)


edufig_scrape()
