"""Parsing inside a daemonic process, which is where a Celery worker's prefork pool runs
every Airflow task: the guarded parse workers must still start there."""

from __future__ import annotations

import multiprocessing

from scrapers.worker import ParseWorkers

REPORT = "2021年全州教育经费总投入47.38亿元。"


def _parse_in_child(results: multiprocessing.Queue) -> None:
    try:
        with ParseWorkers(workers=1) as workers:
            results.put(workers.parse(REPORT.encode(), None, "", ".txt").text)
    except BaseException as exc:  # reported to the test, which runs in the parent
        results.put(f"{type(exc).__name__}: {exc}")


def test_parse_workers_start_inside_a_daemonic_process() -> None:
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    child = context.Process(target=_parse_in_child, args=(results,), daemon=True)
    child.start()
    try:
        assert results.get(timeout=60) == REPORT
    finally:
        child.join(timeout=30)
        if child.is_alive():
            child.kill()
