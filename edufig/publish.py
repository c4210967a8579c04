"""A read-only snapshot of the marts for analysts, swapped in whole after each good build.

The warehouse has one writer (the pipeline); analysts must neither block it nor see a mart
half rebuilt. So publishing copies the marts (and the latest dq flags) into a new DuckDB
file beside the snapshot and renames it over the old one (`core.warehouse.replace_snapshot`).
"""

from __future__ import annotations

import json

import duckdb

from edufig.core.config import Settings, StageResult, timed
from edufig.core.warehouse import (
    SNAPSHOT_NAME,
    last_build_file,
    mart_tables,
    read_only_connection,
    replace_snapshot,
    snapshot_path,
)

EXTRA_TABLES = (("dq", "dq_flags"), ("alerts", "flag_state"))

__all__ = ["publish", "query_snapshot", "snapshot_path"]


def _build_problem(settings: Settings) -> str | None:
    """Why the warehouse must not be published now, or None when the last build passed."""
    record_path = last_build_file(settings)
    if not record_path.exists():
        return f"{settings.warehouse}: no dbt build recorded ({record_path}); run the build stage"
    record = json.loads(record_path.read_text(encoding="utf-8"))
    if not record.get("succeeded"):
        failed = "; ".join(record.get("errors", [])[:3])
        return f"{settings.warehouse}: last dbt build failed, snapshot not replaced: {failed}"
    return None


def publish(settings: Settings) -> StageResult:
    """Replace published/warehouse.duckdb with the marts of the last successful build."""
    result = StageResult("publish")
    with timed(result):
        problem = _build_problem(settings)
        if problem:
            result.errors.append(problem)
            result.failed = True
            return result
        try:
            tables = [*mart_tables(settings), *EXTRA_TABLES]
            result.counts.update(replace_snapshot(settings, SNAPSHOT_NAME, tables))
        except duckdb.Error as exc:
            result.errors.append(f"{settings.warehouse}: cannot publish snapshot: {exc}")
            result.failed = True
        result.counts["tables"] = sum(1 for key in result.counts if key.startswith("rows_"))
    return result


def query_snapshot(settings: Settings, sql: str) -> tuple[list[str], list[tuple]]:
    """Run SQL on the published snapshot, read-only and without file or network access."""
    with read_only_connection(snapshot_path(settings)) as conn:
        cursor = conn.execute(sql)
        if cursor.description is None:
            return [], []
        columns = [d[0] for d in cursor.description]
        return columns, cursor.fetchall()
