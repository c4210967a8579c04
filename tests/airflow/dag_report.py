"""Load the DAG folder in a fresh interpreter and print what the integrity tests check.

Run as a script (the tests start it with the Airflow environment they built), so that the
modules a DAG file imports can be observed without the test process's own imports.
"""

from __future__ import annotations

import json
import sys

HEAVY_MODULES = ("dbt", "pandas", "great_expectations", "duckdb", "pdfplumber", "jionlp")


def describe(dag) -> dict:
    from airflow.utils.dag_cycle_tester import check_cycle

    check_cycle(dag)
    return {
        "tags": sorted(dag.tags),
        "owners": sorted({t.owner for t in dag.tasks}),
        "retries": {t.task_id: t.retries for t in dag.tasks},
        "pools": {t.task_id: t.pool for t in dag.tasks},
        "callbacks": {t.task_id: bool(t.on_failure_callback) for t in dag.tasks},
        "timetable": type(dag.timetable).__name__,
        "timezone": dag.timezone.name,
        "schedule_timezone": str(getattr(dag.timetable, "timezone", "")),
        "deadline": [type(d.reference).__name__ for d in (dag.deadline or [])],
        "upstream": {t.task_id: sorted(t.upstream_task_ids) for t in dag.tasks},
    }


def main(dags_folder: str) -> None:
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=dags_folder)
    report = {
        "import_errors": {path: err[-2000:] for path, err in bag.import_errors.items()},
        "parse_seconds": {stat.file: stat.duration.total_seconds() for stat in bag.dagbag_stats},
        "dags": {dag_id: describe(dag) for dag_id, dag in bag.dags.items()},
        "heavy_modules": sorted(m for m in HEAVY_MODULES if m in sys.modules),
    }
    print("DAG_REPORT " + json.dumps(report))


if __name__ == "__main__":
    main(sys.argv[1])
